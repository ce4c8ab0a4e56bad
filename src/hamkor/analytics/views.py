"""Staff pages: the dashboard (managers and administrators) and the churned customers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from hamkor.accounts.views import AuthedRequest
from hamkor.analytics import charts
from hamkor.analytics.forms import DashboardForm
from hamkor.analytics.selectors import (
    DEFAULT_CHURN_DAYS,
    DEFAULT_MONTHS,
    Dashboard,
    get_dashboard,
    list_churned,
    may_view_dashboard,
)
from hamkor.core.currency import base_currency
from hamkor.core.money import format_money, format_number

CHURN_PAGE = 50


def _pipeline_chart(dashboard: Dashboard) -> str:
    bars = [
        charts.Bar(
            label=f"{figure.pipeline} · {figure.stage}",
            value=figure.amount,
            text=ngettext("%(amount)s, %(count)s deal", "%(amount)s, %(count)s deals", figure.deals)
            % {
                "amount": format_money(figure.amount, dashboard.currency),
                "count": format_number(figure.deals),
            },
        )
        for figure in dashboard.pipeline
    ]
    return charts.bar_chart(
        bars,
        title=_("Open deals by stage"),
        desc=_("Amount of open deals in each stage, in %(currency)s.")
        % {"currency": dashboard.currency},
    )


def _revenue_chart(dashboard: Dashboard) -> str:
    return charts.line_chart(
        [date_format(item.month, "M") for item in dashboard.revenue],
        [item.revenue for item in dashboard.revenue],
        [
            _("%(month)s: %(amount)s")
            % {
                "month": date_format(item.month, "YEAR_MONTH_FORMAT"),
                "amount": format_money(item.revenue, dashboard.currency),
            }
            for item in dashboard.revenue
        ],
        title=_("Revenue by month"),
        desc=_("Revenue of confirmed and paid orders per month, in %(currency)s.")
        % {"currency": dashboard.currency},
    )


def _new_customers_chart(dashboard: Dashboard) -> str:
    series = [
        charts.Series(
            name=item.name or _("No source"),
            values=item.counts,
            texts=[format_number(count) for count in item.counts],
        )
        for item in dashboard.new_by_source
    ]
    return charts.stacked_columns(
        [date_format(month, "M") for month in dashboard.new_months],
        series,
        title=_("New customers by source"),
        desc=_("Customers by the month of their first purchase, stacked by source."),
    )


def _meetings_chart(dashboard: Dashboard) -> str:
    meetings = dashboard.meetings
    return charts.bar_chart(
        [
            charts.Bar(_("Held"), meetings.held, format_number(meetings.held)),
            charts.Bar(_("Successful"), meetings.successful, format_number(meetings.successful)),
        ],
        title=_("Meetings last week"),
    )


def _tickets_chart(dashboard: Dashboard) -> str:
    tickets = dashboard.tickets
    return charts.bar_chart(
        [
            charts.Bar(_("Breached"), tickets.breached, format_number(tickets.breached)),
            charts.Bar(_("At risk"), tickets.at_risk, format_number(tickets.at_risk)),
            charts.Bar(_("On track"), tickets.on_track, format_number(tickets.on_track)),
        ],
        title=_("Open tickets against their SLA"),
    )


def dashboard_context(dashboard: Dashboard) -> dict[str, Any]:
    """The charts and table cells the template draws."""
    cohorts = [
        {
            "row": row,
            "cells": [
                {"percent": percent, "count": count, "level": charts.heat_level(percent)}
                for percent, count in zip(row.retention, row.returning, strict=True)
            ],
        }
        for row in dashboard.cohorts
    ]
    return {
        "dashboard": dashboard,
        "pipeline_chart": _pipeline_chart(dashboard),
        "revenue_chart": _revenue_chart(dashboard),
        "new_customers_chart": _new_customers_chart(dashboard),
        "meetings_chart": _meetings_chart(dashboard),
        "tickets_chart": _tickets_chart(dashboard),
        "cohorts": cohorts,
        "offsets": list(range(1, 12)),
    }


def _require_viewer(request: AuthedRequest) -> None:
    if not may_view_dashboard(request.user):
        raise PermissionDenied


def _settings_form(request: AuthedRequest) -> DashboardForm:
    """The form bound to the query, defaults filled in so they show in the fields."""
    data = {"churn_days": str(DEFAULT_CHURN_DAYS), "months": str(DEFAULT_MONTHS)}
    data.update({key: request.GET[key] for key in ("churn_days", "months") if key in request.GET})
    return DashboardForm(data)


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    _require_viewer(request)
    form = _settings_form(request)
    valid = form.is_valid()
    dashboard = get_dashboard(
        viewer=request.user,
        churn_days=form.churn_value() if valid else DEFAULT_CHURN_DAYS,
        months=form.months_value() if valid else DEFAULT_MONTHS,
    )
    context = {"form": form, **dashboard_context(dashboard)}
    return render(request, "analytics/index.html", context, status=200 if valid else 400)


@login_required
@require_GET
def churned(request: AuthedRequest) -> HttpResponse:
    _require_viewer(request)
    form = _settings_form(request)
    valid = form.is_valid()
    days = form.churn_value() if valid else DEFAULT_CHURN_DAYS
    page = Paginator(list_churned(days=days), CHURN_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "days": days,
        "page": page,
        "base_query": urlencode({"churn_days": days}),
        "currency": base_currency(),
    }
    return render(request, "analytics/churned.html", context, status=200 if valid else 400)
