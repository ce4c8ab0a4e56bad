"""REST API: pages, free slots in a zone, booking (409 when taken), scoped booking list."""

import datetime
import zoneinfo

import pytest

from hamkor.accounts.models import Role
from hamkor.booking.models import Booking
from hamkor.booking.selectors import list_free_slots
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client, send

pytestmark = pytest.mark.django_db

BASE = "/api/v1/booking"


def _payload(start, **changes):
    data = {"start": start.isoformat(), "name": "Aziza", "email": "aziza@example.com"}
    data.update(changes)
    return data


def test_pages_lists_the_viewers_own(page):
    client = api_client(page.schedule.user)
    other = api_client(UserFactory(role=Role.SALES))

    mine = client.get(f"{BASE}/pages").json()
    theirs = other.get(f"{BASE}/pages").json()

    assert [item["slug"] for item in mine] == ["cakes"]
    assert mine[0]["url"] == "/book/cakes/"
    assert theirs == []


def test_slots_come_in_the_customer_zone(page):
    client = api_client(UserFactory(role=Role.MANAGER))
    first = list_free_slots(page=page)[0]

    response = client.get(f"{BASE}/pages/cakes/slots", {"tz": "America/New_York"})

    assert response.status_code == 200
    body = response.json()
    assert body["tz"] == "America/New_York"
    start = datetime.datetime.fromisoformat(body["slots"][0]["start"])
    assert start == first
    assert start.utcoffset() in (datetime.timedelta(hours=-5), datetime.timedelta(hours=-4))


def test_slots_filter_by_local_days(page):
    client = api_client(UserFactory(role=Role.MANAGER))
    zone = zoneinfo.ZoneInfo("Asia/Tashkent")
    day = list_free_slots(page=page)[-1].astimezone(zone).date()

    body = client.get(
        f"{BASE}/pages/cakes/slots", {"tz": "Asia/Tashkent", "start": day, "end": day}
    ).json()

    assert len(body["slots"]) == 6
    assert {item["start"][:10] for item in body["slots"]} == {day.isoformat()}


def test_slots_with_an_unknown_zone_are_refused(page):
    client = api_client(UserFactory(role=Role.MANAGER))

    response = client.get(f"{BASE}/pages/cakes/slots", {"tz": "Mars/Olympus"})

    assert response.status_code == 422
    assert "Mars/Olympus" in response.json()["detail"]


def test_book_then_the_same_time_again_is_409(page):
    client = api_client(UserFactory(role=Role.MANAGER))
    first = list_free_slots(page=page)[0]

    created = send(client, "post", f"{BASE}/pages/cakes/bookings", _payload(first, tz="UTC"))
    again = send(client, "post", f"{BASE}/pages/cakes/bookings", _payload(first, email="b@x.uz"))

    assert created.status_code == 201
    assert created.json()["customer_time_zone"] == "UTC"
    assert created.json()["activity_id"] is not None
    assert again.status_code == 409
    assert again.json()["detail"] == "This time was just taken; please pick another one."


def test_book_with_bad_input_names_the_field(page):
    client = api_client(UserFactory(role=Role.MANAGER))
    first = list_free_slots(page=page)[0]

    no_address = send(client, "post", f"{BASE}/pages/cakes/bookings", _payload(first, email=""))
    not_offered = send(
        client,
        "post",
        f"{BASE}/pages/cakes/bookings",
        _payload(first + datetime.timedelta(minutes=5)),
    )

    assert no_address.status_code == 422
    assert "email" in no_address.json()["errors"]
    assert not_offered.status_code == 422
    assert "slot" in not_offered.json()["errors"]
    assert Booking.objects.count() == 0


def test_book_an_unpublished_page_is_404(page):
    page.is_published = False
    page.save()
    client = api_client(UserFactory(role=Role.MANAGER))

    response = send(
        client,
        "post",
        f"{BASE}/pages/cakes/bookings",
        _payload(datetime.datetime.now(datetime.UTC)),
    )

    assert response.status_code == 404


def test_bookings_list_is_scoped_to_the_viewer(page):
    manager = api_client(UserFactory(role=Role.MANAGER))
    first = list_free_slots(page=page)[0]
    send(manager, "post", f"{BASE}/pages/cakes/bookings", _payload(first))
    stranger = api_client(UserFactory(role=Role.SALES, team=TeamFactory(name="Elsewhere")))

    assert [b["name"] for b in api_client(page.schedule.user).get(f"{BASE}/bookings").json()] == [
        "Aziza"
    ]
    assert stranger.get(f"{BASE}/bookings").json() == []


def test_api_needs_a_token(page):
    from django.test import Client

    assert Client().get(f"{BASE}/pages").status_code == 401
