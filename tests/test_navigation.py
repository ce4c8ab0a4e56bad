import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_menu_reaches_tickets_help_feedback_forms_and_booking(client):
    client.force_login(UserFactory())

    page = client.get(reverse("home")).content.decode()

    for name in (
        "support:ticket_list",
        "support:article_list",
        "feedback:index",
        "webforms:form_list",
        "booking:availability",
    ):
        assert f'href="{reverse(name)}"' in page, name
