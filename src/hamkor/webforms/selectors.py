"""Reads of web forms and their submissions; staff reads are for managers and admins only."""

from __future__ import annotations

import time
import uuid as uuid_module

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.webforms.models import Submission, SubmissionStatus, WebForm


def can_manage_forms(user: User) -> bool:
    """Forms match posts among all contacts, so only those who see every contact run them."""
    return bool(user.is_authenticated and user.is_active and user.sees_everything)


def _require(viewer: User) -> None:
    if not can_manage_forms(viewer):
        raise PermissionDenied(_("Only managers and administrators see web forms."))


def list_forms(*, viewer: User) -> QuerySet[WebForm]:
    """Every form by name, with its submission counts by outcome."""
    _require(viewer)
    return (
        WebForm.objects.select_related("owner", "source")
        .annotate(
            submission_count=Count("submissions"),
            pending_count=Count(
                "submissions", filter=Q(submissions__status=SubmissionStatus.PENDING)
            ),
            failed_count=Count(
                "submissions", filter=Q(submissions__status=SubmissionStatus.FAILED)
            ),
        )
        .order_by("name", "id")
    )


def get_form(*, viewer: User, uuid: uuid_module.UUID | str) -> WebForm:
    """One form for staff; raises WebForm.DoesNotExist."""
    _require(viewer)
    return WebForm.objects.select_related("owner", "source", "created_by").get(uuid=uuid)


# Each web process keeps the forms it served for a few seconds: a burst of posts then costs
# no query for the form, and an edit (or switching a form off) reaches every process soon.
PUBLIC_FORM_TTL = 3.0
_public_forms: dict[str, tuple[float, WebForm]] = {}


def get_public_form(*, uuid: uuid_module.UUID | str) -> WebForm | None:
    """The active form a website posts to, or None (unknown or switched off)."""
    key = str(uuid)
    now = time.monotonic()
    cached = _public_forms.get(key)
    if cached is not None and now - cached[0] < PUBLIC_FORM_TTL:
        return cached[1]
    form = WebForm.objects.filter(uuid=key, is_active=True).first()
    if form is None:
        _public_forms.pop(key, None)
        return None
    if len(_public_forms) > 1000:
        _public_forms.clear()
    _public_forms[key] = (now, form)
    return form


def list_submissions(*, viewer: User, form: WebForm, status: str = "") -> QuerySet[Submission]:
    """A form's submissions, newest first, with the contact each went to."""
    _require(viewer)
    rows = Submission.objects.filter(form=form).select_related("contact")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")
