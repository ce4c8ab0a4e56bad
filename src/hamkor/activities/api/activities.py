"""REST API for activities: plan, list (a calendar range), change, complete, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.activities.models import Activity
from hamkor.activities.schemas import (
    ActivityCreateIn,
    ActivityFilterIn,
    ActivityListOut,
    ActivityOut,
    ActivityStatsOut,
    ActivityUpdateIn,
    CompleteIn,
    CompleteOut,
    StatsFilterIn,
)
from hamkor.activities.selectors.activities import ActivityFilters, get_activity, list_activities
from hamkor.activities.selectors.stats import get_activity_stats, last_week, week_of
from hamkor.activities.services.activities import (
    ACTIVITY_FIELDS,
    complete_activity,
    delete_activity,
    plan_activity,
    update_activity,
)
from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS
from hamkor.contacts.selectors import get_company, get_contact
from hamkor.core.paging import list_page
from hamkor.sales.selectors.deals import get_deal

router = Router(tags=["activities"])


def _owner(viewer: User, owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = list_assignable_users(viewer=viewer).filter(pk=owner_id).first()
    if owner is None:
        raise ValidationError(
            {"owner_id": _("There is no user with id %(id)s you may assign.") % {"id": owner_id}}
        )
    return owner


def _links(viewer: User, payload: ActivityCreateIn) -> dict[str, Any]:
    """Contact, company and deal by id; unknown or invisible ones are field errors."""
    getters: dict[str, Callable[..., Any]] = {
        "contact": get_contact,
        "company": get_company,
        "deal": get_deal,
    }
    links: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, getter in getters.items():
        pk = getattr(payload, f"{name}_id")
        if pk is None:
            continue
        try:
            links[name] = getter(viewer=viewer, pk=pk)
        except ObjectDoesNotExist:
            errors[f"{name}_id"] = _("There is no %(kind)s with id %(id)s that you can see.") % {
                "kind": name,
                "id": pk,
            }
    if errors:
        raise ValidationError(errors)
    return links


def _values(payload: ActivityCreateIn | ActivityUpdateIn) -> dict[str, Any]:
    sent = payload.dict(exclude_unset=True)
    return {name: sent[name] for name in ACTIVITY_FIELDS if name in sent}


@router.get(
    "/stats",
    response={200: ActivityStatsOut, **READ_ERRORS},
    summary="Activity statistics",
    description="Per user, for one Monday-to-Sunday week (last week by default) in your time "
    "zone: meetings held and how many succeeded, follow-ups done, to whom and when.",
)
def stats_view(request: HttpRequest, filters: Query[StatsFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    start, end = week_of(filters.week) if filters.week else last_week()
    stats = get_activity_stats(viewer=viewer_of(request), start=start, end=end)
    return {
        "start": stats.start,
        "end": stats.end,
        "meetings_held": stats.meetings_held,
        "meetings_successful": stats.meetings_successful,
        "follow_up_customers": stats.follow_up_customers,
        "users": [
            {
                "user": row.user,
                "meetings_held": row.meetings_held,
                "meetings_successful": row.meetings_successful,
                "follow_up_customers": row.follow_up_customers,
                "follow_ups": [
                    {
                        "activity_id": given.activity.pk,
                        "contact": given.activity.contact,
                        "done_at": given.done_at,
                        "hours_after": given.after.total_seconds() / 3600
                        if given.after is not None
                        else None,
                    }
                    for given in row.follow_ups
                ],
            }
            for row in stats.users
        ],
    }


@router.get(
    "",
    response={200: ActivityListOut, **READ_ERRORS},
    summary="List activities",
    description="Activities you may see, earliest due first; start/end select a calendar range.",
)
def list_activities_view(request: HttpRequest, filters: Query[ActivityFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    activities = list_activities(
        viewer=viewer_of(request),
        filters=ActivityFilters(
            owner_id=filters.owner_id,
            team_id=filters.team_id,
            contact_id=filters.contact_id,
            company_id=filters.company_id,
            deal_id=filters.deal_id,
            kind=filters.kind,
            start=filters.start,
            end=filters.end,
            open_only=filters.open,
        ),
    )
    return list_page(activities, offset=filters.offset, limit=filters.limit)


@router.post(
    "",
    response={201: ActivityOut, **WRITE_ERRORS},
    summary="Plan an activity",
    description="A call, meeting, task or follow-up in the owner's calendar (yours by default).",
)
def create_activity_view(request: HttpRequest, payload: ActivityCreateIn) -> Status[Activity]:
    viewer = viewer_of(request)
    activity = plan_activity(
        actor=viewer,
        values=_values(payload),
        owner=_owner(viewer, payload.owner_id),
        **_links(viewer, payload),
    )
    return Status(201, get_activity(viewer=viewer, pk=activity.pk))


@router.get("/{activity_id}", response={200: ActivityOut, **READ_ERRORS})
def get_activity_view(request: HttpRequest, activity_id: int) -> Activity:
    return get_activity(viewer=viewer_of(request), pk=activity_id)


@router.patch(
    "/{activity_id}",
    response={200: ActivityOut, **WRITE_ERRORS},
    summary="Change an activity",
    description="Only the fields sent change.",
)
def update_activity_view(
    request: HttpRequest, activity_id: int, payload: ActivityUpdateIn
) -> Activity:
    viewer = viewer_of(request)
    activity = get_activity(viewer=viewer, pk=activity_id)
    update_activity(
        activity=activity,
        actor=viewer,
        values=_values(payload),
        owner=_owner(viewer, payload.owner_id),
    )
    return get_activity(viewer=viewer, pk=activity.pk)


@router.post(
    "/{activity_id}/complete",
    response={200: CompleteOut, **WRITE_ERRORS},
    summary="Complete an activity",
    description="Records the outcome and plans the follow-up, if sent, in the same transaction.",
)
def complete_activity_view(
    request: HttpRequest, activity_id: int, payload: CompleteIn
) -> dict[str, Any]:
    viewer = viewer_of(request)
    activity = get_activity(viewer=viewer, pk=activity_id)
    follow_up = payload.follow_up.dict(exclude_unset=True) if payload.follow_up else None
    if follow_up is not None:
        follow_up.setdefault("kind", payload.follow_up.kind if payload.follow_up else "follow_up")
    done, created = complete_activity(
        activity=activity,
        actor=viewer,
        outcome=payload.outcome,
        note=payload.note or "",
        follow_up=follow_up,
    )
    return {
        "activity": get_activity(viewer=viewer, pk=done.pk),
        "follow_up": get_activity(viewer=viewer, pk=created.pk) if created else None,
    }


@router.delete(
    "/{activity_id}",
    response={204: None, **READ_ERRORS},
    summary="Delete an activity",
    description="Removes an activity planned by mistake; the audit trail keeps what it was.",
)
def delete_activity_view(request: HttpRequest, activity_id: int) -> Status[None]:
    viewer = viewer_of(request)
    delete_activity(activity=get_activity(viewer=viewer, pk=activity_id), actor=viewer)
    return Status(204, None)
