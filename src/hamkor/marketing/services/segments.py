"""Saving, freezing and deleting segments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.core.audit import record_event
from hamkor.marketing.models import Segment, SegmentKind, SegmentMember
from hamkor.marketing.rules import clean_rules

FREEZE_BATCH = 2000


@dataclass(frozen=True)
class SegmentInput:
    name: str
    description: str = ""
    rules: Any = None


def _apply(segment: Segment, values: SegmentInput) -> None:
    segment.name = values.name.strip()
    segment.description = values.description.strip()
    segment.rules = clean_rules(values.rules)
    if not segment.name:
        raise ValidationError({"name": _("Give the segment a name.")})
    segment.full_clean()


@transaction.atomic
def create_segment(*, actor: User, values: SegmentInput) -> Segment:
    """A new dynamic segment."""
    segment = Segment(created_by=actor, kind=SegmentKind.DYNAMIC)
    _apply(segment, values)
    segment.save()
    record_event(actor=actor, verb="marketing.segment_created", target=segment)
    return segment


@transaction.atomic
def update_segment(*, segment: Segment, actor: User, values: SegmentInput) -> Segment:
    """Change a segment's name and rules; a frozen list keeps its members."""
    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    _apply(segment, values)
    segment.save()
    record_event(actor=actor, verb="marketing.segment_updated", target=segment)
    return segment


@transaction.atomic
def freeze_segment(*, segment: Segment, actor: User) -> Segment:
    """Save the contacts matching the rules now as the segment's fixed member list.

    Freezing again replaces the list. Every active contact matching the rules is saved, not
    only those the actor sees: a frozen list is the segment's, viewers still see their part.
    """
    from hamkor.marketing.selectors import matching_contacts

    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    SegmentMember.objects.filter(segment=segment).delete()
    ids = matching_contacts(rules=segment.rules).order_by("pk").values_list("pk", flat=True)
    batch: list[SegmentMember] = []
    for pk in ids.iterator(chunk_size=FREEZE_BATCH):
        batch.append(SegmentMember(segment=segment, contact_id=pk))
        if len(batch) >= FREEZE_BATCH:
            SegmentMember.objects.bulk_create(batch)
            batch = []
    SegmentMember.objects.bulk_create(batch)
    segment.kind = SegmentKind.FROZEN
    segment.frozen_at = timezone.now()
    segment.save(update_fields=["kind", "frozen_at", "updated_at"])
    record_event(
        actor=actor,
        verb="marketing.segment_frozen",
        target=segment,
        data={"members": SegmentMember.objects.filter(segment=segment).count()},
    )
    return segment


@transaction.atomic
def unfreeze_segment(*, segment: Segment, actor: User) -> Segment:
    """Make a frozen segment dynamic again (its saved list is dropped)."""
    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    SegmentMember.objects.filter(segment=segment).delete()
    segment.kind = SegmentKind.DYNAMIC
    segment.frozen_at = None
    segment.save(update_fields=["kind", "frozen_at", "updated_at"])
    record_event(actor=actor, verb="marketing.segment_unfrozen", target=segment)
    return segment


@transaction.atomic
def delete_segment(*, segment: Segment, actor: User) -> None:
    """Delete a segment that no bulk message was sent to (those keep it for the record)."""
    if segment.sends.exists():
        raise ValidationError(_("Messages were sent to this segment; it is kept for the record."))
    record_event(
        actor=actor, verb="marketing.segment_deleted", target=segment, data={"name": segment.name}
    )
    segment.delete()
