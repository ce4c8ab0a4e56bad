"""Staff pages: the list of reports, and one report with filters, groups, totals and exports."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hamkor.accounts.views import AuthedRequest
from hamkor.core.currency import base_currency
from hamkor.core.paging import list_page
from hamkor.reports.engine import (
    ReportInputError,
    ReportQuery,
    build_filter_form,
    get_totals,
    group_headers,
    list_groups,
    list_rows,
    present_rows,
    query_from_form,
    summary_cells,
)
from hamkor.reports.exports import export_response
from hamkor.reports.registry import ColumnType, Report, get_report, list_reports

PAGE_SIZE = 50
NUMERIC = (ColumnType.MONEY, ColumnType.NUMBER)


def _report(key: str) -> Report:
    report = get_report(key)
    if report is None:
        raise Http404
    return report


def display(value: Any, kind: ColumnType) -> str:
    """A cell as text in the user's language and time zone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal) and kind == ColumnType.MONEY:
        return formats.number_format(value, 2, force_grouping=True)
    if isinstance(value, Decimal | int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """Every report, with what it covers."""
    return render(request, "reports/index.html", {"reports": list_reports()})


def _table(
    report: Report, request: AuthedRequest, query: ReportQuery, number: int
) -> dict[str, Any]:
    viewer = request.user
    totals = get_totals(report, viewer, query)
    offset = (number - 1) * PAGE_SIZE
    if query.group_by:
        groups = list_groups(report, viewer, query)
        page = list_page(groups.rows, offset=offset, limit=PAGE_SIZE)
        headers = group_headers(groups)
        kinds = [ColumnType.TEXT, ColumnType.NUMBER]
        kinds += [ColumnType.MONEY] * (len(headers) - 2 - len(report.number_columns))
        kinds += [ColumnType.NUMBER] * len(report.number_columns)
        rows = [summary_cells(s, groups.currencies) for s in groups.present(page["items"])]
        total_row = summary_cells(totals, groups.currencies)
    else:
        # The totals have counted the rows already: no second COUNT over the whole list.
        rows_qs = list_rows(report, viewer, query)
        page = {"items": list(rows_qs[offset : offset + PAGE_SIZE]), "count": totals.count}
        headers = [str(c.label) for c in report.columns]
        kinds = [c.type for c in report.columns]
        rows = list(present_rows(report, page["items"]))
        total_row = []
    pages = max(1, -(-page["count"] // PAGE_SIZE))

    def cells(row: list[Any]) -> list[tuple[str, bool]]:
        return [(display(v, k), k in NUMERIC) for v, k in zip(row, kinds, strict=True)]

    return {
        "headers": [(h, k in NUMERIC) for h, k in zip(headers, kinds, strict=True)],
        "rows": [cells(r) for r in rows],
        "total_row": cells(total_row) if total_row else [],
        "totals": totals,
        "count": page["count"],
        "number": number,
        "pages": pages,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
    }


@login_required
@require_GET
def report_view(request: AuthedRequest, key: str) -> HttpResponse:
    """One report: the filter form, a page of rows or groups, the totals, export links."""
    report = _report(key)
    data = request.GET.copy()
    data.pop("page", None)
    form = build_filter_form(report, request.user, data if data else None)
    context: dict[str, Any] = {
        "report": report,
        "form": form,
        "query_string": data.urlencode(),
        "base_currency_code": base_currency(),
    }
    if not form.is_bound or form.is_valid():
        query = query_from_form(form) if form.is_bound else ReportQuery()
        context.update(_table(report, request, query, _page_number(request.GET.get("page"))))
    template = "reports/_results.html" if request.htmx else "reports/report.html"
    return render(request, template, context)


@login_required
@require_GET
def export(request: AuthedRequest, key: str, fmt: str) -> HttpResponse:
    """The report, as filtered on its page, as CSV, XLSX or PDF."""
    report = _report(key)
    data = request.GET.copy()
    for name in ("page", "delimiter"):
        data.pop(name, None)
    form = build_filter_form(report, request.user, data)
    if not form.is_valid():
        message = " ".join(str(m) for messages in form.errors.values() for m in messages)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    delimiter = request.GET.get("delimiter", ",")
    try:
        response: HttpResponse = export_response(
            report, request.user, query_from_form(form), fmt=fmt, delimiter=delimiter
        )
    except ReportInputError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    return response
