import pytest
from django.test import Client

from hamkor.accounts.services import issue_token, revoke_token
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"


def test_api_answers_a_valid_token():
    response = api_client(UserFactory()).get(CONTACTS)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer hmk_not-a-real-token", "Basic dXNlcjpwYXNz", "hmk_no-scheme"],
)
def test_api_refuses_missing_or_wrong_token_with_detail(header):
    headers = {"Authorization": header} if header else {}

    response = Client(headers=headers).get(CONTACTS)

    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_api_refuses_a_revoked_token():
    user = UserFactory()
    issued = issue_token(user=user, name="shop")
    revoke_token(token=issued.token, actor=user)

    response = Client(headers={"Authorization": f"Bearer {issued.secret}"}).get(CONTACTS)

    assert response.status_code == 401


def test_api_refuses_the_token_of_a_deactivated_user():
    user = UserFactory()
    client = api_client(user)
    user.is_active = False
    user.save()

    response = client.get(CONTACTS)

    assert response.status_code == 401


def test_api_refuses_writes_without_a_token():
    response = Client().post(CONTACTS, data={"first_name": "A"}, content_type="application/json")

    assert response.status_code == 401
