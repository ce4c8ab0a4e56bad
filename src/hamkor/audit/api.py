"""REST endpoints of hamkor.audit: searching the audit log (administrators only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from hamkor.accounts.models import User
from hamkor.audit.schemas import AuditEventListOut, AuditFilterIn
from hamkor.audit.selectors import AuditFilters, can_search_audit, search_events
from hamkor.contacts.api import read_query
from hamkor.contacts.schemas import READ_ERRORS, ErrorOut
from hamkor.core.paging import cursor_page

router = Router(tags=["audit"])


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_search_audit(user):
        raise HttpError(403, _("Only administrators can read the audit log."))
    return user


@router.get(
    "/events",
    response={200: AuditEventListOut, **READ_ERRORS, 403: ErrorOut},
    summary="Search the audit log",
    description="Who did what, when and from where, newest first. Administrators only.",
)
def list_events(request: HttpRequest, filters: Query[AuditFilterIn]) -> dict[str, Any]:
    viewer = _viewer(request)
    read_query(request, filters)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError({"date_to": _("The end date is before the start date.")})
    events = search_events(
        viewer=viewer,
        filters=AuditFilters(
            actor=filters.actor,
            verb=filters.verb,
            target_type=filters.target_type,
            target_id=filters.target_id,
            ip=filters.ip,
            date_from=filters.date_from,
            date_to=filters.date_to,
            text=filters.q,
        ),
    )
    return cursor_page(events, limit=filters.limit, offset=filters.offset, after=filters.after)
