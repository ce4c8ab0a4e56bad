"""Property-based tests of the whole REST API, driven by its own OpenAPI schema.

Schemathesis sends generated requests, valid and invalid, to a live server and checks
that nothing answers 5xx and every answer matches what the schema documents.
"""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from ninja.responses import NinjaJSONEncoder
from schemathesis.specs.openapi.checks import positive_data_acceptance

from hamkor.accounts.models import Role
from hamkor.accounts.services import issue_token
from hamkor.config.api import api
from hamkor.contacts.models import Entity, FieldType
from hamkor.contacts.services import define_custom_field
from tests.accounts.factories import UserFactory
from tests.activities.factories import InteractionFactory
from tests.contacts.factories import CompanyFactory, ContactFactory, SourceFactory, TagFactory
from tests.sales.factories import DealFactory, OrderFactory, ProductFactory

# The schema the app serves at /api/v1/openapi.json, built in-process so pytest makes one
# test per operation at collection time. (Schemathesis' fixture-based loader does not work
# with pytest 9 yet.)
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder))
)


class Seed:
    """What the current test's fixture created: the admin's token and some record ids."""

    token = ""
    ids: dict[str, int] = {}


@schema.auth(refresh_interval=None)
class AdminToken:
    def get(self, case, ctx):
        return Seed.token

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    # Random ids almost never exist; half the time, point at records that do. Only integers
    # are swapped, so a deliberately invalid id stays invalid.
    real = {
        name: Seed.ids[name]
        for name, value in (path_parameters or {}).items()
        if name in Seed.ids and isinstance(value, int) and not isinstance(value, bool)
    }
    return st.sampled_from([path_parameters, {**(path_parameters or {}), **real}])


@pytest.fixture
def seed(transactional_db):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    SourceFactory(name="Instagram")
    define_custom_field(entity=Entity.CONTACT, key="vip", label="VIP", field_type=FieldType.BOOLEAN)
    company = CompanyFactory(owner=admin, name="Baraka Savdo")
    contacts = [
        ContactFactory(owner=admin, company=company, phone=number)
        for number in ("+998901234567", "+998901234567", "+996555123456")
    ]
    for contact in contacts:
        contact.tags.add(TagFactory(name="wholesale"))
        interaction = InteractionFactory(contact=contact, company=company, created_by=admin)
    product = ProductFactory()
    order = OrderFactory(contact=contacts[0], created_by=admin, lines=[(product, 2)])
    deal = DealFactory(contact=contacts[0], owner=admin)
    Seed.token = issue_token(user=admin, name="schemathesis").secret
    Seed.ids = {
        "contact_id": contacts[0].pk,
        "company_id": company.pk,
        "interaction_id": interaction.pk,
        "product_id": product.pk,
        "order_id": order.pk,
        "deal_id": deal.pk,
    }


@settings(
    max_examples=20,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@schema.parametrize()
def test_api_conforms_to_its_schema(case, live_server, seed):
    case.call_and_validate(
        base_url=live_server.url,
        # Every other check runs. This one expects any schema-valid request to succeed, but
        # some rules cannot be said in JSON Schema (a phone number must exist, an id must
        # point at a record you can see) and rightly answer 422.
        excluded_checks=[positive_data_acceptance],
    )
