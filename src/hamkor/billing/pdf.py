"""The invoice PDF, in the customer's language, drawn with ReportLab.

Cyrillic (Russian, Kyrgyz) and Uzbek Latin (oʻ, gʻ with U+02BB) need a font that has
those glyphs; ReportLab's built-in fonts do not. We embed Noto Sans from the
``fontpkg-noto-sans`` package (OFL), so a fresh machine needs nothing but pip. The file is a
variable font; ReportLab draws its default (regular) instance, so headings are set apart by
size and colour rather than weight.
"""

from __future__ import annotations

import functools
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from babel.dates import format_date
from babel.numbers import format_decimal
from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hamkor.billing.models import Invoice, InvoiceLine, InvoiceStatus
from hamkor.core.money import babel_locale, format_money
from hamkor.sales.models import Unit

FONT = "HamkorNotoSans"
MUTED = colors.HexColor("#5b6470")
ACCENT = colors.HexColor("#1f4e79")


@functools.cache
def _register_font() -> str:
    import fontpkg

    path = fontpkg.path("Noto Sans")
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=8.5),
        "org": ParagraphStyle("org", parent=base, fontSize=15, leading=19, textColor=ACCENT),
        "title": ParagraphStyle("title", parent=base, fontSize=13, leading=17),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "total": ParagraphStyle(
            "total", parent=base, alignment=TA_RIGHT, fontSize=12, leading=16, textColor=ACCENT
        ),
    }


def _text(value: Any) -> str:
    return escape(str(value)).replace("\n", "<br/>")


def _title(invoice: Invoice) -> str:
    if invoice.status == InvoiceStatus.DRAFT:
        return _("Draft invoice (not valid for payment)")
    title = _("Invoice %(number)s") % {"number": invoice.number}
    if invoice.status == InvoiceStatus.VOID:
        # Translators: appended to the PDF title of a voided invoice.
        title += " — " + _("VOID")
    return title


def _customer_lines(invoice: Invoice) -> list[str]:
    lines: list[str] = []
    if invoice.company is not None:
        company = invoice.company
        lines.append(company.legal_name or company.name)
        if company.tax_id:
            lines.append(_("Tax ID: %(value)s") % {"value": company.tax_id})
        address = ", ".join(part for part in (company.address, company.city) if part)
        if address:
            lines.append(address)
    if invoice.contact is not None:
        contact = invoice.contact
        lines.append(contact.full_name)
        if invoice.company is None:
            address = ", ".join(part for part in (contact.address, contact.city) if part)
            if address:
                lines.append(address)
    return lines


def _quantity(line: InvoiceLine, locale: str) -> str:
    amount = format_decimal(line.quantity.normalize(), locale=locale)
    units = dict(Unit.choices)
    unit = units.get(line.unit, line.unit)
    return f"{amount} {unit}".strip()


def _percent(value: Decimal, locale: str) -> str:
    return f"{format_decimal(value.normalize(), locale=locale)} %"


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a PDF in its language: organisation, customer, lines, tax, amount due."""
    language = invoice.language or "en"
    locale = babel_locale(language)
    lines = list(invoice.lines.all())
    buffer = io.BytesIO()
    with translation.override(language):
        styles = _styles()
        title = _title(invoice)
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=title,
            author=str(settings.HAMKOR_ORGANISATION_NAME),
        )

        def money(amount: Decimal) -> str:
            return format_money(amount, invoice.currency, language)

        story: list[Any] = [
            Paragraph(_text(settings.HAMKOR_ORGANISATION_NAME), styles["org"]),
            Spacer(1, 4 * mm),
            Paragraph(_text(title), styles["title"]),
            Spacer(1, 3 * mm),
        ]
        dates: list[list[Any]] = []
        if invoice.issue_date:
            dates.append(
                [
                    Paragraph(_text(_("Issue date")), styles["muted"]),
                    Paragraph(
                        _text(format_date(invoice.issue_date, "long", locale=locale)),
                        styles["base"],
                    ),
                ]
            )
        if invoice.due_date:
            dates.append(
                [
                    Paragraph(_text(_("Due date")), styles["muted"]),
                    Paragraph(
                        _text(format_date(invoice.due_date, "long", locale=locale)), styles["base"]
                    ),
                ]
            )
        customer = [Paragraph(_text(_("Bill to")), styles["muted"])] + [
            Paragraph(_text(item), styles["base"]) for item in _customer_lines(invoice)
        ]
        head = Table(
            [[customer, Table(dates or [[""]], colWidths=[28 * mm, 50 * mm])]],
            colWidths=[96 * mm, 78 * mm],
        )
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [head, Spacer(1, 6 * mm)]

        rows: list[list[Any]] = [
            [
                Paragraph(_text(_("Description")), styles["muted"]),
                Paragraph(_text(_("Quantity")), styles["muted"]),
                Paragraph(_text(_("Unit price")), styles["muted"]),
                Paragraph(_text(_("Tax")), styles["muted"]),
                Paragraph(_text(_("Net")), styles["muted"]),
            ]
        ]
        for line in lines:
            description = _text(line.description)
            if line.discount_percent:
                description += "<br/>" + _text(
                    _("Discount %(percent)s") % {"percent": _percent(line.discount_percent, locale)}
                )
            rows.append(
                [
                    Paragraph(description, styles["base"]),
                    Paragraph(_text(_quantity(line, locale)), styles["right"]),
                    Paragraph(_text(money(line.unit_price)), styles["right"]),
                    Paragraph(_text(_percent(line.tax_rate, locale)), styles["right"]),
                    Paragraph(_text(money(line.line_net)), styles["right"]),
                ]
            )
        table = Table(rows, colWidths=[70 * mm, 24 * mm, 30 * mm, 16 * mm, 34 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#d0d5db")),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        story += [table, Spacer(1, 5 * mm)]

        by_rate: dict[Decimal, Decimal] = {}
        for line in lines:
            by_rate[line.tax_rate] = by_rate.get(line.tax_rate, Decimal(0)) + line.tax_amount
        totals: list[list[Any]] = [
            [
                Paragraph(_text(_("Net")), styles["right"]),
                Paragraph(_text(money(invoice.net_total)), styles["right"]),
            ]
        ]
        for rate, amount in sorted(by_rate.items()):
            totals.append(
                [
                    Paragraph(
                        _text(_("Tax %(rate)s") % {"rate": _percent(rate, locale)}), styles["right"]
                    ),
                    Paragraph(_text(money(amount)), styles["right"]),
                ]
            )
        totals.append(
            [
                Paragraph(_text(_("Total")), styles["right"]),
                Paragraph(_text(money(invoice.gross_total)), styles["right"]),
            ]
        )
        if invoice.paid_total:
            totals.append(
                [
                    Paragraph(_text(_("Paid")), styles["right"]),
                    Paragraph(_text(money(invoice.paid_total)), styles["right"]),
                ]
            )
        if invoice.status != InvoiceStatus.VOID:
            totals.append(
                [
                    Paragraph(_text(_("Amount due")), styles["total"]),
                    Paragraph(_text(money(invoice.balance)), styles["total"]),
                ]
            )
        summary = Table(totals, colWidths=[134 * mm, 40 * mm])
        summary.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.6, ACCENT)]))
        story.append(summary)
        if invoice.notes:
            story += [Spacer(1, 6 * mm), Paragraph(_text(invoice.notes), styles["base"])]
        footer = str(getattr(settings, "HAMKOR_INVOICE_FOOTER", "") or "")
        if footer:
            story += [
                Spacer(1, 6 * mm),
                Paragraph(_text(footer.replace("\\n", "\n")), styles["muted"]),
            ]
        document.build(story)
    return buffer.getvalue()


def pdf_filename(invoice: Invoice) -> str:
    return f"invoice-{invoice.number or f'draft-{invoice.pk}'}.pdf"


def pdf_response(invoice: Invoice, *, inline: bool = False) -> HttpResponse:
    """The invoice's PDF as a response: shown in the browser (inline) or downloaded."""
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{pdf_filename(invoice)}"'
    return response
