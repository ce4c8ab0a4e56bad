"""REST endpoints of consent: a contact's consent history and current state, and recording
consent. Anyone who may see the contact may read and record; others get 404."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from hamkor.consent.models import ConsentRecord
from hamkor.consent.schemas import ConsentRecordIn, ConsentRecordOut, ConsentStateOut
from hamkor.consent.selectors import (
    ConsentStatus,
    get_consent_state,
    get_visible_contact,
    list_consent_records,
)
from hamkor.consent.services import record_staff_consent
from hamkor.contacts.api import viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, Id

router = Router(tags=["consent"])


@router.get(
    "/contacts/{contact_id}/records",
    response={200: list[ConsentRecordOut], **READ_ERRORS},
    summary="A contact's consent history",
    description="Every consent given or withdrawn, newest first.",
)
def records_view(request: HttpRequest, contact_id: Id) -> list[ConsentRecord]:
    contact = get_visible_contact(viewer=viewer_of(request), pk=contact_id)
    return list(list_consent_records(contact=contact))


@router.post(
    "/contacts/{contact_id}/records",
    response={201: ConsentRecordOut, **WRITE_ERRORS},
    summary="Record consent or its withdrawal",
    description="Appends to the history; the latest record per purpose and channel is "
    "what senders obey. A grant needs `text_shown`.",
)
def record_view(
    request: HttpRequest, contact_id: Id, payload: ConsentRecordIn
) -> Status[ConsentRecord]:
    actor = viewer_of(request)
    contact = get_visible_contact(viewer=actor, pk=contact_id)
    record = record_staff_consent(
        contact=contact,
        actor=actor,
        purpose=payload.purpose,
        channel=payload.channel,
        granted=payload.granted,
        method=payload.method,
        text_shown=payload.text_shown,
        note=payload.note,
        recorded_at=payload.recorded_at,
    )
    return Status(201, record)


@router.get(
    "/contacts/{contact_id}/state",
    response={200: list[ConsentStateOut], **READ_ERRORS},
    summary="A contact's current consent",
    description="One entry per purpose and channel; `granted` null means nothing on record.",
)
def state_view(request: HttpRequest, contact_id: Id) -> list[ConsentStatus]:
    contact = get_visible_contact(viewer=viewer_of(request), pk=contact_id)
    return list(get_consent_state(contact=contact).values())
