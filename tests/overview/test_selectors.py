import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.contacts.models import Company, Contact
from hamkor.overview.selectors import get_company_overview, get_contact_overview
from tests.accounts.factories import UserFactory
from tests.activities.factories import InteractionFactory
from tests.contacts.factories import CompanyFactory
from tests.overview.factories import make_history, seller_with_customer
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory
from tests.sales.factories import DealFactory, OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    seller, contact = seller_with_customer()
    return make_history(seller=seller, contact=contact)


def test_get_contact_overview_counts_deals_and_converts_them(history):
    overview = get_contact_overview(viewer=history.seller, pk=history.customer.pk)

    deals = overview.deals
    assert (deals.count, deals.open_count, deals.won_count, deals.lost_count) == (2, 1, 1, 0)
    # 1 000 USD at 12 500 so'm.
    assert deals.open_amount.amount == Decimal("12500000.00")
    assert deals.open_amount.currency == "UZS"
    assert deals.open_amount.converted
    assert deals.won_amount.amount == Decimal("5000000.00")
    assert [d.title for d in deals.latest] == ["Website", "Logo"]


def test_get_contact_overview_totals_only_confirmed_and_paid_orders(history):
    orders = get_contact_overview(viewer=history.seller, pk=history.customer.pk).orders

    assert (orders.count, orders.purchase_count) == (3, 2)
    assert orders.purchases.amount == Decimal("500000.00")
    assert len(orders.latest) == 3


def test_get_contact_overview_shows_project_over_its_hours_budget(history):
    projects = get_contact_overview(viewer=history.seller, pk=history.customer.pk).projects

    [line] = projects.lines
    assert line.hours == Decimal("12.00")
    assert line.budget_hours == Decimal("10")
    assert line.over_budget
    assert line.progress == 50
    assert line.open_tasks == 1
    assert (projects.open_count, projects.over_budget_count) == (1, 1)
    assert projects.budget_hours == Decimal("10")


def test_get_contact_overview_lists_open_task_as_overdue(history):
    tasks = get_contact_overview(viewer=history.seller, pk=history.customer.pk).tasks

    assert [t.title for t in tasks.upcoming] == ["Build the shop"]
    assert (tasks.open_count, tasks.overdue_count) == (1, 1)


def test_get_contact_overview_gives_balance_due_of_partly_paid_invoice(history):
    invoices = get_contact_overview(viewer=history.seller, pk=history.customer.pk).invoices

    assert invoices is not None
    assert invoices.count == 2  # the draft is listed, not billed
    assert invoices.invoiced.amount == Decimal("1120000.00")
    assert invoices.paid.amount == Decimal("420000.00")
    assert invoices.balance.amount == Decimal("700000.00")
    # Issued 30 days ago with 14 days' terms: all of it is overdue.
    assert invoices.overdue.amount == Decimal("700000.00")
    assert (invoices.open_count, invoices.overdue_count) == (1, 1)


def test_get_contact_overview_lists_latest_interactions_newest_first(history):
    overview = get_contact_overview(viewer=history.seller, pk=history.customer.pk)

    assert [i.subject for i in overview.interactions] == ["Agreed the launch date", "First call"]


def test_get_contact_overview_totals_in_the_contacts_own_currency(history):
    Contact.objects.filter(pk=history.customer.pk).update(currency="USD")

    overview = get_contact_overview(viewer=history.seller, pk=history.customer.pk)

    assert overview.currency == "USD"
    assert overview.orders.purchases.amount == Decimal("40.00")  # 500 000 / 12 500
    assert overview.deals.open_amount.amount == Decimal("1000.00")
    assert not overview.deals.open_amount.converted
    assert overview.invoices is not None
    assert overview.invoices.balance.amount == Decimal("56.00")


def test_get_contact_overview_says_why_a_total_is_missing_a_rate(history):
    DealFactory(contact=history.customer, amount=Decimal("100"), currency="EUR", title="Hosting")

    overview = get_contact_overview(viewer=history.seller, pk=history.customer.pk)

    total = overview.deals.open_amount
    assert total.amount is None
    assert "EUR" in total.error
    assert {p.currency for p in total.parts} == {"EUR", "USD"}


def test_get_contact_overview_of_another_teams_customer_does_not_exist(history):
    stranger = UserFactory(role=Role.SALES)

    with pytest.raises(Contact.DoesNotExist):
        get_contact_overview(viewer=stranger, pk=history.customer.pk)


def test_get_contact_overview_hides_another_teams_records_on_a_visible_customer(history):
    other = UserFactory(role=Role.SALES)
    DealFactory(contact=history.customer, owner=other, team=other.team, title="Not yours")
    OrderFactory(contact=history.customer, owner=other, team=other.team, total=Decimal("9"))

    overview = get_contact_overview(viewer=history.seller, pk=history.customer.pk)

    assert overview.deals.count == 2
    assert "Not yours" not in [d.title for d in overview.deals.latest]
    assert overview.orders.count == 3


def test_get_contact_overview_gives_support_no_invoices(history):
    support = UserFactory(role=Role.SUPPORT, team=history.seller.team)

    overview = get_contact_overview(viewer=support, pk=history.customer.pk)

    assert overview.invoices is None
    assert overview.deals.count == 2


def test_get_company_overview_reads_the_companys_records():
    seller = UserFactory(role=Role.SALES)
    company = CompanyFactory(owner=seller)
    make_history(seller=seller, company=company)

    overview = get_company_overview(viewer=seller, pk=company.pk)

    assert overview.is_company
    assert overview.deals.count == 2
    assert overview.orders.purchase_count == 2
    assert overview.projects.lines[0].over_budget
    assert overview.invoices is not None
    assert overview.invoices.balance.amount == Decimal("700000.00")
    assert len(overview.interactions) == 2


def test_get_company_overview_of_another_teams_company_does_not_exist():
    company = CompanyFactory()

    with pytest.raises(Company.DoesNotExist):
        get_company_overview(viewer=UserFactory(role=Role.SALES), pk=company.pk)


def _more_history(history, times):
    """More of everything on the same customer: the query count must not follow it."""
    contact, seller = history.customer, history.seller
    for n in range(times):
        DealFactory(contact=contact, owner=seller, team=seller.team, currency="USD")
        OrderFactory(contact=contact, owner=seller, team=seller.team, total=Decimal("1"))
        project = ProjectFactory(
            contact=contact, company=None, owner=seller, budget_hours=Decimal(n + 1)
        )
        task = TaskFactory(project=project, due_date=timezone.localdate())
        TimeEntryFactory(
            task=task, user=seller, started_at=timezone.now() - datetime.timedelta(days=1)
        )
        InteractionFactory(contact=contact)


def test_get_contact_overview_queries_do_not_grow_with_history(
    history, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(16) as small:
        get_contact_overview(viewer=history.seller, pk=history.customer.pk)
    _more_history(history, 12)

    with django_assert_num_queries(len(small.captured_queries)):
        overview = get_contact_overview(viewer=history.seller, pk=history.customer.pk)

    assert overview.projects.count == 13
    assert overview.tasks.open_count == 13
