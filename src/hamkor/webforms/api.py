"""REST API of web forms: the forms, and each form's submissions with their outcome."""

from __future__ import annotations

import datetime
import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from hamkor.accounts.models import User
from hamkor.contacts.schemas import READ_ERRORS, ErrorOut
from hamkor.webforms.models import Submission, SubmissionStatus, WebForm
from hamkor.webforms.selectors import can_manage_forms, get_form, list_forms, list_submissions

router = Router(tags=["webforms"])


class FieldOut(Schema):
    key: str
    required: bool


class WebFormOut(Schema):
    uuid: uuid.UUID
    name: str
    fields: list[FieldOut]
    consent_channels: list[str]
    thank_you_text: str
    redirect_url: str
    allowed_origins: list[str]
    owner_id: int
    source_id: int | None
    rate_limit: int
    is_active: bool
    submission_count: int
    pending_count: int
    failed_count: int

    @staticmethod
    def resolve_allowed_origins(obj: WebForm) -> list[str]:
        return obj.origins


class SubmissionOut(Schema):
    uuid: uuid.UUID
    status: SubmissionStatus
    data: dict[str, object]
    utm: dict[str, str]
    referrer: str
    consent: bool
    contact_id: int | None
    error: str
    created_at: datetime.datetime
    processed_at: datetime.datetime | None


class SubmissionFilters(Schema):
    status: SubmissionStatus | None = None
    limit: int = 50
    offset: int = 0


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_manage_forms(user):
        raise HttpError(403, _("Only managers and administrators see web forms."))
    return user


@router.get("/forms", response={200: list[WebFormOut], **READ_ERRORS, 403: ErrorOut})
def forms(request: HttpRequest) -> list[WebForm]:
    """Every web form with its submission counts."""
    return list(list_forms(viewer=_viewer(request)))


@router.get(
    "/forms/{form_uuid}/submissions",
    response={200: list[SubmissionOut], **READ_ERRORS, 403: ErrorOut},
)
def submissions(
    request: HttpRequest, form_uuid: uuid.UUID, filters: Query[SubmissionFilters]
) -> list[Submission]:
    """A form's submissions, newest first: which contact each went to, new or matched."""
    viewer = _viewer(request)
    if not 1 <= filters.limit <= 500 or filters.offset < 0:
        raise HttpError(422, _("limit must be 1-500 and offset 0 or more."))
    form = get_form(viewer=viewer, uuid=form_uuid)
    rows = list_submissions(viewer=viewer, form=form, status=filters.status or "")
    return list(rows[filters.offset : filters.offset + filters.limit])
