"""REST endpoints of hamkor.privacy: export or erase one person, the request log, the
retention dry run. Administrators only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hamkor.accounts.models import User
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from hamkor.privacy.models import PrivacyRequest
from hamkor.privacy.schemas import (
    PrivacyDryRunOut,
    PrivacyEraseIn,
    PrivacyRequestOut,
)
from hamkor.privacy.selectors import can_manage_privacy, get_request, get_subject, list_requests
from hamkor.privacy.services import (
    dry_run_policy,
    erase_contact,
    export_contact,
    export_path,
    get_policy,
)

router = Router(tags=["privacy"])

FORBIDDEN = {403: ErrorOut}
ZIP: dict[str, Any] = {
    "responses": {
        "200": {
            "description": "The export zip: person.json, data/<app>.<Model>.json, files/.",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_manage_privacy(user):
        raise HttpError(403, _("Only administrators can export or erase a person's data."))
    return user


def _out(request: PrivacyRequest) -> dict[str, Any]:
    path = export_path(request)
    return {
        "id": request.pk,
        "kind": request.kind,
        "contact_id": request.contact_id_value,
        "status": request.status,
        "requested_by": request.requested_by.username if request.requested_by else None,
        "requested_at": request.requested_at,
        "fulfilled_at": request.fulfilled_at,
        "note": request.note,
        "summary": request.summary,
        "download_url": (
            reverse("api:privacy_download", kwargs={"request_id": request.pk}) if path else None
        ),
    }


@router.get("/requests", response={200: list[PrivacyRequestOut], **READ_ERRORS, **FORBIDDEN})
def requests(request: HttpRequest, contact_id: int | None = None) -> list[dict[str, Any]]:
    """The log of export and erasure requests, newest first (100 at most)."""
    _admin(request)
    return [_out(item) for item in list_requests(contact_id=contact_id)[:100]]


@router.post(
    "/contacts/{contact_id}/export", response={201: PrivacyRequestOut, **WRITE_ERRORS, **FORBIDDEN}
)
def export(request: HttpRequest, contact_id: int, note: Query[str] = "") -> Status[dict[str, Any]]:
    """Write a zip of everything held about the contact; download it from ``download_url``.

    ``note``: who asked, and how (kept in the request log).
    """
    actor = _admin(request)
    contact = get_subject(pk=contact_id)
    return Status(201, _out(export_contact(contact=contact, actor=actor, note=note[:2000])))


@router.get(
    "/requests/{request_id}/download",
    response={**READ_ERRORS, **FORBIDDEN},
    url_name="privacy_download",
    openapi_extra=ZIP,
)
def download(request: HttpRequest, request_id: int) -> FileResponse:
    """The export zip of a request, while it is kept."""
    _admin(request)
    path = export_path(get_request(pk=request_id))
    if path is None:
        raise HttpError(404, _("This export is no longer kept; export again."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@router.post(
    "/contacts/{contact_id}/erase", response={200: PrivacyRequestOut, **WRITE_ERRORS, **FORBIDDEN}
)
def erase(request: HttpRequest, contact_id: int, payload: PrivacyEraseIn) -> dict[str, Any]:
    """Anonymize the contact everywhere; orders, invoices and counts stay. Cannot be undone."""
    actor = _admin(request)
    if not payload.confirm:
        raise ValidationError({"confirm": _("Send true to confirm: this cannot be undone.")})
    contact = get_subject(pk=contact_id)
    return _out(erase_contact(contact=contact, actor=actor, note=payload.note))


@router.post("/retention/dry-run", response={200: PrivacyDryRunOut, **WRITE_ERRORS, **FORBIDDEN})
def retention_dry_run(request: HttpRequest) -> dict[str, Any]:
    """What the retention policy would erase now (a new dry run needs a new review)."""
    actor = _admin(request)
    policy = get_policy()
    result = dry_run_policy(policy=policy, actor=actor)
    return {
        "policy": policy.kind,
        "months": policy.months,
        "matched": result.run.matched,
        "sample_ids": result.run.sample_ids,
    }
