"""REST API for interactions: the visits, calls and messages on a customer's timeline."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hamkor.accounts.models import User
from hamkor.activities.models import Interaction
from hamkor.activities.schemas import (
    InteractionCreateIn,
    InteractionFilterIn,
    InteractionListOut,
    InteractionOut,
    InteractionUpdateIn,
)
from hamkor.activities.selectors import get_interaction, list_interactions
from hamkor.activities.services import delete_interaction, log_interaction, update_interaction
from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS
from hamkor.contacts.selectors import get_company, get_contact
from hamkor.core.paging import list_page

router = Router(tags=["interactions"])

# Fields the services take as they come.
INTERACTION_VALUES = ("channel", "direction", "subject", "body", "outcome", "occurred_at")


def _customer(viewer: User, payload: InteractionCreateIn) -> tuple[Contact | None, Company | None]:
    """The contact and company an interaction is about; unknown or invisible ones are errors."""
    errors: dict[str, str] = {}
    contact = company = None
    if payload.contact_id is not None:
        try:
            contact = get_contact(viewer=viewer, pk=payload.contact_id)
        except ObjectDoesNotExist:
            errors["contact_id"] = _("There is no contact with id %(id)s that you can see.") % {
                "id": payload.contact_id
            }
    if payload.company_id is not None:
        try:
            company = get_company(viewer=viewer, pk=payload.company_id)
        except ObjectDoesNotExist:
            errors["company_id"] = _("There is no company with id %(id)s that you can see.") % {
                "id": payload.company_id
            }
    if errors:
        raise ValidationError(errors)
    return contact, company


def _values(payload: InteractionCreateIn | InteractionUpdateIn) -> dict[str, Any]:
    sent = payload.dict(exclude_unset=True)
    return {name: sent[name] for name in INTERACTION_VALUES if name in sent}


@router.get(
    "",
    response={200: InteractionListOut, **READ_ERRORS},
    summary="List interactions",
    description="Interactions with customers you may see, newest first.",
)
def list_interactions_view(
    request: HttpRequest, filters: Query[InteractionFilterIn]
) -> dict[str, Any]:
    read_query(request, filters)
    interactions = list_interactions(
        viewer=viewer_of(request),
        contact_id=filters.contact_id,
        company_id=filters.company_id,
        channel=filters.channel,
    )
    return list_page(interactions, offset=filters.offset, limit=filters.limit)


@router.post(
    "",
    response={201: InteractionOut, **WRITE_ERRORS},
    summary="Log an interaction",
    description="Puts a visit, call, letter or message on the customer's timeline.",
)
def create_interaction_view(
    request: HttpRequest, payload: InteractionCreateIn
) -> Status[Interaction]:
    viewer = viewer_of(request)
    contact, company = _customer(viewer, payload)
    interaction = log_interaction(
        actor=viewer, contact=contact, company=company, values=_values(payload)
    )
    return Status(201, get_interaction(viewer=viewer, pk=interaction.pk))


@router.get("/{interaction_id}", response={200: InteractionOut, **READ_ERRORS})
def get_interaction_view(request: HttpRequest, interaction_id: int) -> Interaction:
    return get_interaction(viewer=viewer_of(request), pk=interaction_id)


@router.patch(
    "/{interaction_id}",
    response={200: InteractionOut, **WRITE_ERRORS},
    summary="Correct an interaction",
    description="Only the fields sent change.",
)
def update_interaction_view(
    request: HttpRequest, interaction_id: int, payload: InteractionUpdateIn
) -> Interaction:
    viewer = viewer_of(request)
    interaction = get_interaction(viewer=viewer, pk=interaction_id)
    update_interaction(interaction=interaction, actor=viewer, values=_values(payload))
    return get_interaction(viewer=viewer, pk=interaction.pk)


@router.delete(
    "/{interaction_id}",
    response={204: None, **READ_ERRORS},
    summary="Delete an interaction",
    description="Removes an interaction logged by mistake; the audit trail keeps what it said.",
)
def delete_interaction_view(request: HttpRequest, interaction_id: int) -> Status[None]:
    viewer = viewer_of(request)
    delete_interaction(interaction=get_interaction(viewer=viewer, pk=interaction_id), actor=viewer)
    return Status(204, None)
