import pytest

from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/contacts/contact/",
    "/admin/contacts/source/",
    "/admin/contacts/customfielddefinition/add/",
    "/admin/activities/interaction/",
    "/admin/core/auditevent/",
    "/admin/accounts/user/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_open_for_administrators(client, url):
    ContactFactory(phone="+998901234567")
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 200


def test_admin_is_closed_to_sales_staff(client):
    client.force_login(UserFactory(role="sales"))

    response = client.get("/admin/contacts/contact/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_refuses_choice_field_without_choices(client):
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/contacts/customfielddefinition/add/",
        {
            "entity": "contact",
            "key": "cake",
            "label": "Cake",
            "field_type": "choice",
            "choices": "[]",
            "position": 0,
        },
    )

    assert response.status_code == 200
    assert "needs at least one choice" in response.content.decode()
