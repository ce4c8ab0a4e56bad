"""The parts of a contact card that load right after it: the duplicate hint and the
secondary panels (planned activities, send a message, projects, invoices)."""

import pytest
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.core.panels import panels_for
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import ActivityFactory
from tests.contacts.cards import open_card
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_card_page_leaves_secondary_panels_for_after_it_has_loaded(client, user):
    contact = ContactFactory(owner=user)
    ActivityFactory(contact=contact, subject="Deliver the cake")

    page = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    assert "Deliver the cake" not in page
    assert f'hx-get="{reverse("contacts:panel", args=[contact.pk, "activities"])}"' in page
    assert "Deliver the cake" in open_card(client, reverse("contacts:detail", args=[contact.pk]))


def test_insight_panel_is_part_of_the_card_itself(user):
    contact = ContactFactory(owner=user)

    panels = {panel.key: panel for panel in panels_for(contact, user)}

    assert not panels["sales-insight"].lazy
    assert {"activities", "messaging-send", "projects", "invoices"} <= {
        key for key, panel in panels.items() if panel.lazy
    }


def test_duplicate_hint_loads_after_the_card_and_names_the_look_alike(client, user):
    contact = ContactFactory(
        owner=user, first_name="Aziza", last_name="Rahimova", phone="+998901234567"
    )
    twin = ContactFactory(
        owner=user, first_name="Aziza", last_name="Rahimova", phone="+998901234567"
    )

    card = open_card(client, reverse("contacts:detail", args=[contact.pk]))

    assert "Possible duplicates" in card
    assert reverse("contacts:detail", args=[twin.pk]) in card
    assert f"ids={contact.pk}&amp;ids={twin.pk}" in card


def test_duplicate_hint_is_empty_without_look_alikes(client, user):
    contact = ContactFactory(owner=user, first_name="Unique", last_name="Person")

    hint = client.get(reverse("contacts:duplicate_hint", args=[contact.pk]))

    assert hint.status_code == 200
    assert "Possible duplicates" not in hint.content.decode()


def test_late_parts_of_another_teams_contact_are_not_found(client, user, stranger):
    contact = ContactFactory(owner=stranger)

    assert client.get(reverse("contacts:duplicate_hint", args=[contact.pk])).status_code == 404
    panel = reverse("contacts:panel", args=[contact.pk, "activities"])
    assert client.get(panel).status_code == 404


def test_unknown_panel_is_not_found(client, user):
    contact = ContactFactory(owner=user)

    assert client.get(reverse("contacts:panel", args=[contact.pk, "nonsense"])).status_code == 404


def test_panel_with_nothing_to_show_answers_empty(client):
    support = UserFactory(role=Role.SUPPORT, team=TeamFactory(name="Help"))
    contact = ContactFactory(owner=support)
    client.force_login(support)

    response = client.get(reverse("contacts:panel", args=[contact.pk, "invoices"]))

    assert response.status_code == 200
    assert response.content == b""
