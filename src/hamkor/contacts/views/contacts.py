"""Contact list, detail, create/edit, archive, consent and the duplicate hint."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from hamkor.activities.forms import InteractionForm
from hamkor.activities.views import timeline_context
from hamkor.contacts.forms import (
    ConsentForm,
    ContactFilterForm,
    ContactForm,
    ContactRows,
    DateRow,
    EmailRow,
    PhoneRow,
    apply_service_errors,
    conflict_changes,
    with_current_version,
)
from hamkor.contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    CustomFieldDefinition,
    Entity,
    FieldType,
    ImportantDate,
)
from hamkor.contacts.selectors import (
    ContactFilters,
    DuplicateMatch,
    find_similar_contacts,
    list_contact_parts,
    list_custom_fields,
    load_list_details,
)
from hamkor.contacts.services import (
    archive_contact,
    create_contact,
    record_consent,
    update_contact,
)
from hamkor.contacts.views.common import (
    PAGE_SIZE,
    AuthedRequest,
    visible_contact,
    wants_partial,
)
from hamkor.core.paging import Rows, count_up_to, keyset_page
from hamkor.core.panels import panels_for, render_panel
from hamkor.core.versioning import EditConflict, OtherChange

M = TypeVar("M", bound=Model)

# Service error keys shown beside the repeated inputs rather than a form field.
ROW_ERROR_KEYS = ("phones", "emails", "important_dates")


@login_required
@require_GET
@vary_on_headers("HX-Request")
def contact_list(request: AuthedRequest) -> HttpResponse:
    """Search as you type, filters, sort and 25 per page; htmx gets only the results."""
    definitions = list(list_custom_fields(entity=Entity.CONTACT))
    form = ContactFilterForm(request.GET, viewer=request.user, definitions=definitions)
    # Invalid choices (a stale link) simply drop out of cleaned_data.
    form.is_valid()
    data = form.cleaned_data
    filters = ContactFilters(
        q=data.get("q", ""),
        tag=data.get("tag") or "",
        owner_id=data.get("owner"),
        stage=data.get("stage") or "",
        source_id=data.get("source"),
        custom=form.custom_filters(),
    )
    ordering = data.get("sort") or "name"
    filter_error = ""
    # "1,000+ matches" says enough for a search: counting further re-reads every match of a
    # broad fragment and was the slowest part of such a page.
    count_cap = SEARCH_COUNT_CAP if filters.q.strip() else None
    try:
        context = list_page_context(
            request,
            list_contact_parts(viewer=request.user, filters=filters, ordering=ordering),
            count_cap=count_cap,
        )
    except ValidationError as error:
        # A custom-field filter that does not fit its type (letters in a number field).
        filter_error = " ".join(error.messages)
        filters = replace(filters, custom={})
        context = list_page_context(
            request,
            list_contact_parts(viewer=request.user, filters=filters, ordering=ordering),
            count_cap=count_cap,
        )
    load_list_details(context["page_obj"].object_list)
    context.update(
        form=form,
        filter_error=filter_error,
        filtered=any(vars(filters).values()),
    )
    template = "contacts/_results.html" if wants_partial(request) else "contacts/list.html"
    return render(request, template, context)


SEARCH_COUNT_CAP = 1000
# Query parameters that position a list page; links to other pages replace them.
PAGE_PARAMETERS = ("page", "after", "before")


def list_page_context(
    request: AuthedRequest, rows: Rows[M], *, count_cap: int | None = None
) -> dict[str, Any]:
    """One page of an ordered list, its count (capped) and the query for page links.

    Pages are keyset pages: "Next" and "Previous" carry the sort key of the row at the edge,
    so a deep page costs what the first does. Their links also carry the page number, only
    to show it. A numbered link without a cursor (``?page=3``, from before) still works
    through OFFSET; a stale or garbled cursor shows the first page. ``count_cap`` counts
    no further than that (default: the API's cap).
    """
    number = 1
    with contextlib.suppress(ValueError):
        # Bounded: a huge number would overflow the database's OFFSET integer.
        number = min(max(1, int(request.GET.get("page", "1"))), 1_000_000)
    after, before = request.GET.get("after", ""), request.GET.get("before", "")
    offset = 0 if after or before else (number - 1) * PAGE_SIZE
    try:
        page = keyset_page(rows, limit=PAGE_SIZE, after=after, before=before, offset=offset)
    except ValidationError as error:
        if getattr(error, "code", None) != "cursor":
            raise
        page = keyset_page(rows, limit=PAGE_SIZE)
    if not page.has_previous:
        number = 1
    if not page.has_next and not page.has_previous:
        # The whole list is on this page: its length is the count.
        total, total_capped = len(page.object_list), False
    else:
        total, total_capped = count_up_to(rows, cap=count_cap)
    query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        query.pop(name, None)
    return {
        "page_obj": page,
        "page_number": number,
        "page_count": None if total_capped else max(1, -(-total // PAGE_SIZE)),
        "total": total,
        "total_capped": total_capped,
        "base_query": query.urlencode(),
    }


@dataclass
class CustomValue:
    label: str
    value: Any
    field_type: str


def custom_values(
    definitions: list[CustomFieldDefinition], stored: dict[str, Any]
) -> list[CustomValue]:
    """Stored custom values with their labels, typed for display (dates as dates)."""
    result = []
    for definition in definitions:
        value = stored.get(definition.key)
        if value in (None, ""):
            continue
        if definition.field_type == FieldType.DATE:
            with contextlib.suppress(ValueError):
                value = datetime.date.fromisoformat(str(value))
        result.append(CustomValue(definition.label, value, definition.field_type))
    return result


@login_required
@require_GET
def contact_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Everything about one contact, their timeline and the inline "log interaction" form."""
    contact = visible_contact(request, pk)
    definitions = list(list_custom_fields(entity=Entity.CONTACT))
    context = timeline_context(
        viewer=request.user, owner=contact, channel=request.GET.get("channel", "")
    )
    context.update(
        contact=contact,
        custom_values=custom_values(definitions, contact.custom_fields),
        form=InteractionForm(),
        consent_form=ConsentForm(),
        panels=panels_for(contact, request.user),
    )
    return render(request, "contacts/detail.html", context)


@login_required
@require_GET
def contact_duplicate_hint(request: AuthedRequest, pk: int) -> HttpResponse:
    """The "possible duplicates" warning of a card, which the card loads after itself."""
    contact = visible_contact(request, pk)
    similar: list[DuplicateMatch] = []
    if contact.archived_at is None:
        similar = find_similar_contacts(
            viewer=request.user,
            first_name=contact.first_name,
            last_name=contact.last_name,
            phones=[p.number for p in contact.phones.all()],
            emails=[e.email for e in contact.emails.all()],
            exclude_pk=contact.pk,
            limit=5,
        )
    return render(
        request, "contacts/_duplicate_hint.html", {"contact": contact, "similar": similar}
    )


@login_required
@require_GET
def contact_panel(request: AuthedRequest, pk: int, key: str) -> HttpResponse:
    """One lazy panel of a card; an empty answer when it has nothing for this contact."""
    contact = visible_contact(request, pk)
    try:
        panel = render_panel(key, contact, request.user)
    except KeyError:
        raise Http404 from None
    if panel is None:
        return HttpResponse("")
    return render(request, "contacts/_panel.html", {"contact": contact, "panel": panel})


def _render_form(
    request: AuthedRequest,
    *,
    form: ContactForm,
    rows: ContactRows,
    contact: Contact | None = None,
    matches: list[DuplicateMatch] | None = None,
    conflict: list[OtherChange] | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "rows": rows.with_blank_rows(),
        "contact": contact,
        "matches": matches or [],
        "conflict": conflict,
        "phone_kinds": ContactPhone.Kind.choices,
        "email_kinds": ContactEmail.Kind.choices,
        "date_kinds": ImportantDate.Kind.choices,
        "currencies": ("UZS", "KGS", "KZT", "RUB", "USD", "EUR"),
    }
    return render(request, "contacts/form.html", context)


def _similar_to_typed(
    request: AuthedRequest, form: ContactForm, rows: ContactRows, exclude_pk: int | None = None
) -> list[DuplicateMatch]:
    return find_similar_contacts(
        viewer=request.user,
        first_name=form.cleaned_data.get("first_name", ""),
        last_name=form.cleaned_data.get("last_name", ""),
        phones=[p.number for p in rows.phones if p.number.strip()],
        emails=[e.email for e in rows.emails if e.email.strip()],
        exclude_pk=exclude_pk,
    )


@login_required
def contact_create(request: AuthedRequest) -> HttpResponse:
    """Create a contact; possible duplicates must be confirmed before saving."""
    definitions = list(list_custom_fields(entity=Entity.CONTACT))
    if request.method != "POST":
        form = ContactForm(viewer=request.user, definitions=definitions)
        return _render_form(request, form=form, rows=ContactRows())
    form = ContactForm(request.POST, viewer=request.user, definitions=definitions)
    rows = ContactRows.from_post(request.POST)
    dates = rows.parsed_dates()
    if not form.is_valid() or rows.errors:
        return _render_form(request, form=form, rows=rows)
    if not request.POST.get("save_anyway"):
        matches = _similar_to_typed(request, form, rows)
        if matches:
            return _render_form(request, form=form, rows=rows, matches=matches)
    try:
        contact = create_contact(data=form.to_input(rows, dates), actor=request.user)
    except ValidationError as error:
        rows.errors.update(apply_service_errors(form, error, keep=ROW_ERROR_KEYS))
        return _render_form(request, form=form, rows=rows)
    messages.success(request, _("%(name)s was added.") % {"name": contact.full_name})
    return redirect("contacts:detail", pk=contact.pk)


@login_required
def contact_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a contact; phones, emails and dates given replace the old ones."""
    contact = visible_contact(request, pk)
    definitions = list(list_custom_fields(entity=Entity.CONTACT))
    if request.method != "POST":
        form = ContactForm(viewer=request.user, definitions=definitions, contact=contact)
        return _render_form(
            request, form=form, rows=ContactRows.from_contact(contact), contact=contact
        )
    form = ContactForm(request.POST, viewer=request.user, definitions=definitions, contact=contact)
    rows = ContactRows.from_post(request.POST)
    dates = rows.parsed_dates()
    if not form.is_valid() or rows.errors:
        return _render_form(request, form=form, rows=rows, contact=contact)
    try:
        update_contact(
            contact=contact,
            data=form.to_input(rows, dates),
            actor=request.user,
            expected_version=form.expected_version(),
        )
    except EditConflict as conflict:
        # Nothing was saved. What the user typed stays; the form now carries the stored
        # version, so saving again (after reading the other changes) overwrites them.
        form = ContactForm(
            with_current_version(request.POST, conflict),
            viewer=request.user,
            definitions=definitions,
            contact=contact,
        )
        form.is_valid()
        return _render_form(
            request,
            form=form,
            rows=rows,
            contact=contact,
            conflict=conflict_changes(conflict, definitions),
        )
    except ValidationError as error:
        rows.errors.update(apply_service_errors(form, error, keep=ROW_ERROR_KEYS))
        return _render_form(request, form=form, rows=rows, contact=contact)
    messages.success(request, _("Your changes were saved."))
    return redirect("contacts:detail", pk=contact.pk)


@login_required
@require_POST
def contact_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    """Hide a contact from lists; the history stays."""
    contact = visible_contact(request, pk)
    archive_contact(contact=contact, actor=request.user)
    messages.success(
        request,
        _("%(name)s was archived. The history is kept.") % {"name": contact.full_name},
    )
    return redirect("contacts:list")


@login_required
@require_POST
def record_consent_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record that the contact gave or withdrew consent for one channel."""
    contact = visible_contact(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        record_consent(
            contact=contact,
            channel=form.cleaned_data["channel"],
            granted=form.cleaned_data["granted"],
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        messages.success(request, _("The consent was recorded."))
    else:
        messages.error(request, _("The consent was not recorded: choose a channel and how."))
    return redirect("contacts:detail", pk=contact.pk)


@login_required
@require_GET
def similar(request: AuthedRequest) -> HttpResponse:
    """The "possible duplicates" hint under the contact form, refreshed while typing."""
    exclude = request.GET.get("exclude", "")
    matches = find_similar_contacts(
        viewer=request.user,
        first_name=request.GET.get("first_name", ""),
        last_name=request.GET.get("last_name", ""),
        phones=[p for p in request.GET.getlist("phone_number") if p.strip()],
        emails=[e for e in request.GET.getlist("email_address") if e.strip()],
        exclude_pk=int(exclude) if exclude.isdigit() else None,
        limit=5,
    )
    return render(request, "contacts/_similar.html", {"matches": matches})


ROW_TEMPLATES = {
    "phone": ("contacts/_phone_row.html", "phone", PhoneRow),
    "email": ("contacts/_email_row.html", "email", EmailRow),
    "date": ("contacts/_date_row.html", "date", DateRow),
}


@login_required
@require_GET
def form_row(request: AuthedRequest, kind: str) -> HttpResponse:
    """One empty phone, email or date row, appended by the form's "add" buttons."""
    if kind not in ROW_TEMPLATES:
        raise Http404
    template, name, row_class = ROW_TEMPLATES[kind]
    context = {
        name: row_class(),
        "phone_kinds": ContactPhone.Kind.choices,
        "email_kinds": ContactEmail.Kind.choices,
        "date_kinds": ImportantDate.Kind.choices,
    }
    return render(request, template, context)
