"""REST API of reports: the catalogue, one report's rows and totals, and its exports.

Query parameters of a report are its filters (see ``GET /reports/``) plus ``group_by``,
``offset`` and ``limit``; an unknown parameter or a bad value is a 400 naming it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from hamkor.contacts.api import viewer_of
from hamkor.contacts.schemas import READ_ERRORS, ErrorOut
from hamkor.core.currency import base_currency
from hamkor.core.paging import list_page
from hamkor.reports.engine import (
    ReportInputError,
    Summary,
    field_choices,
    get_totals,
    groupings,
    list_groups,
    list_rows,
    parse_query,
    present_rows,
)
from hamkor.reports.exports import export_response
from hamkor.reports.registry import FilterKind, Report, get_report, list_reports
from hamkor.reports.schemas import ReportOut, ReportPageOut

router = Router(tags=["reports"])

ERRORS: dict[int, Any] = {400: ErrorOut, **READ_ERRORS}
MAX_LIMIT = 500


def _report(key: str) -> Report:
    report = get_report(key)
    if report is None:
        raise Http404
    return report


def _params(kind: FilterKind, key: str) -> list[str]:
    return ["date_from", "date_to"] if kind == FilterKind.DATE else [key]


def _describe(report: Report) -> dict[str, Any]:
    return {
        "key": report.key,
        "title": str(report.title),
        "columns": [
            {"key": c.key, "label": str(c.label), "type": str(c.type), "total": c.total}
            for c in report.columns
        ],
        "filters": [
            {
                "key": f.key,
                "label": str(f.label),
                "kind": str(f.kind),
                "params": _params(f.kind, f.key),
                "choices": [list(c) for c in field_choices(report, f.paths[0])]
                if f.kind == FilterKind.CHOICE
                else [],
            }
            for f in report.filters
        ],
        "groupings": [{"key": g.key, "label": str(g.label)} for g in groupings(report)],
        "formats": ["csv", "xlsx", "pdf"] if report.pdf else ["csv", "xlsx"],
    }


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _summary_out(summary: Summary) -> dict[str, Any]:
    return {
        "label": str(_json(summary.label)),
        "count": summary.count,
        "money": [
            {
                "label": m.label,
                "by_currency": {code: str(amount) for code, amount in m.by_currency},
                "base_currency": base_currency(),
                "base": None if m.base is None else str(m.base),
                "missing_rate": m.missing_rate,
            }
            for m in summary.money
        ],
        "numbers": {label: str(amount) for label, amount in summary.numbers},
    }


def _bad_input(error: ReportInputError) -> JsonResponse:
    # Not HttpError: the API's handler words every 400 from it as a JSON body error.
    return JsonResponse({"detail": error.message, "errors": error.errors}, status=400)


def _int(request: HttpRequest, name: str, default: int, top: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ReportInputError(_("%(name)s must be a whole number.") % {"name": name}) from None
    if not 0 <= value <= top:
        raise ReportInputError(
            _("%(name)s must be between 0 and %(top)s.") % {"name": name, "top": top}
        )
    return value


@router.get("/", response={200: list[ReportOut], **READ_ERRORS}, summary="List reports")
def reports(request: HttpRequest) -> list[dict[str, Any]]:
    """Every report with its columns, filters (and their query parameters) and groupings."""
    return [_describe(r) for r in list_reports()]


@router.get("/{key}", response={200: ReportPageOut, **ERRORS}, summary="Run a report")
def run(request: HttpRequest, key: str) -> dict[str, Any] | HttpResponse:
    """One page of the report's rows (or groups, with ``group_by``) and the totals of all."""
    report = _report(key)
    viewer = viewer_of(request)
    try:
        query = parse_query(report, viewer, request.GET.dict())
        offset = _int(request, "offset", 0, 10**9)
        limit = _int(request, "limit", 50, MAX_LIMIT) or 50
    except ReportInputError as error:
        return _bad_input(error)
    totals = get_totals(report, viewer, query)
    if query.group_by:
        groups = list_groups(report, viewer, query)
        page = list_page(groups.rows, offset=offset, limit=limit)
        items = [_summary_out(s) for s in groups.present(page["items"])]
        columns = ["label", "count", "money", "numbers"]
    else:
        rows = list_rows(report, viewer, query)
        page = {"items": list(rows[offset : offset + limit]), "count": totals.count}
        columns = [c.key for c in report.columns]
        items = [
            {k: _json(v) for k, v in zip(columns, row, strict=True)}
            for row in present_rows(report, page["items"])
        ]
    return {
        "key": report.key,
        "group_by": query.group_by or None,
        "count": page["count"],
        "columns": columns,
        "items": items,
        "totals": _summary_out(totals),
    }


@router.get("/{key}/export", response={200: None, **ERRORS}, summary="Export a report")
def export(request: HttpRequest, key: str, format: str = "csv") -> HttpResponse:
    """The filtered (and grouped) report as a csv, xlsx or pdf download."""
    report = _report(key)
    params = {k: v for k, v in request.GET.dict().items() if k not in ("format", "delimiter")}
    try:
        query = parse_query(report, viewer_of(request), params)
        return export_response(  # type: ignore[no-any-return]
            report,
            viewer_of(request),
            query,
            fmt=format,
            delimiter=request.GET.get("delimiter", ","),
        )
    except ReportInputError as error:
        return _bad_input(error)
