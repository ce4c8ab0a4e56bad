"""Staff pages: upload a file, map its columns, check it (dry run), import it, follow it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hamkor.accounts.models import User
from hamkor.core.audit import record_event
from hamkor.imports.models import DuplicateMode, ImportEntity, ImportJob
from hamkor.imports.selectors import get_job_by_uuid, list_jobs
from hamkor.imports.services import (
    can_import,
    create_job,
    current_progress,
    fields_for,
    is_google_contacts,
    preview,
    queue_run,
    set_options,
)
from hamkor.imports.views.downloads import errors_response

RECENT_JOBS = 30


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (any delimiter; UTF-8 or Windows-1251), Excel .xlsx or vCard .vcf."
        ),
    )
    entity = forms.ChoiceField(
        label=gettext_lazy("What the file holds"), choices=ImportEntity.choices
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    if not can_import(user):
        raise PermissionDenied(_("Only administrators and managers can import data."))
    return user


def _load(user: User, uuid: str) -> ImportJob:
    try:
        return get_job_by_uuid(viewer=user, uuid=uuid)
    except (ImportJob.DoesNotExist, ValidationError):
        raise Http404 from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = create_job(
                actor=user, upload=form.cleaned_data["file"], entity=form.cleaned_data["entity"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("imports:detail", uuid=job.uuid)
    jobs = list_jobs(viewer=user)[:RECENT_JOBS]
    return render(request, "imports/index.html", {"form": form, "jobs": jobs})


def _detail_context(job: ImportJob, *, mapping: dict[str, str] | None = None) -> dict[str, Any]:
    chosen = mapping if mapping is not None else job.mapping
    try:
        rows = preview(job)
    except (OSError, ValidationError):
        rows = []
    columns = [
        {"index": index, "header": header, "field": chosen.get(header, "")}
        for index, header in enumerate(job.headers)
    ]
    return {
        "job": job,
        "columns": columns,
        "preview_rows": rows,
        "fields": fields_for(job.entity),
        "duplicate_modes": DuplicateMode.choices,
        "google": job.entity == ImportEntity.CONTACT and is_google_contacts(job.headers),
        "progress": current_progress(job),
    }


@login_required
def detail(request: HttpRequest, uuid: str) -> HttpResponse:
    job = _load(_user(request), uuid)
    return render(request, "imports/detail.html", _detail_context(job))


@login_required
@require_POST
def run(request: HttpRequest, uuid: str) -> HttpResponse:
    """Save the mapping and options from the form, then queue a check or the import."""
    user = _user(request)
    job = _load(user, uuid)
    mapping = {
        header: request.POST.get(f"column-{index}", "") for index, header in enumerate(job.headers)
    }
    action = request.POST.get("action", "check")
    try:
        if job.applied_at is None and not job.is_running:
            job = set_options(
                job=job,
                actor=user,
                mapping=mapping,
                duplicates=request.POST.get("duplicates", DuplicateMode.SKIP),
                skip_bad_rows=request.POST.get("skip_bad_rows") == "on",
            )
        queue_run(job=job, actor=user, dry_run=action != "import")
    except ValidationError as error:
        context = _detail_context(job, mapping={k: v for k, v in mapping.items() if v})
        context["form_errors"] = error.messages
        return render(request, "imports/detail.html", context, status=422)
    if action == "import":
        messages.info(request, _("The import has started; this page shows how far it got."))
    return redirect("imports:detail", uuid=job.uuid)


@login_required
def progress(request: HttpRequest, uuid: str) -> HttpResponse:
    """The status panel alone, polled by htmx while the job runs."""
    job = _load(_user(request), uuid)
    return render(request, "imports/_status.html", {"job": job, "progress": current_progress(job)})


@login_required
def errors(request: HttpRequest, uuid: str) -> HttpResponse:
    viewer = _user(request)
    job = _load(viewer, uuid)
    record_event(actor=viewer, verb="import.errors_downloaded", target=job)
    return errors_response(job)
