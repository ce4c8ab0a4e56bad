"""Writing a report out: CSV (streamed), XLSX (write-only, to a temporary file) and PDF.

Exports hold exactly the rows of the report as filtered (or its groups when grouped). Rows
are read in chunks with ``iterator()``, so memory does not grow with the list.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar
from xml.sax.saxutils import escape

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from hamkor.accounts.models import User
from hamkor.core.audit import record_event_about
from hamkor.core.currency import base_currency
from hamkor.core.money import babel_locale
from hamkor.reports.engine import (
    ReportInputError,
    ReportQuery,
    Summary,
    get_grouping,
    get_totals,
    group_headers,
    list_groups,
    list_rows,
    present_rows,
    summary_cells,
)
from hamkor.reports.registry import ColumnType, Report

CHUNK = 2000
# A PDF is for reading and printing; longer lists belong in a spreadsheet.
PDF_ROW_LIMIT = 5000
FORMATS = ("csv", "xlsx", "pdf")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0.00"
WIDTHS = {
    ColumnType.TEXT: 24,
    ColumnType.CHOICE: 16,
    ColumnType.DATE: 12,
    ColumnType.DATETIME: 17,
    ColumnType.MONEY: 16,
    ColumnType.NUMBER: 12,
    ColumnType.BOOLEAN: 10,
}


class _Table:
    """Headings, column types and rows of a report run, flat or grouped, plus its totals."""

    def __init__(self, report: Report, viewer: User, query: ReportQuery) -> None:
        self.report = report
        self.query = query
        self.totals = get_totals(report, viewer, query)
        if query.group_by:
            groups = list_groups(report, viewer, query)
            self.currencies = groups.currencies
            self.headers = group_headers(groups)
            money = len(report.money_columns) * (len(groups.currencies) + 1)
            self.types = [
                ColumnType.DATE
                if get_grouping(report, query.group_by).type == ColumnType.DATE  # type: ignore[union-attr]
                else ColumnType.TEXT,
                ColumnType.NUMBER,
                *[ColumnType.MONEY] * money,
                *[ColumnType.NUMBER] * len(report.number_columns),
            ]
            self._groups = groups
        else:
            self.headers = [str(c.label) for c in report.columns]
            self.types = [c.type for c in report.columns]
            self._rows = list_rows(report, viewer, query)

    @property
    def count(self) -> int:
        if self.query.group_by:
            return self._groups.rows.count()
        return self.totals.count

    def rows(self) -> Iterator[list[Any]]:
        if self.query.group_by:
            for summary in self._groups.present(self._groups.rows.iterator(chunk_size=CHUNK)):
                yield summary_cells(summary, self.currencies)
        else:
            yield from present_rows(self.report, self._rows.iterator(chunk_size=CHUNK))

    def total_lines(self) -> list[str]:
        """The totals as sentences: count, each money sum per currency and in the base."""
        return total_lines(self.totals)


def total_lines(totals: Summary) -> list[str]:
    """Totals as short lines of text (for the PDF and the spreadsheet's foot)."""
    lines = [ngettext("%(count)s row", "%(count)s rows", totals.count) % {"count": totals.count}]
    for money in totals.money:
        for code, amount in money.by_currency:
            lines.append(
                _("%(column)s: %(amount)s %(currency)s")
                % {"column": money.label, "amount": _plain(amount), "currency": code}
            )
        if money.base is not None:
            lines.append(
                _("%(column)s in %(currency)s: %(amount)s")
                % {"column": money.label, "currency": base_currency(), "amount": _plain(money.base)}
            )
        elif money.missing_rate:
            lines.append(money.missing_rate)
    for label, amount in totals.numbers:
        lines.append(_("%(column)s: %(amount)s") % {"column": label, "amount": _plain(amount)})
    return lines


def _plain(value: Decimal) -> str:
    return f"{value:.2f}" if value != value.to_integral_value() else f"{value:.0f}"


def filename(report: Report, extension: str) -> str:
    day = timezone.localdate().isoformat()
    return f"{slugify(report.key)}-{day}.{extension}"


# ---- CSV -------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return str(value)
    return "" if value is None else value


def csv_lines(table: _Table, delimiter: str) -> Iterator[str]:
    """The CSV text, line by line: a BOM, the header, then every row."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff" + writer.writerow(table.headers)
    for row in table.rows():
        yield writer.writerow([_csv_value(v) for v in row])


def csv_response(
    report: Report, viewer: User, query: ReportQuery, *, delimiter: str = ","
) -> StreamingHttpResponse:
    """The report as streamed UTF-8 CSV with a BOM (Excel then reads Cyrillic correctly)."""
    if delimiter not in (",", ";"):
        raise ReportInputError(_("The CSV delimiter must be a comma or a semicolon."))
    table = _Table(report, viewer, query)
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(table, delimiter)),
        content_type="text/csv; charset=utf-8",
    )
    return _download(response, filename(report, "csv"))


# ---- XLSX ------------------------------------------------------------------------------


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any, kind: ColumnType) -> Any:
    """A styled cell for dates and numbers; other values go in as they are (a styled cell
    costs a quarter more time to write)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, datetime.datetime):
        # Spreadsheets have no time zones: the wall-clock time of the viewer's zone.
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=float(value) if kind == ColumnType.MONEY else value)
        if kind == ColumnType.MONEY:
            cell.number_format = MONEY_FORMAT
        elif value != value.to_integral_value():
            cell.number_format = "0.00"
        else:
            return int(value)
    else:
        return value
    return cell


def write_xlsx(table: _Table, target: Any) -> None:
    """Write the table to ``target`` (a path or binary file) in openpyxl's write-only mode."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(table.report.title)[:31])
    sheet.freeze_panes = "A2"
    for index, (kind, header) in enumerate(zip(table.types, table.headers, strict=True), 1):
        width = max(WIDTHS.get(kind, 16), min(len(header) + 2, 40))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    heading = []
    for header in table.headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in table.rows():
        sheet.append(
            [_xlsx_cell(sheet, value, kind) for value, kind in zip(row, table.types, strict=True)]
        )
    sheet.append([])
    for line in table.total_lines():
        cell = WriteOnlyCell(sheet, value=line)
        cell.font = bold
        sheet.append([cell])
    book.save(target)


def xlsx_response(report: Report, viewer: User, query: ReportQuery) -> FileResponse:
    """The report as an XLSX file, written to a temporary file and streamed from it."""
    table = _Table(report, viewer, query)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    write_xlsx(table, handle)
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    response = FileResponse(handle, content_type=XLSX_TYPE)
    response["Content-Length"] = str(size)
    return _download(response, filename(report, "xlsx"))


# ---- PDF -------------------------------------------------------------------------------


def _pdf_text(value: Any, kind: ColumnType, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return format_datetime(value, "short", locale=locale)
    if isinstance(value, datetime.date):
        return format_date(value, "medium", locale=locale)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal | int):
        pattern = "#,##0.00" if kind == ColumnType.MONEY else None
        return format_decimal(value, format=pattern, locale=locale)
    return str(value)


def describe_filters(report: Report, query: ReportQuery) -> list[str]:
    """The filters of a run as "Label: value" lines for the PDF header."""
    from hamkor.reports.engine import field_choices

    lines: list[str] = []
    for spec in report.filters:
        if spec.kind == "date":
            start, end = query.values.get("date_from"), query.values.get("date_to")
            if start or end:
                lines.append(
                    _("%(field)s: %(start)s – %(end)s")
                    % {
                        "field": spec.label,
                        "start": start.isoformat() if start else "…",
                        "end": end.isoformat() if end else "…",
                    }
                )
            continue
        value = query.values.get(spec.key)
        if value in (None, ""):
            continue
        if spec.kind == "choice":
            value = dict(field_choices(report, spec.paths[0])).get(str(value), value)
        elif spec.kind == "owner":
            value = str(User.objects.filter(pk=int(str(value))).first() or value)
        lines.append(_("%(field)s: %(value)s") % {"field": spec.label, "value": value})
    if query.group_by:
        grouping = get_grouping(report, query.group_by)
        if grouping is not None:
            lines.append(_("Grouped by: %(group)s") % {"group": grouping.label})
    return lines


def render_pdf(report: Report, viewer: User, query: ReportQuery) -> bytes:
    """The report as a landscape A4 PDF: name, filters, date, the table (its header repeated
    on every page) and the totals."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    from hamkor.billing.pdf import _register_font

    table = _Table(report, viewer, query)
    if table.count > PDF_ROW_LIMIT:
        raise ReportInputError(
            _(
                "A PDF holds at most %(limit)s rows and this report has %(count)s; "
                "narrow the filters or export XLSX."
            )
            % {"limit": PDF_ROW_LIMIT, "count": table.count}
        )
    font = _register_font()
    locale = babel_locale()
    base = ParagraphStyle("base", fontName=font, fontSize=7.5, leading=9.5)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    head = ParagraphStyle("head", parent=base, textColor=colors.white)
    title = ParagraphStyle("title", parent=base, fontSize=14, leading=18)
    muted = ParagraphStyle("muted", parent=base, fontSize=8.5, textColor=colors.HexColor("#5b6470"))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=str(report.title),
        author=str(settings.HAMKOR_ORGANISATION_NAME),
    )
    now = format_datetime(timezone.localtime(), "medium", locale=locale)
    story: list[Any] = [
        Paragraph(escape(str(report.title)), title),
        Paragraph(
            escape(
                _("%(organisation)s, made %(when)s")
                % {"organisation": settings.HAMKOR_ORGANISATION_NAME, "when": now}
            ),
            muted,
        ),
    ]
    story += [Paragraph(escape(line), muted) for line in describe_filters(report, query)]
    story.append(Spacer(1, 4 * mm))
    numeric = {ColumnType.MONEY, ColumnType.NUMBER}
    data: list[list[Any]] = [[Paragraph(escape(h), head) for h in table.headers]]
    for row in table.rows():
        data.append(
            [
                Paragraph(
                    escape(_pdf_text(value, kind, locale)), right if kind in numeric else base
                )
                for value, kind in zip(row, table.types, strict=True)
            ]
        )
    grid = LongTable(data, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c9ced6")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f5f8")]),
            ]
        )
    )
    story += [grid, Spacer(1, 4 * mm)]
    story += [Paragraph(escape(line), base) for line in table.total_lines()]
    document.build(story)
    return buffer.getvalue()


def pdf_response(report: Report, viewer: User, query: ReportQuery) -> HttpResponse:
    """The report's PDF as a download; only reports declared with ``pdf=True`` have one."""
    if not report.pdf:
        raise ReportInputError(_("This report has no PDF; export CSV or XLSX instead."))
    response = HttpResponse(render_pdf(report, viewer, query), content_type="application/pdf")
    return _download(response, filename(report, "pdf"))


R = TypeVar("R", HttpResponse, StreamingHttpResponse, FileResponse)


def _download(response: R, name: str) -> R:
    # As core.downloads does for stored files: always a download, never shown as our page.
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def export_response(
    report: Report, viewer: User, query: ReportQuery, *, fmt: str, delimiter: str = ","
) -> Any:
    """The export in ``fmt`` (csv, xlsx or pdf); ReportInputError for another format."""
    if fmt in ("csv", "xlsx", "pdf"):
        # Exports take customer data out of the CRM: who took what is kept.
        record_event_about(
            actor=viewer,
            verb="report.exported",
            target_type="reports.report",
            target_id=report.key,
            data={
                "format": fmt,
                "group_by": query.group_by,
                "filters": {key: str(value) for key, value in query.values.items()},
            },
        )
    if fmt == "csv":
        return csv_response(report, viewer, query, delimiter=delimiter)
    if fmt == "xlsx":
        return xlsx_response(report, viewer, query)
    if fmt == "pdf":
        return pdf_response(report, viewer, query)
    raise ReportInputError(
        _("Unknown export format %(format)s; choose csv, xlsx or pdf.") % {"format": fmt}
    )
