"""Writes for planned activities: plan, change, complete (with the follow-up), delete."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.activities.models import Activity, ActivityKind, ActivityOutcome
from hamkor.contacts.models import Company, Contact
from hamkor.core.audit import record_event
from hamkor.core.locking import lock_rows

ACTIVITY_FIELDS = (
    "kind",
    "subject",
    "due_at",
    "duration_minutes",
    "location",
    "note",
    "remind_minutes_before",
)
# Called with the saved activity inside the writing transaction; the reminders module
# registers itself here so plan/update/complete keep the reminder in step without this
# module importing it (and without signals).
_after_save: list[Callable[[Activity], None]] = []


def on_activity_saved(hook: Callable[[Activity], None]) -> None:
    """Run ``hook(activity)`` after every write of an activity, in the same transaction."""
    if hook not in _after_save:
        _after_save.append(hook)


def _saved(activity: Activity) -> None:
    for hook in _after_save:
        hook(activity)


def _check(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    values = dict(values)
    due_at = values.get("due_at")
    if isinstance(due_at, datetime.datetime) and timezone.is_naive(due_at):
        values["due_at"] = timezone.make_aware(due_at)
    return values


def _links(
    *, contact: Contact | None, company: Company | None, deal: Any | None
) -> tuple[Contact | None, Company | None]:
    """Fill the contact and company from the deal, and the company from the contact."""
    if deal is not None:
        contact = contact or deal.contact
        company = company or deal.company
    if company is None and contact is not None and contact.company_id:
        company = contact.company
    return contact, company


@transaction.atomic
def plan_activity(
    *,
    actor: User,
    values: dict[str, Any],
    owner: User | None = None,
    contact: Contact | None = None,
    company: Company | None = None,
    deal: Any | None = None,
    follow_up_of: Activity | None = None,
) -> Activity:
    """Put a call, meeting, task or follow-up in the owner's calendar (the actor's by default).

    The caller has fetched contact, company and deal through selectors, so they are visible.
    """
    values = _check(values)
    owner = owner or actor
    contact, company = _links(contact=contact, company=company, deal=deal)
    activity = Activity(
        owner=owner,
        team_id=owner.team_id,
        contact=contact,
        company=company,
        deal=deal,
        follow_up_of=follow_up_of,
        created_by=actor,
        **values,
    )
    activity.full_clean()
    activity.save()
    _saved(activity)
    record_event(actor=actor, verb="activity.created", target=activity)
    return activity


@transaction.atomic
def update_activity(
    *, activity: Activity, actor: User, values: dict[str, Any], owner: User | None = None
) -> Activity:
    """Change an activity's time, place or wording, or hand it to another owner."""
    values = _check(values)
    activity = lock_rows(Activity, activity.pk)[activity.pk]
    for name, value in values.items():
        setattr(activity, name, value)
    if owner is not None:
        activity.owner = owner
        activity.team_id = owner.team_id
    activity.full_clean()
    activity.save()
    _saved(activity)
    record_event(
        actor=actor,
        verb="activity.updated",
        target=activity,
        data={"fields": sorted(values) + (["owner"] if owner is not None else [])},
    )
    return activity


@transaction.atomic
def complete_activity(
    *,
    activity: Activity,
    actor: User,
    outcome: str,
    note: str = "",
    done_at: datetime.datetime | None = None,
    follow_up: dict[str, Any] | None = None,
) -> tuple[Activity, Activity | None]:
    """Record the outcome of an activity and, in the same transaction, plan its follow-up.

    Either both are saved or neither: an invalid follow-up leaves the activity open.
    """
    activity = lock_rows(Activity, activity.pk)[activity.pk]
    if activity.done_at is not None:
        raise ValidationError(_("This activity is already done."))
    if outcome not in ActivityOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome == ActivityOutcome.RESCHEDULED and not follow_up:
        raise ValidationError(
            {"follow_up": _("A rescheduled activity needs the new time: plan the follow-up.")}
        )
    activity.outcome = outcome
    activity.done_at = done_at or timezone.now()
    if note:
        activity.note = f"{activity.note}\n\n{note}".strip() if activity.note else note
    activity.full_clean()
    activity.save()
    _saved(activity)
    record_event(actor=actor, verb="activity.completed", target=activity, data={"outcome": outcome})
    created = None
    if follow_up:
        values = {"kind": ActivityKind.FOLLOW_UP, "subject": activity.subject, **follow_up}
        try:
            created = plan_activity(
                actor=actor,
                values=values,
                owner=activity.owner or actor,
                contact=activity.contact,
                company=activity.company,
                deal=activity.deal,
                follow_up_of=activity,
            )
        except ValidationError as error:
            # Name the follow-up's fields as the form does, so errors land beside them.
            if hasattr(error, "error_dict"):
                raise ValidationError(
                    {f"follow_up_{key}": messages for key, messages in error.message_dict.items()}
                ) from None
            raise
    return activity, created


@transaction.atomic
def delete_activity(*, activity: Activity, actor: User) -> None:
    """Remove an activity planned by mistake; the audit trail keeps what it was."""
    record_event(
        actor=actor,
        verb="activity.deleted",
        target=activity,
        data={"subject": activity.subject, "kind": activity.kind},
    )
    activity.delete()
