"""The API's optimistic concurrency: ETag on reads, If-Match or `version` on updates, 412."""

import json

import pytest

from hamkor.accounts.models import Role
from hamkor.config.api import api
from hamkor.contacts.models import Company, Contact
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client
from tests.contacts.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"
COMPANIES = "/api/v1/companies"


@pytest.fixture
def seller():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))


@pytest.fixture
def client(seller):
    return api_client(seller)


def patch(client, path, payload, **headers):
    return client.patch(
        path, data=json.dumps(payload), content_type="application/json", headers=headers
    )


def test_get_contact_gives_version_and_etag(client, seller):
    contact = ContactFactory(owner=seller)

    response = client.get(f"{CONTACTS}/{contact.pk}")

    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_patch_contact_with_matching_if_match_applies_and_bumps(client, seller):
    contact = ContactFactory(owner=seller, city="Bukhara")

    response = patch(client, f"{CONTACTS}/{contact.pk}", {"city": "Khiva"}, if_match='"1"')

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    assert Contact.objects.get(pk=contact.pk).city == "Khiva"


def test_patch_contact_with_stale_if_match_is_412_and_changes_nothing(client, seller):
    contact = ContactFactory(owner=seller, city="Bukhara")
    patch(client, f"{CONTACTS}/{contact.pk}", {"city": "Samarkand"})

    response = patch(
        client, f"{CONTACTS}/{contact.pk}", {"city": "Khiva", "tags": ["vip"]}, if_match='"1"'
    )

    body = response.json()
    assert response.status_code == 412
    assert response["ETag"] == '"2"'
    assert body["detail"]
    assert body["current"]["city"] == "Samarkand"
    assert body["current"]["version"] == 2
    assert [(c["field"], c["value"]) for c in body["changes"]] == [("city", "Samarkand")]
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.city, stored.version, stored.tags.count()) == ("Samarkand", 2, 0)


def test_patch_contact_with_stale_body_version_is_412(client, seller):
    contact = ContactFactory(owner=seller, city="Bukhara")
    patch(client, f"{CONTACTS}/{contact.pk}", {"city": "Samarkand"})

    response = patch(client, f"{CONTACTS}/{contact.pk}", {"city": "Khiva", "version": 1})

    assert response.status_code == 412
    assert Contact.objects.get(pk=contact.pk).city == "Samarkand"


@pytest.mark.parametrize("header", ['W/"1"', "*", '"7", "1"'])
def test_patch_contact_accepts_weak_star_and_listed_etags(client, seller, header):
    contact = ContactFactory(owner=seller)

    response = patch(client, f"{CONTACTS}/{contact.pk}", {"city": "Khiva"}, if_match=header)

    assert response.status_code == 200
    assert response.json()["version"] == 2


@pytest.mark.parametrize("header", ['"abc"', "garbage", '"2"'])
def test_patch_contact_with_unmatched_if_match_is_412(client, seller, header):
    contact = ContactFactory(owner=seller, city="Bukhara")

    response = patch(client, f"{CONTACTS}/{contact.pk}", {"city": "Khiva"}, if_match=header)

    assert response.status_code == 412
    assert Contact.objects.get(pk=contact.pk).city == "Bukhara"


def test_patch_contact_with_if_match_and_disagreeing_body_version_is_412(client, seller):
    contact = ContactFactory(owner=seller, city="Bukhara")
    patch(client, f"{CONTACTS}/{contact.pk}", {"city": "Samarkand"})

    response = patch(
        client, f"{CONTACTS}/{contact.pk}", {"city": "Khiva", "version": 1}, if_match='"2"'
    )

    assert response.status_code == 412


def test_patch_contact_without_version_still_saves_last_write_wins(client, seller):
    contact = ContactFactory(owner=seller, city="Bukhara")
    patch(client, f"{CONTACTS}/{contact.pk}", {"city": "Samarkand"})

    response = patch(client, f"{CONTACTS}/{contact.pk}", {"city": "Khiva"})

    assert response.status_code == 200
    assert response.json()["version"] == 3


def test_patch_contact_rejects_null_version(client, seller):
    contact = ContactFactory(owner=seller)

    response = patch(client, f"{CONTACTS}/{contact.pk}", {"version": None})

    assert response.status_code == 422


def test_patch_company_with_stale_if_match_is_412_and_changes_nothing(client, seller):
    company = CompanyFactory(owner=seller, city="Osh")
    patch(client, f"{COMPANIES}/{company.pk}", {"city": "Bishkek"})

    response = patch(client, f"{COMPANIES}/{company.pk}", {"name": "Renamed"}, if_match='"1"')

    assert response.status_code == 412
    assert response.json()["current"]["city"] == "Bishkek"
    stored = Company.objects.get(pk=company.pk)
    assert (stored.name, stored.version) == (company.name, 2)


def test_get_company_gives_etag_and_matching_patch_applies(client, seller):
    company = CompanyFactory(owner=seller)
    etag = client.get(f"{COMPANIES}/{company.pk}")["ETag"]

    response = patch(client, f"{COMPANIES}/{company.pk}", {"city": "Osh"}, if_match=etag)

    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_openapi_documents_if_match_etag_and_412():
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    update = paths["/api/v1/contacts/{contact_id}"]["patch"]

    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in update["parameters"])
    assert "412" in {str(status) for status in update["responses"]}
    assert "ETag" in update["responses"][200]["headers"]
    assert "ETag" in paths["/api/v1/contacts/{contact_id}"]["get"]["responses"][200]["headers"]
