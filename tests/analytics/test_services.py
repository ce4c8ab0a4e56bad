"""The rebuild: RFM scores from counted orders, the per-contact update, stored boundaries."""

import datetime
from decimal import Decimal

import pytest

from hamkor.analytics.models import Refresh, RfmGroup, RfmScore
from hamkor.analytics.services import refresh_analytics, refresh_contact_rfm
from hamkor.core.models import ExchangeRate
from hamkor.sales.models import OrderStatus
from tests.analytics.helpers import order, today
from tests.contacts.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _days_ago(days):
    return today() - datetime.timedelta(days=days)


def test_refresh_scores_five_customers_one_to_five():
    # Customer k: last bought 50·(6-k) days ago, k orders of 100 000 × k.
    contacts = [ContactFactory() for _ in range(5)]
    for k, contact in enumerate(contacts, start=1):
        for n in range(k):
            order(contact, _days_ago(50 * (6 - k) + n * 300), total=str(100000 * k))

    refresh_analytics()

    scores = {s.contact_id: (s.recency, s.frequency, s.monetary) for s in RfmScore.objects.all()}
    assert scores == {contact.pk: (k, k, k) for k, contact in enumerate(contacts, start=1)}
    top = RfmScore.objects.get(contact=contacts[4])
    assert top.group == RfmGroup.CHAMPIONS
    assert top.orders == 5
    assert top.lifetime_value == Decimal("2500000.00")
    assert top.last_order_on == _days_ago(50)
    assert top.first_order_on == _days_ago(50 + 4 * 300)
    assert RfmScore.objects.get(contact=contacts[0]).group == RfmGroup.LOST


def test_refresh_counts_only_confirmed_and_paid_orders():
    buyer, cancelled_only, nobody = ContactFactory(), ContactFactory(), ContactFactory()
    order(buyer, _days_ago(3), status=OrderStatus.CONFIRMED)
    order(buyer, _days_ago(2), status=OrderStatus.CANCELLED, total="9000000")
    order(buyer, _days_ago(1), status=OrderStatus.DRAFT, total="9000000")
    order(cancelled_only, _days_ago(1), status=OrderStatus.CANCELLED)

    refresh_analytics()

    assert list(RfmScore.objects.values_list("contact_id", flat=True)) == [buyer.pk]
    score = RfmScore.objects.get(contact=buyer)
    assert (score.orders, score.lifetime_value) == (1, Decimal("100000.00"))
    assert not RfmScore.objects.filter(contact=nobody).exists()


def test_refresh_single_customer_scores_the_middle():
    contact = ContactFactory()
    order(contact, _days_ago(400))

    refresh_analytics()

    score = RfmScore.objects.get(contact=contact)
    assert (score.recency, score.frequency, score.monetary) == (3, 3, 3)
    assert score.group == RfmGroup.NEED_ATTENTION


def test_refresh_converts_money_at_each_order_date():
    ExchangeRate.objects.create(date=_days_ago(30), currency="USD", rate=Decimal("12000"))
    ExchangeRate.objects.create(date=_days_ago(10), currency="USD", rate=Decimal("12500"))
    contact = ContactFactory()
    order(contact, _days_ago(20), total="10.00", currency="USD")  # 10 × 12 000
    order(contact, _days_ago(5), total="2.50", currency="USD")  # 2.5 × 12 500
    order(contact, _days_ago(1), total="1000", currency="UZS")

    refresh_analytics()

    assert RfmScore.objects.get(contact=contact).lifetime_value == Decimal("152250.00")


def test_refresh_leaves_out_orders_without_a_rate():
    contact = ContactFactory()
    order(contact, _days_ago(2), total="10.00", currency="EUR")
    order(contact, _days_ago(1), total="5000")

    refresh = refresh_analytics()

    assert refresh.unconverted_orders == 1
    score = RfmScore.objects.get(contact=contact)
    assert (score.orders, score.lifetime_value) == (1, Decimal("5000.00"))


def test_refresh_company_orders_count_as_revenue_not_customers():
    company = CompanyFactory()
    order(None, _days_ago(1), company=company, total="700000")

    refresh = refresh_analytics()

    assert refresh.orders == 1
    assert refresh.customers == 0
    assert not RfmScore.objects.exists()


def test_refresh_stores_boundaries_and_keeps_one_row():
    contacts = [ContactFactory() for _ in range(5)]
    for k, contact in enumerate(contacts, start=1):
        order(contact, _days_ago(10 * (6 - k)), total=str(1000 * k))

    refresh_analytics()
    refresh = refresh_analytics()

    assert Refresh.objects.count() == 1
    assert refresh.recency_bounds == [_days_ago(d).isoformat() for d in (40, 30, 20, 10)]
    assert refresh.frequency_bounds == [1, 1, None, None]  # everyone: one order, score 3
    assert refresh.monetary_bounds == ["2000.00", "3000.00", "4000.00", "5000.00"]


def test_refresh_without_rfm_keeps_scores_and_boundaries():
    contact = ContactFactory()
    order(contact, _days_ago(5))
    refresh_analytics()
    bounds = Refresh.objects.get().monetary_bounds
    order(ContactFactory(), _days_ago(1))

    refresh = refresh_analytics(with_rfm=False)

    assert RfmScore.objects.count() == 1
    assert refresh.monetary_bounds == bounds
    assert refresh.customers == 2


def test_refresh_contact_rfm_scores_against_stored_bounds():
    contacts = [ContactFactory() for _ in range(5)]
    for k, contact in enumerate(contacts, start=1):
        order(contact, _days_ago(10 * (6 - k)), total=str(1000 * k))
    refresh_analytics()
    newcomer = ContactFactory()
    order(newcomer, _days_ago(0), total="3500")

    score = refresh_contact_rfm(contact_id=newcomer.pk)

    # Newest purchase (≥ the 5 bound), one order (bound for 3 is 1), 3 500 (≥ 3 000 → 3).
    assert score is not None
    assert (score.recency, score.frequency, score.monetary) == (5, 3, 3)
    assert score.group == RfmGroup.POTENTIAL
    assert RfmScore.objects.get(contact=newcomer).lifetime_value == Decimal("3500.00")


def test_refresh_contact_rfm_removes_score_when_orders_are_cancelled():
    contact = ContactFactory()
    placed = order(contact, _days_ago(3))
    refresh_analytics()
    placed.status = OrderStatus.CANCELLED
    placed.save(update_fields=["status"])

    assert refresh_contact_rfm(contact_id=contact.pk) is None
    assert refresh_contact_rfm(contact_id=contact.pk) is None
    assert not RfmScore.objects.filter(contact=contact).exists()


def test_refresh_contact_rfm_before_any_run_scores_the_middle():
    contact = ContactFactory()
    order(contact, _days_ago(3))

    score = refresh_contact_rfm(contact_id=contact.pk)

    assert score is not None
    assert (score.recency, score.frequency, score.monetary) == (3, 3, 3)
