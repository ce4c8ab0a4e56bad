import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.activities.models import Interaction
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import InteractionFactory
from tests.contacts.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def user(client):
    user = UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))
    client.force_login(user)
    return user


@pytest.fixture
def stranger():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))


def call(**overrides):
    data = {
        "channel": "phone",
        "direction": "out",
        "subject": "Asked about a birthday cake",
        "body": "Wants it on Friday",
        "outcome": "follow_up",
        "occurred_at": "",
    }
    data.update(overrides)
    return data


def test_home_requires_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_shows_counts_and_recent_contacts(client, user):
    ContactFactory(first_name="Dilnoza", owner=user)
    ContactFactory(first_name="Aziza", owner=user)
    CompanyFactory(owner=user)
    InteractionFactory(contact=ContactFactory(owner=user))

    response = client.get(reverse("home"))

    page = response.content.decode()
    assert response.context["contact_count"] == 3
    assert response.context["company_count"] == 1
    assert response.context["interaction_count"] == 1
    assert "Dilnoza" in page
    assert 'action="/contacts/"' in page


def test_log_interaction_htmx_shows_it_on_the_timeline(client, user):
    contact = ContactFactory(owner=user)

    response = client.post(reverse("activities:log_contact", args=[contact.pk]), call(), **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in page
    assert "Asked about a birthday cake" in page
    assert Interaction.objects.get().created_by == user


def test_logged_interaction_appears_on_the_detail_page(client, user):
    contact = ContactFactory(owner=user)

    response = client.post(
        reverse("activities:log_contact", args=[contact.pk]), call(), follow=True
    )

    assert "The interaction was logged." in response.content.decode()
    assert "Asked about a birthday cake" in response.content.decode()


def test_log_interaction_in_the_future_shows_error_beside_the_field(client, user):
    contact = ContactFactory(owner=user)
    next_week = timezone.localtime() + datetime.timedelta(days=7)

    response = client.post(
        reverse("activities:log_contact", args=[contact.pk]),
        call(occurred_at=next_week.strftime("%Y-%m-%dT%H:%M")),
        **HTMX,
    )

    assert response.context["form"].errors["occurred_at"] == [
        "An interaction cannot be in the future."
    ]
    assert "Wants it on Friday" in response.content.decode()
    assert not Interaction.objects.exists()


def test_log_interaction_time_is_read_in_the_users_time_zone(client, user):
    user.time_zone = "Asia/Bishkek"
    user.save()
    contact = ContactFactory(owner=user)

    client.post(
        reverse("activities:log_contact", args=[contact.pk]),
        call(occurred_at="2024-03-21T10:00"),
    )

    expected = datetime.datetime(2024, 3, 21, 4, 0, tzinfo=datetime.UTC)
    assert Interaction.objects.get().occurred_at == expected


def test_log_interaction_for_a_company(client, user):
    company = CompanyFactory(owner=user)

    response = client.post(
        reverse("activities:log_company", args=[company.pk]), call(), follow=True
    )

    assert "Asked about a birthday cake" in response.content.decode()
    assert Interaction.objects.get().company == company


def test_timeline_load_more_returns_the_next_entries(client, user):
    contact = ContactFactory(owner=user)
    now = timezone.now()
    for minutes in range(25):
        InteractionFactory(
            contact=contact,
            subject=f"Call number {minutes}",
            occurred_at=now - datetime.timedelta(minutes=minutes),
        )

    first = client.get(reverse("contacts:detail", args=[contact.pk]))
    more = client.get(
        reverse("activities:contact_timeline", args=[contact.pk]), {"offset": 20}, **HTMX
    )

    assert "Call number 19" in first.content.decode()
    assert "Call number 20" not in first.content.decode()
    assert "Load more" in first.content.decode()
    assert "Call number 24" in more.content.decode()
    assert "<html" not in more.content.decode()


def test_timeline_channel_filter_partial(client, user):
    contact = ContactFactory(owner=user)
    InteractionFactory(contact=contact, channel="visit", subject="Came to the shop")
    InteractionFactory(contact=contact, channel="phone", subject="Called")

    response = client.get(
        reverse("activities:contact_timeline", args=[contact.pk]), {"channel": "visit"}, **HTMX
    )

    assert "Came to the shop" in response.content.decode()
    assert "Called" not in response.content.decode()


def test_edit_interaction_changes_it_and_returns_to_the_contact(client, user):
    interaction = InteractionFactory(contact=ContactFactory(owner=user), subject="Typo")

    form = client.get(reverse("activities:edit", args=[interaction.pk]))
    response = client.post(reverse("activities:edit", args=[interaction.pk]), call(subject="Fixed"))

    interaction.refresh_from_db()
    assert 'value="Typo"' in form.content.decode()
    assert response.url == reverse("contacts:detail", args=[interaction.contact_id])
    assert interaction.subject == "Fixed"


def test_delete_interaction_from_the_timeline(client, user):
    interaction = InteractionFactory(contact=ContactFactory(owner=user))

    response = client.post(reverse("activities:delete", args=[interaction.pk]), **HTMX)

    assert response.status_code == 200
    assert response.content == b""
    assert not Interaction.objects.exists()


# --- visibility -------------------------------------------------------------------------


def test_cannot_log_interaction_on_other_teams_contact(client, user, stranger):
    contact = ContactFactory(owner=stranger)

    response = client.post(reverse("activities:log_contact", args=[contact.pk]), call())

    assert response.status_code == 404
    assert not Interaction.objects.exists()


def test_cannot_read_other_teams_timeline(client, user, stranger):
    contact = ContactFactory(owner=stranger)
    InteractionFactory(contact=contact, subject="Secret")

    response = client.get(reverse("activities:contact_timeline", args=[contact.pk]), **HTMX)

    assert response.status_code == 404


def test_cannot_edit_or_delete_other_teams_interaction(client, user, stranger):
    interaction = InteractionFactory(contact=ContactFactory(owner=stranger), subject="Theirs")

    edit = client.post(reverse("activities:edit", args=[interaction.pk]), call(subject="Mine"))
    delete = client.post(reverse("activities:delete", args=[interaction.pk]))

    interaction.refresh_from_db()
    assert (edit.status_code, delete.status_code) == (404, 404)
    assert interaction.subject == "Theirs"


def test_home_counts_only_visible_records(client, user, stranger):
    ContactFactory(owner=stranger)

    response = client.get(reverse("home"))

    assert response.context["contact_count"] == 0
