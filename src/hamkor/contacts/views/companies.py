"""Company list, detail with its contacts and timeline, create/edit and archive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from hamkor.activities.forms import InteractionForm
from hamkor.activities.views import timeline_context
from hamkor.contacts.forms import (
    CompanyFilterForm,
    CompanyForm,
    apply_service_errors,
    conflict_changes,
    with_current_version,
)
from hamkor.contacts.models import Company, Entity
from hamkor.contacts.selectors import (
    CompanyFilters,
    ContactFilters,
    list_companies,
    list_contacts,
    list_custom_fields,
    load_list_details,
)
from hamkor.contacts.services import archive_company, create_company, update_company
from hamkor.contacts.views.common import (
    AuthedRequest,
    visible_company,
    wants_partial,
)
from hamkor.contacts.views.contacts import custom_values, list_page_context
from hamkor.core.versioning import EditConflict, OtherChange

# The company page lists this many contacts and links to the full filtered list for more.
COMPANY_CONTACTS_SHOWN = 50


@login_required
@require_GET
@vary_on_headers("HX-Request")
def company_list(request: AuthedRequest) -> HttpResponse:
    """Companies with search as you type, tag and city filters, sort and pages."""
    form = CompanyFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = CompanyFilters(
        q=data.get("q", ""), tag=data.get("tag") or "", city=data.get("city", "")
    )
    companies = list_companies(
        viewer=request.user, filters=filters, ordering=data.get("sort") or "name"
    )
    context = list_page_context(request, companies)
    context.update(form=form, filtered=any(vars(filters).values()))
    template = (
        "contacts/_company_results.html" if wants_partial(request) else "contacts/company_list.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def company_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A company, its people and one timeline of everything that happened with it."""
    company = visible_company(request, pk)
    contacts = list(
        list_contacts(viewer=request.user, filters=ContactFilters(company_id=company.pk))[
            : COMPANY_CONTACTS_SHOWN + 1
        ]
    )
    load_list_details(contacts)
    definitions = list(list_custom_fields(entity=Entity.COMPANY))
    context = timeline_context(
        viewer=request.user, owner=company, channel=request.GET.get("channel", "")
    )
    context.update(
        company=company,
        contacts=contacts[:COMPANY_CONTACTS_SHOWN],
        more_contacts=len(contacts) > COMPANY_CONTACTS_SHOWN,
        custom_values=custom_values(definitions, company.custom_fields),
        form=InteractionForm(),
    )
    return render(request, "contacts/company_detail.html", context)


def _render_form(
    request: AuthedRequest,
    form: CompanyForm,
    company: Company | None = None,
    conflict: list[OtherChange] | None = None,
) -> HttpResponse:
    return render(
        request,
        "contacts/company_form.html",
        {"form": form, "company": company, "conflict": conflict},
    )


@login_required
def company_create(request: AuthedRequest) -> HttpResponse:
    definitions = list(list_custom_fields(entity=Entity.COMPANY))
    if request.method != "POST":
        return _render_form(request, CompanyForm(viewer=request.user, definitions=definitions))
    form = CompanyForm(request.POST, viewer=request.user, definitions=definitions)
    if not form.is_valid():
        return _render_form(request, form)
    try:
        company = create_company(
            values=form.values(),
            actor=request.user,
            tags=form.tag_names(),
            custom_fields=form.custom_values(),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _render_form(request, form)
    messages.success(request, _("%(name)s was added.") % {"name": company.name})
    return redirect("contacts:company_detail", pk=company.pk)


@login_required
def company_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    company = visible_company(request, pk)
    definitions = list(list_custom_fields(entity=Entity.COMPANY))
    if request.method != "POST":
        form = CompanyForm(viewer=request.user, definitions=definitions, company=company)
        return _render_form(request, form, company)
    form = CompanyForm(request.POST, viewer=request.user, definitions=definitions, company=company)
    if not form.is_valid():
        return _render_form(request, form, company)
    try:
        update_company(
            company=company,
            values=form.values(),
            actor=request.user,
            tags=form.tag_names(),
            custom_fields=form.custom_values(),
            expected_version=form.expected_version(),
        )
    except EditConflict as conflict:
        # Nothing was saved; the typed values stay and the stored version makes a second
        # save a deliberate overwrite.
        form = CompanyForm(
            with_current_version(request.POST, conflict),
            viewer=request.user,
            definitions=definitions,
            company=company,
        )
        form.is_valid()
        return _render_form(request, form, company, conflict_changes(conflict, definitions))
    except ValidationError as error:
        apply_service_errors(form, error)
        return _render_form(request, form, company)
    messages.success(request, _("Your changes were saved."))
    return redirect("contacts:company_detail", pk=company.pk)


@login_required
@require_POST
def company_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    company = visible_company(request, pk)
    archive_company(company=company, actor=request.user)
    messages.success(
        request, _("%(name)s was archived. Its contacts stay.") % {"name": company.name}
    )
    return redirect("contacts:company_list")
