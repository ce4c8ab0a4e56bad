"""The effectiveness report on a hand-computed data set in three currencies (base: UZS)."""

import datetime
from decimal import Decimal

import pytest

from hamkor.contacts.models import Contact
from hamkor.marketing.selectors import get_effectiveness
from hamkor.marketing.services import attribute_contact
from tests.billing.factories import ExchangeRateFactory
from tests.contacts.factories import ContactFactory, SourceFactory
from tests.marketing.factories import CampaignFactory
from tests.sales.factories import OrderFactory

pytestmark = pytest.mark.django_db

FEB_1, FEB_28 = datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)


def _at(day: int, month: int = 2) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, 0, tzinfo=datetime.UTC)


def _contact(created: datetime.datetime, campaign=None, source=None) -> Contact:
    contact = ContactFactory(source=source)
    Contact.objects.filter(pk=contact.pk).update(created_at=created)
    if campaign is not None:
        attribute_contact(contact=contact, campaign=campaign, actor=None)
    return contact


@pytest.fixture
def data_set(settings):
    settings.HAMKOR_BASE_CURRENCY = "UZS"
    ExchangeRateFactory(currency="USD", date=datetime.date(2026, 1, 1), rate=Decimal("12000"))
    ExchangeRateFactory(currency="USD", date=datetime.date(2026, 2, 1), rate=Decimal("12500"))
    ExchangeRateFactory(currency="EUR", date=datetime.date(2026, 1, 1), rate=Decimal("13000"))
    instagram, friends = SourceFactory(name="Instagram"), SourceFactory(name="Friends")
    # 100 USD at 12,500 (its start date's rate) = 1,250,000.
    feb = CampaignFactory(
        name="Instagram February",
        starts_on=FEB_1,
        cost=Decimal("100"),
        currency="USD",
        source=instagram,
    )
    # 1,000 EUR at 13,000 = 13,000,000; ran into the window.
    radio = CampaignFactory(
        name="Radio",
        starts_on=datetime.date(2026, 1, 15),
        ends_on=datetime.date(2026, 2, 15),
        cost=Decimal("1000"),
        currency="EUR",
    )
    referral = CampaignFactory(name="Referral", starts_on=datetime.date(2026, 2, 10))
    CampaignFactory(
        name="Old", starts_on=datetime.date(2025, 12, 1), ends_on=datetime.date(2026, 1, 10)
    )

    c1 = _contact(_at(3), feb, instagram)
    OrderFactory(contact=c1, total=Decimal("200"), currency="USD", status="paid", ordered_at=_at(5))
    OrderFactory(contact=c1, total=Decimal("500000"), status="confirmed", ordered_at=_at(20))
    OrderFactory(contact=c1, total=Decimal("1000000"), status="cancelled", ordered_at=_at(21))
    OrderFactory(contact=c1, total=Decimal("9999"), status="paid", ordered_at=_at(5, month=3))
    _contact(_at(4), feb, instagram)  # no orders
    c3 = _contact(_at(8), radio)
    OrderFactory(
        contact=c3, total=Decimal("100"), currency="EUR", status="paid", ordered_at=_at(10)
    )
    c4 = _contact(_at(11), referral, friends)
    OrderFactory(contact=c4, total=Decimal("400000"), status="paid", ordered_at=_at(12))
    before = _contact(_at(20, month=1), feb)  # added before the window
    OrderFactory(contact=before, total=Decimal("7000000"), status="paid", ordered_at=_at(6))


def _rows(rows):
    return [
        (r.name, r.new_contacts, r.customers, r.revenue, r.cost, r.cost_per_customer, r.roi)
        for r in rows
    ]


def test_effectiveness_per_campaign_in_base_currency_ranked_by_roi(data_set):
    report = get_effectiveness(start=FEB_1, end=FEB_28)

    assert report.currency == "UZS"
    assert _rows(report.campaigns) == [
        # 200 USD x 12,500 + 500,000 = 3,000,000; (3,000,000 - 1,250,000) / 1,250,000 = 1.4
        (
            "Instagram February",
            2,
            1,
            Decimal("3000000.00"),
            Decimal("1250000.00"),
            Decimal("1250000.00"),
            Decimal("1.4000"),
        ),
        # 100 EUR x 13,000 = 1,300,000; (1,300,000 - 13,000,000) / 13,000,000 = -0.9
        (
            "Radio",
            1,
            1,
            Decimal("1300000.00"),
            Decimal("13000000.00"),
            Decimal("13000000.00"),
            Decimal("-0.9000"),
        ),
        # No cost: no ROI, and last in the ranking.
        ("Referral", 1, 1, Decimal("400000.00"), Decimal("0.00"), Decimal("0.00"), None),
    ]


def test_effectiveness_per_source_carries_linked_campaign_cost(data_set):
    report = get_effectiveness(start=FEB_1, end=FEB_28)

    assert _rows(report.sources) == [
        (
            "Instagram",
            2,
            1,
            Decimal("3000000.00"),
            Decimal("1250000.00"),
            Decimal("1250000.00"),
            Decimal("1.4000"),
        ),
        ("Friends", 1, 1, Decimal("400000.00"), None, None, None),
    ]


def test_effectiveness_of_an_empty_window_is_empty(data_set):
    # Before every campaign started.
    report = get_effectiveness(start=datetime.date(2025, 6, 1), end=datetime.date(2025, 6, 30))

    assert report.campaigns == []
    assert report.sources == []
