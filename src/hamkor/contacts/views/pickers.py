"""Suggestions for the contact and company pickers (see ``contacts.forms.pickers``).

Only records the user may see are suggested: the search runs through the same selectors as
the contact and company lists.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hamkor.contacts.forms.pickers import (
    SEARCH_SUFFIX,
    PickerItem,
    describe_company,
    describe_contact,
)
from hamkor.contacts.selectors import (
    CompanyFilters,
    ContactFilters,
    list_companies,
    list_contacts,
    load_list_details,
)
from hamkor.contacts.views.common import AuthedRequest

LIMIT = 8
MIN_CHARS = 2
KINDS = ("contact", "company")
# Field names and element ids come back into the page; accept only plain identifiers.
SAFE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,80}$")


def _safe(value: str, fallback: str) -> str:
    return value if SAFE_NAME.match(value) else fallback


def _search(request: AuthedRequest, kind: str, q: str) -> list[PickerItem]:
    if kind == "contact":
        contacts = list(
            list_contacts(viewer=request.user, filters=ContactFilters(q=q))[: LIMIT + 1]
        )
        load_list_details(contacts)
        return [describe_contact(contact) for contact in contacts]
    companies = list_companies(viewer=request.user, filters=CompanyFilters(q=q))[: LIMIT + 1]
    return [describe_company(company) for company in companies]


@login_required
@require_GET
def pick(request: AuthedRequest, kind: str) -> HttpResponse:
    """Up to eight visible contacts (or companies) matching what was typed, as options."""
    if kind not in KINDS:
        raise Http404
    field = _safe(request.GET.get("field", ""), kind)
    input_id = _safe(request.GET.get("input", ""), f"id_{field}")
    q = (request.GET.get(field + SEARCH_SUFFIX) or request.GET.get("q") or "").strip()
    too_short = len(q) < MIN_CHARS
    items = [] if too_short else _search(request, kind, q)
    context = {
        "kind": kind,
        "q": q,
        "items": items[:LIMIT],
        "more": len(items) > LIMIT,
        "too_short": too_short,
        "min_chars": MIN_CHARS,
        "input_id": input_id,
    }
    return render(request, "contacts/_picker_options.html", context)
