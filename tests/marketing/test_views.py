"""Staff pages: the segment editor with its live count, members, campaigns, the report, the
compose page with its preview, and the campaign panel on the contact card."""

import pytest
from django.test import Client

from hamkor.accounts.models import Role
from hamkor.marketing.models import Attribution, BulkSend, Campaign, Segment
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.marketing.factories import (
    CampaignFactory,
    ConsentFactory,
    ManagerFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db

TASHKENT = {"match": "all", "rules": [{"field": "city", "op": "in", "value": ["Tashkent"]}]}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_index_lists_segments_with_the_viewers_count():
    seller = UserFactory(role=Role.SALES)
    ContactFactory(city="Tashkent", owner=seller)
    ContactFactory(city="Tashkent")
    SegmentFactory(name="Tashkent buyers", rules=TASHKENT)

    page = _client(seller).get("/marketing/").content.decode()

    assert "Tashkent buyers" in page
    assert "1 contact" in page


def test_live_count_answers_the_rules_being_edited():
    ContactFactory(city="Tashkent", language="ru")
    ContactFactory(city="Tashkent", language="uz")

    response = _client(ManagerFactory()).post(
        "/marketing/segments/count/", {"city": "Tashkent", "language": ["ru"]}
    )

    assert response.status_code == 200
    assert "1 matching contact" in response.content.decode()


def test_segment_editor_saves_rules_and_shows_them_again():
    client = _client(ManagerFactory())

    response = client.post(
        "/marketing/segments/new/",
        {
            "name": "Russian speakers in Tashkent",
            "city": "Tashkent",
            "language": ["ru"],
            "orders_min": "2",
        },
    )

    segment = Segment.objects.get()
    assert response.status_code == 302
    assert segment.rules == {
        "match": "all",
        "rules": [
            {"field": "city", "op": "in", "value": ["Tashkent"]},
            {"field": "language", "op": "in", "value": ["ru"]},
            {"field": "order_count", "op": "gte", "value": 2},
        ],
    }
    edit = client.get(f"/marketing/segments/{segment.pk}/edit/").content.decode()
    assert 'value="Tashkent"' in edit


def test_segment_editor_shows_bad_json_beside_the_field():
    response = _client(ManagerFactory()).post(
        "/marketing/segments/new/", {"name": "X", "extra": '[{"field": "nope"}]'}
    )

    assert response.status_code == 422
    assert "Unknown rule field" in response.content.decode()
    assert not Segment.objects.exists()


def test_segment_pages_need_a_manager_to_edit():
    client = _client(UserFactory(role=Role.SALES))

    assert client.get("/marketing/segments/new/").status_code == 403
    assert client.get("/marketing/effectiveness/").status_code == 403


def test_segment_detail_lists_visible_members():
    ContactFactory(city="Tashkent", first_name="Aziza", last_name="Aliyeva")
    segment = SegmentFactory(rules=TASHKENT)

    page = _client(ManagerFactory()).get(f"/marketing/segments/{segment.pk}/").content.decode()

    assert "Aliyeva Aziza" in page


def test_campaign_form_creates_a_campaign_and_shows_errors_beside_fields():
    client = _client(ManagerFactory())
    values = {
        "name": "Billboard",
        "channel": "banner",
        "starts_on": "2026-03-01",
        "cost": "1000000",
        "currency": "UZS",
    }

    bad = client.post("/marketing/campaigns/new/", {**values, "ends_on": "2026-01-01"})
    good = client.post("/marketing/campaigns/new/", values)

    assert bad.status_code == 422
    assert good.status_code == 302
    assert Campaign.objects.get().name == "Billboard"


def test_effectiveness_page_shows_a_dash_for_roi_without_cost():
    CampaignFactory(name="Word of mouth")

    page = (
        _client(ManagerFactory())
        .get("/marketing/effectiveness/?start=2026-01-01&end=2026-01-31")
        .content.decode()
    )

    assert "Word of mouth" in page
    assert "—" in page


def test_compose_previews_and_sends():
    contact = ContactFactory(city="Tashkent", email="a@example.com")
    ConsentFactory(contact=contact, channel="email")
    segment = SegmentFactory(rules=TASHKENT)
    client = _client(ManagerFactory())

    preview = client.get(f"/marketing/segments/{segment.pk}/send/?channel=email")
    sent = client.post(
        f"/marketing/segments/{segment.pk}/send/",
        {"channel": "email", "subject": "News", "body": "Hi {{ contact.first_name }}"},
    )

    assert "1 recipient" in preview.content.decode()
    assert sent.status_code == 302
    assert BulkSend.objects.get().total == 1


def test_contact_panel_sets_the_campaign():
    manager = ManagerFactory()
    contact = ContactFactory()
    campaign = CampaignFactory(name="Radio")
    client = _client(manager)

    panel = client.get(f"/contacts/{contact.pk}/panels/marketing-campaign/")
    saved = client.post(f"/marketing/contacts/{contact.pk}/campaign/", {"campaign": campaign.pk})
    wrong = client.post(f"/marketing/contacts/{contact.pk}/campaign/", {"campaign": "x"})

    assert panel.status_code == 200
    assert "Radio" in panel.content.decode()
    assert saved.status_code == 200
    assert Attribution.objects.get(contact=contact).campaign == campaign
    assert wrong.status_code == 422


def test_contact_panel_hides_contacts_the_viewer_cannot_see():
    contact = ContactFactory()
    campaign = CampaignFactory()

    response = _client(UserFactory(role=Role.SALES)).post(
        f"/marketing/contacts/{contact.pk}/campaign/", {"campaign": campaign.pk}
    )

    assert response.status_code == 404
    assert not Attribution.objects.exists()
