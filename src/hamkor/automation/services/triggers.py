"""Which occurrences start a rule: recorded events that fit its trigger, and due dates.

Time triggers are checked by a periodic task. They look at each contact's own time zone,
fire only from the rule's hour (08:00-19:00 local) until 20:00, and are keyed so a date
fires once per contact per year and "no interaction" once per quiet stretch.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from hamkor.automation.models import Rule, Trigger
from hamkor.automation.services.actions import Occurrence
from hamkor.automation.services.spec import LATEST_HOUR, RECORDS
from hamkor.contacts.models import Contact, ImportantDate
from hamkor.core.models import AuditEvent


def load_target(event: AuditEvent) -> models.Model | None:
    """The record an event is about, if it still exists."""
    try:
        model = apps.get_model(event.target_type)
    except (LookupError, ValueError):
        return None
    target: models.Model | None = model._default_manager.filter(pk=event.target_id).first()
    return target


def event_fits(rule: Rule, event: AuditEvent, target: models.Model) -> bool:
    """Whether a recorded event is what the rule's trigger waits for (settings included)."""
    if event.verb != rule.verb:
        return False
    params: dict[str, Any] = rule.trigger_params or {}
    data: dict[str, Any] = event.data or {}
    trigger = rule.trigger
    watched = RECORDS.get(params.get("record", ""))
    if trigger in (Trigger.RECORD_CREATED, Trigger.FIELD_CHANGED) and (
        target._meta.label_lower != watched
    ):
        return False
    if trigger == Trigger.FIELD_CHANGED:
        change = (data.get("changed") or {}).get(params["field"])
        if not change:
            return False
        return "to" not in params or str(change[1]).casefold() == str(params["to"]).casefold()
    if trigger == Trigger.DEAL_STAGE_CHANGED:
        if "to_stage" in params and str(data.get("to")) != str(params["to_stage"]):
            return False
        return "outcome" not in params or data.get("status") == params["outcome"]
    if trigger == Trigger.ORDER_PAID:
        return data.get("to") == "paid"
    if trigger == Trigger.TICKET_STATUS_CHANGED:
        return "status" not in params or data.get("to") == params["status"]
    if trigger == Trigger.INTERACTION_LOGGED:
        return _interaction_fits(params, target)
    return True


def _interaction_fits(params: dict[str, Any], interaction: Any) -> bool:
    channel = params.get("channel")
    if channel and interaction.channel != channel:
        return False
    if params.get("first_of_channel"):
        if interaction.contact_id is None:
            return False
        earlier = (
            type(interaction)
            ._default_manager.filter(contact_id=interaction.contact_id, channel=interaction.channel)
            .exclude(pk=interaction.pk)
        )
        earlier = earlier.filter(
            Q(occurred_at__lt=interaction.occurred_at)
            | Q(occurred_at=interaction.occurred_at, pk__lt=interaction.pk)
        )
        return not earlier.exists()
    return True


def event_occurrence(rule: Rule, event: AuditEvent) -> Occurrence | None:
    """The occurrence to run for a recorded event, or None when it does not fit the rule."""
    target = load_target(event)
    if target is None or not event_fits(rule, event, target):
        return None
    return Occurrence(
        key=f"event:{event.pk}",
        target=target,
        verb=event.verb,
        event_id=event.pk,
        data=event.data,
    )


def _zone(contact: Contact) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(contact.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _polite_now(contact: Contact, now: datetime.datetime, hour: int) -> datetime.datetime | None:
    """The contact's local time if it is between ``hour`` and 20:00 there, else None."""
    local = now.astimezone(_zone(contact))
    return local if hour <= local.hour <= LATEST_HOUR else None


def _same_day(date: datetime.date, day: datetime.date) -> bool:
    if (date.month, date.day) == (day.month, day.day):
        return True
    # A 29 February date is kept on 28 February in other years.
    leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
    return (date.month, date.day) == (2, 29) and (day.month, day.day) == (2, 28) and not leap


def _month_days(now: datetime.datetime, days_before: int) -> Q:
    """Dates whose month/day is near today everywhere on Earth (filtered exactly later)."""
    query = Q()
    for offset in (-1, 0, 1, 2):
        day = (now + datetime.timedelta(days=days_before + offset)).date()
        query |= Q(month=day.month, day=day.day)
    return query | Q(month=2, day=29)


def date_occurrences(rule: Rule, now: datetime.datetime) -> Iterator[Occurrence]:
    """Contacts whose birthday or important date is ``days_before`` days from their today."""
    params = rule.trigger_params
    kind, days_before, hour = params["date"], int(params.get("days_before", 0)), params["hour"]
    if kind == "birthday":
        contacts = (
            Contact.objects.filter(archived_at__isnull=True, birthday__isnull=False)
            .annotate(month=models.F("birthday__month"), day=models.F("birthday__day"))
            .filter(_month_days(now, days_before))
            .order_by("pk")
        )
        for contact in contacts.iterator(chunk_size=500):
            local = _polite_now(contact, now, hour)
            if local is None or contact.birthday is None:
                continue
            day = local.date() + datetime.timedelta(days=days_before)
            if _same_day(contact.birthday, day):
                yield Occurrence(key=f"birthday:{contact.pk}:{day.year}", target=contact)
        return
    dates = (
        ImportantDate.objects.filter(kind=kind, contact__archived_at__isnull=True)
        .annotate(month=models.F("date__month"), day=models.F("date__day"))
        .filter(_month_days(now, days_before))
        .select_related("contact")
        .order_by("pk")
    )
    for important in dates.iterator(chunk_size=500):
        local = _polite_now(important.contact, now, hour)
        if local is None:
            continue
        day = local.date() + datetime.timedelta(days=days_before)
        if _same_day(important.date, day):
            yield Occurrence(
                key=f"{kind}:{important.pk}:{day.year}",
                target=important.contact,
                data={"date": important.date.isoformat(), "label": important.label},
            )


def idle_occurrences(rule: Rule, now: datetime.datetime) -> Iterator[Occurrence]:
    """Contacts nobody has talked to for the rule's number of days (once per quiet stretch)."""
    days, hour = int(rule.trigger_params["days"]), rule.trigger_params["hour"]
    cutoff = now - datetime.timedelta(days=days)
    contacts = (
        Contact.objects.filter(archived_at__isnull=True)
        .annotate(last_touch=Max("interactions__occurred_at"))
        .filter(Q(last_touch__lt=cutoff) | Q(last_touch__isnull=True, created_at__lt=cutoff))
        .order_by("pk")
    )
    for contact in contacts.iterator(chunk_size=500):
        if _polite_now(contact, now, hour) is None:
            continue
        since = getattr(contact, "last_touch", None) or contact.created_at
        yield Occurrence(
            key=f"idle:{contact.pk}:{since.date().isoformat()}",
            target=contact,
            data={"last_interaction": since.isoformat()},
        )


def overdue_occurrences(rule: Rule, now: datetime.datetime) -> Iterator[Occurrence]:
    """Open activities past their due time by the rule's hours (again if rescheduled)."""
    from hamkor.accounts.models import User
    from hamkor.activities.selectors.activities import list_overdue

    grace = datetime.timedelta(hours=int(rule.trigger_params.get("hours", 0)))
    everyone = User(is_superuser=True)
    overdue = list_overdue(viewer=everyone).filter(due_at__lt=now - grace)
    for activity in overdue.iterator(chunk_size=500):
        yield Occurrence(
            key=f"overdue:{activity.pk}:{activity.due_at.isoformat()}",
            target=activity,
            verb="activity.overdue",
        )


def time_occurrences(rule: Rule, now: datetime.datetime | None = None) -> Iterator[Occurrence]:
    """Everything a time-triggered rule should act on now."""
    now = now or timezone.now()
    if rule.trigger == Trigger.DATE_REACHED:
        yield from date_occurrences(rule, now)
    elif rule.trigger == Trigger.NO_INTERACTION:
        yield from idle_occurrences(rule, now)
    elif rule.trigger == Trigger.ACTIVITY_OVERDUE:
        yield from overdue_occurrences(rule, now)
