import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hamkor.accounts.api_access import API_AREAS, area_for_path
from hamkor.accounts.models import ApiToken, Role, TokenScope
from hamkor.accounts.services import authenticate_token, issue_token
from hamkor.contacts.models import Contact
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"
PRODUCTS = "/api/v1/products"


def _client(secret):
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _post_contact(client):
    body = json.dumps({"first_name": "Aziza", "last_name": "Rahimova"})
    return client.post(CONTACTS, data=body, content_type="application/json")


def test_read_only_token_reads_but_cannot_write():
    issued = issue_token(user=UserFactory(role=Role.MANAGER), name="bi", scope=TokenScope.READ)
    client = _client(issued.secret)

    read = client.get(CONTACTS)
    write = _post_contact(client)

    assert read.status_code == 200
    assert write.status_code == 403
    assert "read-only" in write.json()["detail"]
    assert not Contact.objects.exists()


def test_token_limited_to_an_area_is_refused_elsewhere():
    issued = issue_token(user=UserFactory(role=Role.MANAGER), name="shop", apps=["contacts"])
    client = _client(issued.secret)

    inside = client.get(CONTACTS)
    companies = client.get("/api/v1/companies")
    outside = client.get(PRODUCTS)

    assert inside.status_code == 200
    assert companies.status_code == 200
    assert outside.status_code == 403
    assert "sales" in outside.json()["detail"]


def test_expired_token_is_refused_with_a_clear_detail():
    user = UserFactory()
    issued = issue_token(user=user, name="old", expires_in_days=30)
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = _client(issued.secret).get(CONTACTS)

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert authenticate_token(issued.secret) is None


def test_token_with_a_future_expiry_works():
    issued = issue_token(user=UserFactory(), name="new", expires_in_days=30)

    response = _client(issued.secret).get(CONTACTS)

    assert response.status_code == 200
    assert issued.token.expires_at > timezone.now() + timedelta(days=29)


def test_tokens_keep_full_rights_by_default():
    issued = issue_token(user=UserFactory(role=Role.MANAGER), name="legacy")

    response = _post_contact(_client(issued.secret))

    assert response.status_code == 201
    assert (issued.token.scope, issued.token.apps, issued.token.expires_at) == ("write", [], None)


def test_issue_token_refuses_unknown_areas_and_scopes():
    user = UserFactory()

    with pytest.raises(ValidationError, match="Unknown API areas: wizardry"):
        issue_token(user=user, name="x", apps=["contacts", "wizardry"])
    with pytest.raises(ValidationError, match="Unknown scope"):
        issue_token(user=user, name="x", scope="admin")


@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("/api/v1/contacts/12/overview", "contacts"),
        ("/api/v1/companies", "contacts"),
        ("/api/v1/orders", "sales"),
        ("/api/v1/time-entries/3", "projects"),
        ("/api/v1/tax-rates", "billing"),
        ("/api/v1/privacy/requests", "privacy"),
        ("/api/v1/something-new", "something-new"),
    ],
)
def test_area_for_path_maps_the_first_segment_to_an_area(path, area):
    assert area_for_path(path) == area


def test_profile_form_creates_a_limited_read_only_token(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:token_create"),
        {"name": "reports", "scope": "read", "apps": ["sales", "billing"], "expires": "30"},
    )

    token = ApiToken.objects.get(user=user)
    assert response.status_code == 200
    assert (token.scope, token.apps) == ("read", ["sales", "billing"])
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Read only" in page and "sales, billing" in page


def test_profile_form_defaults_to_ninety_days(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("accounts:token_create"), {"name": "shop"})

    token = ApiToken.objects.get(user=user)
    assert token.scope == "write"
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)


def test_profile_form_offers_never_expiring_tokens(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("accounts:token_create"), {"name": "shop", "expires": "never"})

    assert ApiToken.objects.get(user=user).expires_at is None


def test_cli_creates_a_scoped_token():
    user = UserFactory(username="otabek")
    out = StringIO()

    call_command(
        "token",
        "create",
        "otabek",
        "--scope",
        "read",
        "--apps",
        "contacts, support",
        "--expires",
        "365",
        stdout=out,
    )

    token = ApiToken.objects.get(user=user)
    assert authenticate_token(out.getvalue().strip()) == user
    assert (token.scope, token.apps) == ("read", ["contacts", "support"])
    assert token.expires_at > timezone.now() + timedelta(days=364)


def test_cli_refuses_an_unknown_area():
    UserFactory(username="otabek")

    with pytest.raises(CommandError, match="Unknown API areas"):
        call_command("token", "create", "otabek", "--apps", "nowhere")


def test_every_area_has_a_label_and_routes():
    from hamkor.accounts.api_access import AREA_OF_SEGMENT

    assert set(AREA_OF_SEGMENT.values()) == set(API_AREAS)
