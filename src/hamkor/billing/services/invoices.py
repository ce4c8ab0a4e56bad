"""Building draft invoices from unbilled time, order lines and free lines; editing drafts.

Whose work an invoice can carry: when it has a company, that company's projects and
orders, else the contact's. Only finished, billable, uninvoiced time
(``projects.selectors.time.list_unbilled_time``) and lines of confirmed orders qualify.

Time entries are grouped into one line per project, task, person and rate (and, when the
rate is in another currency than the invoice, per day, because each day converts at its own
exchange rate). A draft marks its time as invoiced under the label "draft #<id>", so nobody
edits it while it is being billed; issuing relabels it with the number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.billing.errors import InvoiceStateError
from hamkor.billing.models import (
    Invoice,
    InvoiceLine,
    InvoiceOrderLine,
    InvoiceStatus,
    InvoiceTimeEntry,
    LineKind,
    TaxRate,
)
from hamkor.billing.permissions import check_manages_billing
from hamkor.billing.selectors.customers import list_billable_orders
from hamkor.billing.services.totals import (
    HUNDRED,
    ZERO,
    hours_from_minutes,
    line_net,
    line_tax,
    sum_totals,
)
from hamkor.contacts.models import Company, Contact
from hamkor.core.audit import record_event
from hamkor.core.currency import convert
from hamkor.core.locking import lock_rows
from hamkor.core.money import format_money, is_currency
from hamkor.projects.models import TimeEntry
from hamkor.projects.selectors.time import list_unbilled_time
from hamkor.projects.services.time import mark_time_invoiced, release_invoiced_time
from hamkor.sales.models import Order, OrderLine, Unit

MAX_LINES = 500
CHUNK = 500


@dataclass(frozen=True)
class FreeLineInput:
    """A line typed by hand; ``tax_rate_percent`` None means the invoice's rate."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    unit: str = ""
    discount_percent: Decimal = ZERO
    tax_rate_percent: Decimal | None = None


@dataclass
class PlannedLine:
    kind: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount_percent: Decimal
    line_net: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    time_entry_ids: list[int] = field(default_factory=list)
    order_line_ids: list[int] = field(default_factory=list)

    @property
    def line_gross(self) -> Decimal:
        return self.line_net + self.tax_amount


@dataclass
class InvoicePlan:
    """What an invoice would hold: its lines and totals, nothing saved."""

    currency: str
    tax_rate: Decimal
    language: str
    lines: list[PlannedLine]
    net: Decimal
    tax: Decimal
    gross: Decimal


def default_tax_rate() -> Decimal:
    """The default tax rate's percent (0 when none is marked default)."""
    rate = TaxRate.objects.filter(is_default=True, is_active=True).first()
    return rate.percent if rate else ZERO


def due_days_setting() -> int:
    return int(getattr(settings, "HAMKOR_INVOICE_DUE_DAYS", 14))


def check_currency(code: str) -> str:
    """An upper-case ISO code with at most two decimals, or a ValidationError."""
    code = (code or "").strip().upper()
    if not is_currency(code):
        raise ValidationError(
            {
                "currency": _("“%(value)s” is not a currency code like UZS, KGS or USD.")
                % {"value": code}
            }
        )
    if get_currency_precision(code) > 2:
        raise ValidationError(
            {
                "currency": _(
                    "Invoices in %(currency)s are not supported: it has 3 decimal places."
                )
                % {"currency": code}
            }
        )
    return code


def _check_percent(value: Decimal | None, field_name: str) -> Decimal | None:
    if value is not None and not ZERO <= value <= HUNDRED:
        raise ValidationError({field_name: _("A tax rate is between 0 and 100 %.")})
    return value


def _customer_language(contact: Contact | None) -> str:
    known = {code for code, _label in settings.LANGUAGES}
    if contact is not None and contact.language in known:
        return str(contact.language)
    default = str(settings.LANGUAGE_CODE).split("-")[0]
    return default if default in known else "en"


def _entry_day(entry: TimeEntry) -> Any:
    return timezone.localdate(entry.started_at)


def _time_lines(
    entries: Sequence[TimeEntry],
    *,
    currency: str,
    tax_rate: Decimal,
    language: str,
    details: Callable[[list[int]], dict[int, TimeEntry]],
) -> list[PlannedLine]:
    """One line per project, task, person and rate (and day, when the rate converts).

    ``entries`` carry only the columns grouping needs; ``details`` loads the few entries
    whose project, task and person name a line, in one query. Line texts are in the
    customer's ``language`` (they go on the customer's PDF); errors stay in the reader's.
    """
    errors = []
    groups: dict[tuple[Any, ...], list[TimeEntry]] = defaultdict(list)
    for entry in entries:
        if entry.rate is None or not entry.currency:
            errors.append(
                _("Time entry %(id)s (%(person)s, %(date)s) has no rate; set a rate first.")
                % {"id": entry.pk, "person": entry.user, "date": _entry_day(entry).isoformat()}
            )
            continue
        rate_currency = entry.currency.upper()
        day = _entry_day(entry) if rate_currency != currency else None
        key = (entry.project_id, entry.task_id, entry.user_id, entry.rate, rate_currency, day)
        groups[key].append(entry)
    if errors:
        raise ValidationError({"time_entry_ids": errors})
    named = details([group[0].pk for group in groups.values()])
    lines = []
    for (_project, _task, _user, rate, rate_currency, day), group in groups.items():
        first = named[group[0].pk]
        minutes = sum(entry.minutes or 0 for entry in group)
        quantity = hours_from_minutes(minutes)
        if quantity <= 0:
            raise ValidationError(
                {
                    "time_entry_ids": _("Time entries %(ids)s add up to no billable time.")
                    % {"ids": ", ".join(str(entry.pk) for entry in group)}
                }
            )
        unit_price = convert(rate, rate_currency, on=day, to=currency) if day else rate
        person = first.user.get_full_name() or first.user.username
        with translation.override(language):
            if first.task is not None:
                description = _("%(project)s — %(task)s (%(person)s)") % {
                    "project": first.project.name,
                    "task": first.task.title,
                    "person": person,
                }
            else:
                description = _("%(project)s (%(person)s)") % {
                    "project": first.project.name,
                    "person": person,
                }
            if day is not None:
                # Translators: added to a time line whose hourly rate was in another currency.
                description += " " + _("(%(rate)s per hour on %(date)s)") % {
                    "rate": format_money(rate, rate_currency),
                    "date": day.isoformat(),
                }
        net = line_net(
            quantity=quantity, unit_price=unit_price, discount_percent=ZERO, currency=currency
        )
        lines.append(
            PlannedLine(
                kind=LineKind.TIME,
                description=description[:300],
                quantity=quantity,
                unit=Unit.HOUR,
                unit_price=unit_price,
                discount_percent=ZERO,
                line_net=net,
                tax_rate=tax_rate,
                tax_amount=line_tax(net=net, tax_rate=tax_rate, currency=currency),
                time_entry_ids=sorted(entry.pk for entry in group),
            )
        )
    return lines


def _order_lines(
    items: Sequence[tuple[Order, OrderLine]], *, currency: str, tax_rate: Decimal, language: str
) -> list[PlannedLine]:
    lines = []
    for order, item in items:
        order_currency = order.currency.upper()
        day = timezone.localdate(order.ordered_at)
        unit_price = item.unit_price
        if order_currency != currency:
            unit_price = convert(item.unit_price, order_currency, on=day, to=currency)
        what = item.description or (item.product.display_name(language) if item.product else "")
        with translation.override(language):
            # Translators: an invoice line billed from an order, e.g. "Cake (order #12)".
            description = _("%(item)s (order #%(number)s)") % {"item": what, "number": order.pk}
        net = line_net(
            quantity=item.quantity,
            unit_price=unit_price,
            discount_percent=item.discount_percent,
            currency=currency,
        )
        lines.append(
            PlannedLine(
                kind=LineKind.ORDER,
                description=description[:300],
                quantity=item.quantity,
                unit=item.product.unit if item.product else "",
                unit_price=unit_price,
                discount_percent=item.discount_percent,
                line_net=net,
                tax_rate=tax_rate,
                tax_amount=line_tax(net=net, tax_rate=tax_rate, currency=currency),
                order_line_ids=[item.pk],
            )
        )
    return lines


def _free_line_problem(item: FreeLineInput, description: str, rate: Decimal) -> str:
    """What is wrong with a typed line, or "" (plain calls: gettext finds no f-string)."""
    if not description:
        return _("Describe what is billed.")
    if item.quantity is None or item.quantity <= 0:
        return _("Enter a quantity above zero.")
    if item.unit_price is None or item.unit_price < 0:
        return _("Enter a unit price of zero or more.")
    if not ZERO <= item.discount_percent <= HUNDRED:
        return _("A discount is between 0 and 100 %.")
    if item.unit and item.unit not in Unit.values:
        return _("Choose a unit from the list.")
    if not ZERO <= rate <= HUNDRED:
        return _("A tax rate is between 0 and 100 %.")
    return ""


def _free_lines(
    items: Sequence[FreeLineInput], *, currency: str, tax_rate: Decimal
) -> list[PlannedLine]:
    errors: list[str] = []
    lines = []
    for index, item in enumerate(items):
        description = (item.description or "").strip()
        rate = tax_rate if item.tax_rate_percent is None else item.tax_rate_percent
        problem = _free_line_problem(item, description, rate)
        if problem:
            # Translators: "Line 2: Describe what is billed."
            prefix = _("Line %(number)s:") % {"number": index + 1}
            errors.append(f"{prefix} {problem}")
            continue
        net = line_net(
            quantity=item.quantity,
            unit_price=item.unit_price,
            discount_percent=item.discount_percent,
            currency=currency,
        )
        lines.append(
            PlannedLine(
                kind=LineKind.FREE,
                description=description[:300],
                quantity=item.quantity,
                unit=item.unit,
                unit_price=item.unit_price,
                discount_percent=item.discount_percent,
                line_net=net,
                tax_rate=rate,
                tax_amount=line_tax(net=net, tax_rate=rate, currency=currency),
            )
        )
    if errors:
        raise ValidationError({"free_lines": errors})
    return lines


TIME_COLUMNS = ("pk", "project", "task", "user", "rate", "currency", "minutes", "started_at")


def _unbilled(actor: User, contact: Contact | None, company: Company | None) -> QuerySet[TimeEntry]:
    return list_unbilled_time(viewer=actor, company=company, contact=None if company else contact)


def _time_details(
    actor: User, contact: Contact | None, company: Company | None
) -> Callable[[list[int]], dict[int, TimeEntry]]:
    def load(pks: list[int]) -> dict[int, TimeEntry]:
        return {entry.pk: entry for entry in _unbilled(actor, contact, company).filter(pk__in=pks)}

    return load


def _billable_time(
    *,
    actor: User,
    contact: Contact | None,
    company: Company | None,
    entry_ids: Sequence[int],
) -> list[TimeEntry]:
    ids = sorted(set(entry_ids))
    if not ids:
        return []
    # Only the columns grouping needs: loading thousands of entries with their projects,
    # tasks and users joined took most of the time of a 5,000-entry invoice.
    light = _unbilled(actor, contact, company).select_related(None).only(*TIME_COLUMNS)
    found: list[TimeEntry] = []
    for start in range(0, len(ids), CHUNK):
        found.extend(light.filter(pk__in=ids[start : start + CHUNK]))
    missing = sorted(set(ids) - {entry.pk for entry in found})
    if missing:
        raise ValidationError(
            {
                "time_entry_ids": _(
                    "Time entries %(ids)s are not unbilled billable time of this customer "
                    "(already invoiced, not billable, still running, or not theirs)."
                )
                % {"ids": ", ".join(str(pk) for pk in missing[:20])}
            }
        )
    return found


def _billable_order_lines(
    *,
    actor: User,
    contact: Contact | None,
    company: Company | None,
    line_ids: Sequence[int],
) -> list[tuple[Order, OrderLine]]:
    ids = set(line_ids)
    if not ids:
        return []
    wanted: list[tuple[Order, OrderLine]] = []
    for order in list_billable_orders(viewer=actor, contact=contact, company=company):
        wanted.extend((order, line) for line in order.lines.all() if line.pk in ids)
    missing = sorted(ids - {line.pk for _order, line in wanted})
    billed = set(
        InvoiceOrderLine.objects.filter(order_line_id__in=list(ids)).values_list(
            "order_line_id", flat=True
        )
    )
    if billed:
        raise ValidationError(
            {
                "order_line_ids": _("Order lines %(ids)s are already on an invoice.")
                % {"ids": ", ".join(str(pk) for pk in sorted(billed))}
            }
        )
    if missing:
        raise ValidationError(
            {
                "order_line_ids": _(
                    "Order lines %(ids)s are not lines of this customer's confirmed orders."
                )
                % {"ids": ", ".join(str(pk) for pk in missing[:20])}
            }
        )
    return wanted


def _check_customer(contact: Contact | None, company: Company | None) -> None:
    if contact is None and company is None:
        raise ValidationError({"contact": _("Choose the contact or company to bill.")})


def plan_invoice(
    *,
    actor: User,
    contact: Contact | None = None,
    company: Company | None = None,
    currency: str,
    time_entry_ids: Sequence[int] = (),
    order_line_ids: Sequence[int] = (),
    free_lines: Sequence[FreeLineInput] = (),
    tax_rate_percent: Decimal | None = None,
) -> InvoicePlan:
    """The lines and totals an invoice would get, without saving anything (for previews)."""
    check_manages_billing(actor)
    _check_customer(contact, company)
    currency = check_currency(currency)
    tax_rate = _check_percent(tax_rate_percent, "tax_rate_percent")
    if tax_rate is None:
        tax_rate = default_tax_rate()
    language = _customer_language(contact)
    entries = _billable_time(
        actor=actor, contact=contact, company=company, entry_ids=time_entry_ids
    )
    order_items = _billable_order_lines(
        actor=actor, contact=contact, company=company, line_ids=order_line_ids
    )
    lines = [
        *_time_lines(
            entries,
            currency=currency,
            tax_rate=tax_rate,
            language=language,
            details=_time_details(actor, contact, company),
        ),
        *_order_lines(order_items, currency=currency, tax_rate=tax_rate, language=language),
        *_free_lines(free_lines, currency=currency, tax_rate=tax_rate),
    ]
    if not lines:
        raise ValidationError(_("Pick some time, order lines or add a line to bill."))
    if len(lines) > MAX_LINES:
        raise ValidationError(_("An invoice holds at most %(count)s lines.") % {"count": MAX_LINES})
    totals = sum_totals((line.line_net, line.tax_amount) for line in lines)
    return InvoicePlan(
        currency=currency,
        tax_rate=tax_rate,
        language=language,
        lines=lines,
        net=totals.net,
        tax=totals.tax,
        gross=totals.gross,
    )


def draft_label(invoice: Invoice) -> str:
    """What a draft's time entries show as their invoice until it is issued."""
    return f"draft #{invoice.pk}"


def _save_lines(invoice: Invoice, planned: Sequence[PlannedLine], start: int = 0) -> None:
    lines = [
        InvoiceLine(
            invoice=invoice,
            kind=item.kind,
            description=item.description,
            quantity=item.quantity,
            unit=item.unit,
            unit_price=item.unit_price,
            discount_percent=item.discount_percent,
            line_net=item.line_net,
            tax_rate=item.tax_rate,
            tax_amount=item.tax_amount,
            position=start + position,
        )
        for position, item in enumerate(planned)
    ]
    for line in lines:
        line.full_clean(exclude=["invoice"], validate_constraints=False)
    saved = InvoiceLine.objects.bulk_create(lines)
    time_links: list[InvoiceTimeEntry] = []
    order_links: list[InvoiceOrderLine] = []
    for line, item in zip(saved, planned, strict=True):
        time_links.extend(
            InvoiceTimeEntry(line=line, time_entry_id=pk) for pk in item.time_entry_ids
        )
        order_links.extend(
            InvoiceOrderLine(line=line, order_line_id=pk) for pk in item.order_line_ids
        )
    try:
        # A savepoint: the UNIQUE columns refuse work another invoice took a moment ago.
        with transaction.atomic():
            InvoiceTimeEntry.objects.bulk_create(time_links, batch_size=CHUNK)
            InvoiceOrderLine.objects.bulk_create(order_links, batch_size=CHUNK)
    except IntegrityError:
        raise ValidationError(
            _("Some of this time or these order lines were put on another invoice just now.")
        ) from None
    entry_ids = [pk for item in planned for pk in item.time_entry_ids]
    if entry_ids:
        mark_time_invoiced(entry_ids=entry_ids, invoice_number=draft_label(invoice))


def recompute_totals(invoice: Invoice) -> None:
    """Store the sums of the invoice's lines on it (drafts: balance = total)."""
    totals = sum_totals(invoice.lines.values_list("line_net", "tax_amount"))
    invoice.net_total, invoice.tax_total, invoice.gross_total = totals.net, totals.tax, totals.gross
    invoice.balance = invoice.gross_total - invoice.paid_total
    invoice.save(update_fields=["net_total", "tax_total", "gross_total", "balance", "updated_at"])


@transaction.atomic
def create_invoice(
    *,
    actor: User,
    contact: Contact | None = None,
    company: Company | None = None,
    currency: str,
    time_entry_ids: Sequence[int] = (),
    order_line_ids: Sequence[int] = (),
    free_lines: Sequence[FreeLineInput] = (),
    tax_rate_percent: Decimal | None = None,
    notes: str = "",
    payment_terms_days: int | None = None,
) -> Invoice:
    """A draft invoice for the customer; its time is marked invoiced in the same transaction."""
    plan = plan_invoice(
        actor=actor,
        contact=contact,
        company=company,
        currency=currency,
        time_entry_ids=time_entry_ids,
        order_line_ids=order_line_ids,
        free_lines=free_lines,
        tax_rate_percent=tax_rate_percent,
    )
    terms = due_days_setting() if payment_terms_days is None else payment_terms_days
    if not 0 <= terms <= 365:
        raise ValidationError({"payment_terms_days": _("Payment terms are 0 to 365 days.")})
    customer: Contact | Company | None = company if company is not None else contact
    if customer is None:  # plan_invoice refused this already; keeps the type narrow
        raise ValidationError({"contact": _("Choose the contact or company to bill.")})
    invoice = Invoice(
        contact=contact,
        company=company,
        currency=plan.currency,
        status=InvoiceStatus.DRAFT,
        language=plan.language,
        payment_terms_days=terms,
        notes=(notes or "").strip(),
        created_by=actor,
        owner_id=customer.owner_id,
        team_id=customer.team_id,
    )
    invoice.full_clean(validate_unique=False, validate_constraints=False)
    invoice.save()
    _save_lines(invoice, plan.lines)
    recompute_totals(invoice)
    record_event(
        actor=actor,
        verb="invoice.created",
        target=invoice,
        data={
            "currency": invoice.currency,
            "gross": str(invoice.gross_total),
            "time_entries": len(set(time_entry_ids)),
            "order_lines": sorted(set(order_line_ids)),
            "free_lines": len(free_lines),
        },
    )
    return invoice


def lock_invoice(invoice: Invoice) -> Invoice:
    """The invoice row, locked for this transaction (re-read, so its status is current)."""
    locked = lock_rows(Invoice, invoice.pk).get(invoice.pk)
    if locked is None:
        raise Invoice.DoesNotExist
    return locked


def _require_draft(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise InvoiceStateError(
            _("Only draft invoices can be changed; %(invoice)s is %(status)s.")
            % {"invoice": invoice, "status": invoice.get_status_display()}
        )


def _time_ids_of_lines(line_ids: Sequence[int]) -> list[int]:
    return list(
        InvoiceTimeEntry.objects.filter(line_id__in=list(line_ids)).values_list(
            "time_entry_id", flat=True
        )
    )


@transaction.atomic
def update_draft(
    *,
    actor: User,
    invoice: Invoice,
    remove_line_ids: Sequence[int] = (),
    add_free_lines: Sequence[FreeLineInput] = (),
    tax_rate_percent: Decimal | None = None,
    notes: str | None = None,
    payment_terms_days: int | None = None,
) -> Invoice:
    """Change a draft: drop lines (their time is released), add free lines, set tax or notes."""
    check_manages_billing(actor)
    invoice = lock_invoice(invoice)
    _require_draft(invoice)
    tax_rate = _check_percent(tax_rate_percent, "tax_rate_percent")
    remove = set(remove_line_ids)
    lines = list(invoice.lines.all())
    unknown = remove - {line.pk for line in lines}
    if unknown:
        raise ValidationError(
            {
                "remove_line_ids": _("Lines %(ids)s are not on this invoice.")
                % {"ids": ", ".join(str(pk) for pk in sorted(unknown))}
            }
        )
    if remove:
        release_invoiced_time(
            entry_ids=_time_ids_of_lines(list(remove)), invoice_number=draft_label(invoice)
        )
        InvoiceLine.objects.filter(pk__in=remove).delete()
    if tax_rate is not None:
        for line in invoice.lines.all():
            line.tax_rate = tax_rate
            line.tax_amount = line_tax(
                net=line.line_net, tax_rate=tax_rate, currency=invoice.currency
            )
            line.save(update_fields=["tax_rate", "tax_amount"])
    if add_free_lines:
        default = tax_rate if tax_rate is not None else default_tax_rate()
        planned = _free_lines(add_free_lines, currency=invoice.currency, tax_rate=default)
        last = max((line.position for line in lines if line.pk not in remove), default=-1)
        _save_lines(invoice, planned, start=last + 1)
    if not invoice.lines.exists():
        raise ValidationError(_("An invoice needs at least one line; delete the draft instead."))
    if notes is not None:
        invoice.notes = notes.strip()
    if payment_terms_days is not None:
        if not 0 <= payment_terms_days <= 365:
            raise ValidationError({"payment_terms_days": _("Payment terms are 0 to 365 days.")})
        invoice.payment_terms_days = payment_terms_days
    invoice.save(update_fields=["notes", "payment_terms_days", "updated_at"])
    recompute_totals(invoice)
    record_event(
        actor=actor,
        verb="invoice.updated",
        target=invoice,
        data={
            "removed_lines": sorted(remove),
            "added_lines": len(add_free_lines),
            "tax_rate": str(tax_rate) if tax_rate is not None else "",
            "gross": str(invoice.gross_total),
        },
    )
    return invoice


@transaction.atomic
def delete_draft(*, actor: User, invoice: Invoice) -> None:
    """Delete a draft and release its time; drafts have no number, so no gap is left."""
    check_manages_billing(actor)
    invoice = lock_invoice(invoice)
    _require_draft(invoice)
    entry_ids = _time_ids_of_lines(list(invoice.lines.values_list("pk", flat=True)))
    release_invoiced_time(entry_ids=entry_ids, invoice_number=draft_label(invoice))
    record_event(
        actor=actor,
        verb="invoice.deleted",
        target=invoice,
        data={"gross": str(invoice.gross_total), "time_entries": len(entry_ids)},
    )
    invoice.delete()
