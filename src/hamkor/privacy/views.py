"""Privacy pages for administrators: the request log, one person's export and erasure, and
the retention policy with its dry run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.privacy.forms import EraseForm, ExportForm, PolicyForm
from hamkor.privacy.models import PrivacyRequest
from hamkor.privacy.selectors import (
    can_manage_privacy,
    count_holdings,
    get_request,
    get_subject,
    list_policies,
    list_requests,
    list_runs,
)
from hamkor.privacy.services import (
    dry_run_policy,
    erase_contact,
    export_contact,
    export_path,
    get_policy,
    review_policy,
    stale_leads,
    update_policy,
)

LOG_SIZE = 100
SAMPLE_SIZE = 20


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_manage_privacy(user):
        raise PermissionDenied(_("Only administrators can export or erase a person's data."))
    return user


def _subject(pk: int) -> Contact:
    try:
        return get_subject(pk=pk)
    except Contact.DoesNotExist:
        raise Http404 from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The request log, and a box to open one contact's privacy page by id."""
    _admin(request)
    typed = request.GET.get("contact_id", "").strip()
    find_error = ""
    if typed:
        try:
            found = get_subject(pk=int(typed)) if typed.isdigit() else None
        except Contact.DoesNotExist:
            found = None
        if found is not None:
            return redirect("privacy:contact", pk=found.pk)
        find_error = _("There is no contact with id %(id)s.") % {"id": typed}
    return render(
        request,
        "privacy/index.html",
        {
            "requests": list_requests()[:LOG_SIZE],
            "policies": list_policies(),
            "contact_id": typed,
            "find_error": find_error,
        },
        status=404 if find_error else 200,
    )


@login_required
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: what is held about them, their requests, export and erase."""
    _admin(request)
    subject = _subject(pk)
    export_form = ExportForm()
    erase_form = EraseForm(expected_name=subject.full_name)
    return _contact_page(request, subject, export_form, erase_form)


def _contact_page(
    request: HttpRequest,
    subject: Contact,
    export_form: ExportForm,
    erase_form: EraseForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "privacy/contact.html",
        {
            "subject": subject,
            "holdings": count_holdings(contact=subject),
            "requests": list_requests(contact_id=subject.pk),
            "export_form": export_form,
            "erase_form": erase_form,
        },
        status=status,
    )


@login_required
@require_POST
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the person's zip; the log links its download."""
    user = _admin(request)
    subject = _subject(pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        erase_form = EraseForm(expected_name=subject.full_name)
        return _contact_page(request, subject, form, erase_form, status=400)
    export_contact(contact=subject, actor=user, note=form.cleaned_data["note"])
    messages.success(request, _("The export is ready. Download it below; it is kept a week."))
    return redirect("privacy:contact", pk=subject.pk)


@login_required
@require_POST
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase the person once their name was typed to confirm."""
    user = _admin(request)
    subject = _subject(pk)
    form = EraseForm(request.POST, expected_name=subject.full_name)
    if not form.is_valid():
        return _contact_page(request, subject, ExportForm(), form, status=400)
    erase_contact(contact=subject, actor=user, note=form.cleaned_data["note"])
    messages.success(request, _("The contact was erased. Orders, invoices and counts were kept."))
    return redirect("privacy:contact", pk=subject.pk)


@login_required
def download(request: HttpRequest, request_id: int) -> FileResponse:
    """An export zip, while it is kept."""
    _admin(request)
    try:
        item = get_request(pk=request_id)
    except PrivacyRequest.DoesNotExist:
        raise Http404 from None
    path = export_path(item)
    if path is None:
        raise Http404(_("This export is no longer kept; export again."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    """The stale-leads policy: its settings, the latest runs and what a run would take now."""
    user = _admin(request)
    policy = get_policy()
    form = PolicyForm(
        request.POST or None, initial={"months": policy.months, "enabled": policy.enabled}
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_policy(
                policy=policy,
                months=form.cleaned_data["months"],
                enabled=form.cleaned_data["enabled"],
                actor=user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The policy was saved."))
            return redirect("privacy:retention")
    runs = list_runs(policy=policy)
    sample = list(stale_leads(policy)[:SAMPLE_SIZE]) if policy.last_dry_run_at else []
    return render(
        request,
        "privacy/retention.html",
        {"policy": policy, "form": form, "runs": runs, "sample": sample},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def retention_dry_run(request: HttpRequest) -> HttpResponse:
    """Count and sample what the policy would erase; a new review is needed after it."""
    user = _admin(request)
    result = dry_run_policy(policy=get_policy(), actor=user)
    messages.info(
        request,
        _("Dry run: %(count)s leads would be erased and deleted. Nothing was changed.")
        % {"count": result.run.matched},
    )
    return redirect("privacy:retention")


@login_required
@require_POST
def retention_review(request: HttpRequest) -> HttpResponse:
    """Mark the last dry run as reviewed, so the worker may act on it."""
    user = _admin(request)
    try:
        review_policy(policy=get_policy(), actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reviewed. The worker runs the policy at night if enabled."))
    return redirect("privacy:retention")
