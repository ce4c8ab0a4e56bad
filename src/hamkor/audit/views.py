"""Audit pages: the searchable log (administrators) and one record's history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.accounts.models import User
from hamkor.audit.selectors import (
    AuditFilters,
    FieldChange,
    can_search_audit,
    can_see_history,
    field_changes,
    list_record_history,
    other_details,
    search_events,
)
from hamkor.core.models import AuditEvent
from hamkor.core.paging import KeysetPage, keyset_page

PAGE_SIZE = 50


def record_type_choices() -> list[tuple[str, str]]:
    """Every model as ("app.model", "App: model name"), for the record type filter."""
    choices = [
        (
            model._meta.label_lower,
            f"{model._meta.app_config.verbose_name}: {model._meta.verbose_name}",
        )
        for model in apps.get_models()
    ]
    return [("", _("Any")), *sorted(choices, key=lambda choice: choice[1])]


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("By (username)"), required=False, max_length=150)
    verb = forms.CharField(
        label=gettext_lazy("Action"),
        required=False,
        max_length=64,
        help_text=gettext_lazy('"contact.updated", or "contact" for every contact action.'),
    )
    target_type = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)
    target_id = forms.CharField(label=gettext_lazy("Record id"), required=False, max_length=64)
    ip = forms.GenericIPAddressField(label=gettext_lazy("IP address"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=gettext_lazy("Text in details"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target_type"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared just above
        field.choices = record_type_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            actor=data["actor"].strip(),
            verb=data["verb"].strip(),
            target_type=data["target_type"],
            target_id=data["target_id"].strip(),
            ip=data["ip"] or "",
            date_from=data["date_from"],
            date_to=data["date_to"],
            text=data["q"].strip(),
        )


@dataclass
class EventRow:
    event: AuditEvent
    changes: list[FieldChange]
    details: dict[str, str]


def _rows(events: list[AuditEvent]) -> list[EventRow]:
    return [EventRow(event, field_changes(event), other_details(event)) for event in events]


def _page(request: HttpRequest, events: Any) -> KeysetPage[AuditEvent]:
    try:
        return keyset_page(
            events,
            limit=PAGE_SIZE,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
        )
    except ValidationError:
        # A stale or garbled page link: start from the first page.
        return keyset_page(events, limit=PAGE_SIZE)


def _base_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    return query.urlencode()


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The whole log, searched and paged, for administrators."""
    viewer = _viewer(request)
    if not can_search_audit(viewer):
        raise PermissionDenied(_("Only administrators can read the audit log."))
    form = AuditSearchForm(request.GET or None)
    valid = form.is_valid()
    events = search_events(viewer=viewer, filters=form.filters() if valid else AuditFilters())
    status = 200
    if form.is_bound and not valid:
        # Errors show beside the fields; no results for a search that could not be read.
        events, status = events.none(), 400
    page = _page(request, events)
    return render(
        request,
        "audit/index.html",
        {
            "form": form,
            "page_obj": page,
            "rows": _rows(page.object_list),
            "base_query": _base_query(request),
        },
        status=status,
    )


@login_required
def history(request: HttpRequest, target_type: str, target_id: str) -> HttpResponse:
    """One record's events with their field-level before and after values."""
    viewer = _viewer(request)
    if not can_see_history(viewer=viewer, target_type=target_type, target_id=target_id):
        # Not 403: whether a record exists is itself not for everyone to learn.
        raise Http404
    page = _page(request, list_record_history(target_type=target_type, target_id=target_id))
    return render(
        request,
        "audit/history.html",
        {
            "target_type": target_type,
            "target_id": target_id,
            "page_obj": page,
            "rows": _rows(page.object_list),
            "base_query": _base_query(request),
            "searches_audit": can_search_audit(viewer),
        },
    )
