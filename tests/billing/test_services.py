import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamkor.billing.errors import InvoiceStateError
from hamkor.billing.models import Invoice, InvoiceStatus, InvoiceTimeEntry, LineKind
from hamkor.billing.services.invoices import (
    FreeLineInput,
    create_invoice,
    delete_draft,
    plan_invoice,
    update_draft,
)
from hamkor.billing.services.issuing import issue_invoice, void_invoice
from hamkor.billing.services.payments import record_payment
from hamkor.billing.services.totals import hours_from_minutes
from hamkor.core.models import AuditEvent
from hamkor.projects.models import TimeEntry
from hamkor.sales.models import OrderStatus
from tests.accounts.factories import UserFactory
from tests.billing.factories import (
    ExchangeRateFactory,
    FinanceUserFactory,
    free_line,
    make_invoice,
    make_issued,
)
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory
from tests.sales.factories import OrderFactory, PaymentTypeFactory, ProductFactory

pytestmark = pytest.mark.django_db
TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")
TODAY = timezone.localdate()


def _entry(project, minutes=60, rate="100.00", currency="USD", **kwargs):
    task = kwargs.pop("task", None) or TaskFactory(project=project)
    return TimeEntryFactory(
        task=task, project=project, minutes=minutes, rate=Decimal(rate), currency=currency, **kwargs
    )


# --- totals and rounding ------------------------------------------------------------------


def test_hours_from_minutes_rounds_half_up_to_two_decimals():
    assert hours_from_minutes(95) == Decimal("1.58")
    assert hours_from_minutes(1) == Decimal("0.02")
    assert hours_from_minutes(90) == Decimal("1.50")


def test_create_invoice_taxes_each_line_and_sums_rounded_taxes():
    # 12 % of 0.05 is 0.006 -> 0.01 per line; taxing the sum (0.15) would give 0.02.
    lines = [free_line("Pin", "1", "0.05") for _ in range(3)]

    invoice = make_invoice(currency="USD", lines=lines, tax_rate_percent=Decimal("12"))

    assert invoice.net_total == Decimal("0.15")
    assert invoice.tax_total == Decimal("0.03")
    assert invoice.gross_total == Decimal("0.18")
    assert invoice.balance == Decimal("0.18")


def test_create_invoice_uses_default_vat_12_percent():
    invoice = make_invoice(lines=[free_line("Design", "2", "1250000")])

    line = invoice.lines.get()
    assert line.tax_rate == Decimal("12.00")
    assert line.tax_amount == Decimal("300000.00")
    assert invoice.gross_total == Decimal("2800000.00")


def test_create_invoice_applies_discount_then_rounds_per_currency():
    lines = [free_line("Banner", "3", "333.33", discount_percent=Decimal("10"))]

    invoice = make_invoice(currency="KGS", lines=lines, tax_rate_percent=Decimal("0"))

    # 3 × 333.33 × 0.9 = 899.991 -> 899.99 (KGS has two minor digits).
    assert invoice.net_total == Decimal("899.99")
    assert invoice.tax_total == Decimal("0")


def test_create_invoice_refuses_currency_with_three_decimals():
    with pytest.raises(ValidationError) as error:
        make_invoice(currency="KWD")

    assert "3 decimal places" in str(error.value)


def test_create_invoice_refuses_bad_free_lines_all_at_once_in_the_staff_language():
    lines = [free_line("", "1", "1"), free_line("Ok", "0", "1")]
    uzbek_customer = ContactFactory(language="uz")

    with pytest.raises(ValidationError) as error:
        make_invoice(contact=uzbek_customer, lines=lines)

    messages = error.value.message_dict["free_lines"]
    assert messages == ["Line 1: Describe what is billed.", "Line 2: Enter a quantity above zero."]


def test_create_invoice_refused_for_sales_staff():
    with pytest.raises(PermissionDenied):
        make_invoice(actor=UserFactory())


def test_create_invoice_records_an_audit_event():
    invoice = make_invoice()

    assert AuditEvent.objects.filter(verb="invoice.created", target_id=str(invoice.pk)).exists()


# --- time ---------------------------------------------------------------------------------


def test_create_invoice_groups_time_per_task_person_and_rate():
    project = ProjectFactory()
    task = TaskFactory(project=project)
    first = _entry(project, minutes=50, task=task)
    second = _entry(project, minutes=45, task=task, user=first.user)
    other_task = _entry(project, minutes=30)

    invoice = create_invoice(
        actor=FinanceUserFactory(),
        company=project.company,
        currency="USD",
        time_entry_ids=[first.pk, second.pk, other_task.pk],
        tax_rate_percent=Decimal("0"),
    )

    lines = list(invoice.lines.order_by("position"))
    assert [(line.kind, line.quantity, line.line_net) for line in lines] == [
        (LineKind.TIME, Decimal("1.58"), Decimal("158.00")),
        (LineKind.TIME, Decimal("0.50"), Decimal("50.00")),
    ]
    assert task.title in lines[0].description


def test_create_invoice_marks_its_time_invoiced_under_the_draft():
    project = ProjectFactory()
    entry = _entry(project)

    invoice = create_invoice(
        actor=FinanceUserFactory(),
        company=project.company,
        currency="USD",
        time_entry_ids=[entry.pk],
    )

    entry.refresh_from_db()
    assert entry.invoiced_at is not None
    assert entry.invoice_number == f"draft #{invoice.pk}"


def test_create_invoice_converts_time_at_the_rate_of_the_entry_day():
    ExchangeRateFactory(date=datetime.date(2026, 3, 1), currency="USD", rate=Decimal("12000"))
    ExchangeRateFactory(date=datetime.date(2026, 3, 2), currency="USD", rate=Decimal("13000"))
    project = ProjectFactory()
    day_one = datetime.datetime(2026, 3, 1, 10, tzinfo=TASHKENT)
    day_two = datetime.datetime(2026, 3, 2, 10, tzinfo=TASHKENT)
    task = TaskFactory(project=project)
    first = _entry(project, task=task, started_at=day_one)
    second = _entry(project, task=task, user=first.user, started_at=day_two)

    invoice = create_invoice(
        actor=FinanceUserFactory(),
        company=project.company,
        currency="UZS",
        time_entry_ids=[first.pk, second.pk],
        tax_rate_percent=Decimal("0"),
    )

    prices = sorted(invoice.lines.values_list("unit_price", flat=True))
    assert prices == [Decimal("1200000.00"), Decimal("1300000.00")]
    assert invoice.net_total == Decimal("2500000.00")


def test_create_invoice_with_a_missing_rate_says_which_and_saves_nothing():
    project = ProjectFactory()
    entry = _entry(
        project, currency="EUR", started_at=datetime.datetime(2026, 3, 5, 9, tzinfo=TASHKENT)
    )

    with pytest.raises(ValidationError) as error:
        create_invoice(
            actor=FinanceUserFactory(),
            company=project.company,
            currency="UZS",
            time_entry_ids=[entry.pk],
        )

    assert "no EUR exchange rate on or before 2026-03-05" in str(error.value)
    assert not Invoice.objects.exists()
    entry.refresh_from_db()
    assert entry.invoiced_at is None


def test_create_invoice_refuses_time_of_another_customer():
    entry = _entry(ProjectFactory())

    with pytest.raises(ValidationError) as error:
        create_invoice(
            actor=FinanceUserFactory(),
            company=CompanyFactory(),
            currency="USD",
            time_entry_ids=[entry.pk],
        )

    assert str(entry.pk) in str(error.value)


def test_create_invoice_refuses_time_already_on_an_invoice():
    project = ProjectFactory()
    entry = _entry(project)
    actor = FinanceUserFactory()
    create_invoice(actor=actor, company=project.company, currency="USD", time_entry_ids=[entry.pk])

    with pytest.raises(ValidationError) as error:
        create_invoice(
            actor=actor, company=project.company, currency="USD", time_entry_ids=[entry.pk]
        )

    assert "not unbilled billable time" in str(error.value)
    assert Invoice.objects.count() == 1


def test_time_of_a_voided_invoice_can_be_billed_again():
    ExchangeRateFactory(currency="USD")
    project = ProjectFactory()
    entry = _entry(project)
    actor = FinanceUserFactory()
    first = create_invoice(
        actor=actor, company=project.company, currency="USD", time_entry_ids=[entry.pk]
    )
    issue_invoice(actor=actor, invoice=first)

    void_invoice(actor=actor, invoice=first, reason="Wrong customer")
    second = create_invoice(
        actor=actor, company=project.company, currency="USD", time_entry_ids=[entry.pk]
    )

    first.refresh_from_db()
    assert first.status == InvoiceStatus.VOID
    assert first.lines.count() == 1  # the text stays on the voided invoice
    assert InvoiceTimeEntry.objects.get(time_entry=entry).line.invoice == second


def test_issue_invoice_labels_its_time_with_the_number():
    project = ProjectFactory()
    entry = _entry(project)
    actor = FinanceUserFactory()
    invoice = create_invoice(
        actor=actor, company=project.company, currency="USD", time_entry_ids=[entry.pk]
    )
    ExchangeRateFactory(currency="USD")  # the rate the issue date converts at

    issued = issue_invoice(actor=actor, invoice=invoice)

    entry.refresh_from_db()
    assert entry.invoice_number == issued.number


def test_delete_draft_releases_its_time():
    project = ProjectFactory()
    entry = _entry(project)
    actor = FinanceUserFactory()
    invoice = create_invoice(
        actor=actor, company=project.company, currency="USD", time_entry_ids=[entry.pk]
    )

    delete_draft(actor=actor, invoice=invoice)

    entry.refresh_from_db()
    assert entry.invoiced_at is None
    assert not Invoice.objects.exists()


def test_update_draft_removing_a_time_line_releases_it_and_recomputes():
    project = ProjectFactory()
    entry = _entry(project)
    actor = FinanceUserFactory()
    invoice = create_invoice(
        actor=actor,
        company=project.company,
        currency="USD",
        time_entry_ids=[entry.pk],
        free_lines=[free_line("Hosting", "1", "20")],
        tax_rate_percent=Decimal("0"),
    )
    time_line = invoice.lines.get(kind=LineKind.TIME)

    update_draft(actor=actor, invoice=invoice, remove_line_ids=[time_line.pk])

    invoice.refresh_from_db()
    entry.refresh_from_db()
    assert entry.invoiced_at is None
    assert invoice.gross_total == Decimal("20.00")


def test_update_draft_sets_a_new_tax_rate_on_every_line():
    invoice = make_invoice(lines=[free_line("A", "1", "1000"), free_line("B", "1", "500")])

    update_draft(actor=invoice.created_by, invoice=invoice, tax_rate_percent=Decimal("15"))

    invoice.refresh_from_db()
    assert invoice.tax_total == Decimal("225.00")


# --- order lines --------------------------------------------------------------------------


def test_order_line_is_billed_once_and_again_after_void():
    contact = ContactFactory()
    order = OrderFactory(
        contact=contact, lines=[(ProductFactory(), 2)], status=OrderStatus.CONFIRMED
    )
    line = order.lines.get()
    actor = FinanceUserFactory()
    first = create_invoice(actor=actor, contact=contact, currency="UZS", order_line_ids=[line.pk])
    issue_invoice(actor=actor, invoice=first)

    with pytest.raises(ValidationError) as error:
        create_invoice(actor=actor, contact=contact, currency="UZS", order_line_ids=[line.pk])
    void_invoice(actor=actor, invoice=first)
    second = create_invoice(actor=actor, contact=contact, currency="UZS", order_line_ids=[line.pk])

    assert f"Order lines {line.pk} are already on an invoice." in str(error.value)
    assert second.net_total == Decimal("300000.00")


def test_lines_of_cancelled_orders_cannot_be_billed():
    contact = ContactFactory()
    order = OrderFactory(
        contact=contact, lines=[(ProductFactory(), 1)], status=OrderStatus.CANCELLED
    )

    with pytest.raises(ValidationError) as error:
        create_invoice(
            actor=FinanceUserFactory(),
            contact=contact,
            currency="UZS",
            order_line_ids=[order.lines.get().pk],
        )

    assert "confirmed orders" in str(error.value)


# --- issuing and numbering ----------------------------------------------------------------


def test_issue_invoice_numbers_per_year_without_gaps():
    actor = FinanceUserFactory()
    first = make_issued(actor=actor, issue_date=datetime.date(2025, 12, 31))
    draft = make_invoice(actor=actor)
    delete_draft(actor=actor, invoice=draft)
    second = make_issued(actor=actor, issue_date=TODAY)
    third = make_issued(actor=actor, issue_date=TODAY)

    assert first.number == "2025-000001"
    assert second.number == f"{TODAY.year}-000001"
    assert third.number == f"{TODAY.year}-000002"


def test_issue_invoice_fixes_the_rate_and_due_date():
    ExchangeRateFactory(date=datetime.date(2026, 1, 10), currency="USD", rate=Decimal("12800"))
    invoice = make_invoice(currency="USD", payment_terms_days=30)

    issued = issue_invoice(
        actor=invoice.created_by, invoice=invoice, issue_date=datetime.date(2026, 2, 1)
    )

    assert issued.exchange_rate == Decimal("12800")
    assert issued.due_date == datetime.date(2026, 3, 3)
    assert issued.status == InvoiceStatus.ISSUED


def test_issue_invoice_without_a_rate_says_what_to_do_and_takes_no_number():
    invoice = make_invoice(currency="EUR")

    with pytest.raises(ValidationError) as error:
        issue_invoice(
            actor=invoice.created_by, invoice=invoice, issue_date=datetime.date(2026, 1, 5)
        )
    later = make_issued(actor=invoice.created_by, issue_date=datetime.date(2026, 1, 5))

    assert "no EUR to UZS exchange rate on or before 2026-01-05" in str(error.value)
    invoice.refresh_from_db()
    assert invoice.number is None
    assert later.number == "2026-000001"


def test_issue_invoice_twice_is_a_state_error():
    invoice = make_issued()

    with pytest.raises(InvoiceStateError):
        issue_invoice(actor=invoice.created_by, invoice=invoice)


def test_issued_invoice_cannot_be_edited():
    invoice = make_issued()

    with pytest.raises(InvoiceStateError):
        update_draft(actor=invoice.created_by, invoice=invoice, notes="changed")


def test_void_keeps_the_number():
    invoice = make_issued()

    void_invoice(actor=invoice.created_by, invoice=invoice, reason="Duplicate")

    invoice.refresh_from_db()
    assert invoice.number.endswith("-000001")
    assert invoice.void_reason == "Duplicate"


# --- payments -----------------------------------------------------------------------------


def test_payments_move_invoice_to_partly_paid_then_paid():
    invoice = make_issued(lines=[free_line("Design", "1", "1000000")])  # 1 120 000 with VAT
    cash, card = PaymentTypeFactory(name="Cash"), PaymentTypeFactory(name="Card")

    record_payment(actor=invoice.created_by, invoice=invoice, amount=Decimal("120000"), method=cash)
    invoice.refresh_from_db()
    status_after_first = invoice.status
    record_payment(
        actor=invoice.created_by, invoice=invoice, amount=Decimal("1000000"), method=card
    )

    invoice.refresh_from_db()
    assert status_after_first == InvoiceStatus.PARTLY_PAID
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.balance == Decimal("0")
    assert list(invoice.payments.values_list("method__name", flat=True)) == ["Cash", "Card"]


def test_overpayment_is_refused_with_the_balance():
    invoice = make_issued(lines=[free_line("Design", "1", "1000")], tax_rate_percent=Decimal("0"))

    with pytest.raises(ValidationError) as error:
        record_payment(actor=invoice.created_by, invoice=invoice, amount=Decimal("1000.01"))

    assert "Only UZS" in str(error.value) or "1,000" in str(error.value)
    assert "would overpay" in str(error.value)
    invoice.refresh_from_db()
    assert invoice.paid_total == Decimal("0")


def test_payment_on_a_draft_is_refused():
    invoice = make_invoice()

    with pytest.raises(InvoiceStateError):
        record_payment(actor=invoice.created_by, invoice=invoice, amount=Decimal("1"))


def test_invoice_with_payments_cannot_be_voided():
    invoice = make_issued()
    record_payment(actor=invoice.created_by, invoice=invoice, amount=Decimal("1000"))

    with pytest.raises(InvoiceStateError) as error:
        void_invoice(actor=invoice.created_by, invoice=invoice)

    assert "payments" in str(error.value)


def test_plan_invoice_saves_nothing():
    contact = ContactFactory()

    plan = plan_invoice(
        actor=FinanceUserFactory(),
        contact=contact,
        currency="UZS",
        free_lines=[FreeLineInput(description="X", quantity=Decimal(1), unit_price=Decimal(10))],
    )

    assert plan.gross == Decimal("11.20")
    assert not Invoice.objects.exists()
    assert not TimeEntry.objects.filter(invoiced_at__isnull=False).exists()


def test_invoiced_time_cannot_be_edited_until_the_invoice_is_voided():
    from hamkor.projects.services.time import TimeEntryLocked, update_time_entry

    ExchangeRateFactory(currency="USD")
    project = ProjectFactory()
    entry = _entry(project)
    actor = FinanceUserFactory()
    invoice = create_invoice(
        actor=actor, company=project.company, currency="USD", time_entry_ids=[entry.pk]
    )
    issued = issue_invoice(actor=actor, invoice=invoice)

    with pytest.raises(TimeEntryLocked):
        update_time_entry(entry=entry, actor=entry.user, values={"minutes": 600})
    void_invoice(actor=actor, invoice=issued)
    entry.refresh_from_db()
    update_time_entry(entry=entry, actor=entry.user, values={"note": "fixed"})

    entry.refresh_from_db()
    assert entry.note == "fixed"
    assert entry.invoiced_at is None


@pytest.mark.parametrize("days", [1, -40000])
def test_issue_date_in_the_future_or_last_millennium_is_refused(days):
    invoice = make_invoice()

    with pytest.raises(ValidationError) as error:
        issue_invoice(
            actor=invoice.created_by,
            invoice=invoice,
            issue_date=TODAY + datetime.timedelta(days=days),
        )

    assert "issue_date" in error.value.message_dict
