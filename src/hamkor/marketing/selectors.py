"""Reads for marketing: segments and their members, campaigns, sends, the effectiveness report."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact, Source
from hamkor.contacts.selectors import visible
from hamkor.core.currency import base_currency, convert, round_money
from hamkor.core.paging import count_up_to
from hamkor.marketing.models import (
    Attribution,
    BulkSend,
    Campaign,
    Segment,
    SegmentKind,
    SegmentMember,
)
from hamkor.marketing.rules import compile_rules
from hamkor.messaging.models import OutboundMessage
from hamkor.sales.models import Order
from hamkor.sales.selectors.insight import COUNTED_STATUSES

# The live count while a segment is edited stops here and says "more than …": an exact
# count reads every match (a second at a million contacts); saving shows the exact number.
EDIT_COUNT_CAP = 100_000


def can_manage_marketing(user: User) -> bool:
    """Campaigns, bulk messages and the effectiveness report: managers and administrators."""
    return bool(user.is_active and user.sees_everything)


# --- segments -------------------------------------------------------------------------------


def list_segments() -> QuerySet[Segment]:
    """Every segment (segments are shared; their members are scoped to the viewer)."""
    return Segment.objects.select_related("created_by").order_by("name", "id")


def get_segment(*, pk: int) -> Segment:
    """One segment; Segment.DoesNotExist otherwise."""
    return Segment.objects.select_related("created_by").get(pk=pk)


def matching_contacts(*, rules: dict[str, Any], semi_joins: bool = True) -> QuerySet[Contact]:
    """Active contacts matching a cleaned rule set, not scoped (for freezing and sending)."""
    return Contact.objects.filter(archived_at__isnull=True).filter(
        compile_rules(rules, semi_joins=semi_joins)
    )


def _semi_joins(viewer: User) -> bool:
    # SQLite keeps no statistics on a subquery's size: given "pk IN (…)" it walks the rule's
    # whole id list and looks each contact up, even when the viewer sees one team through
    # the visibility index. Probing just the visible contacts is 2-3x faster there.
    return viewer.sees_everything or connection.vendor != "sqlite"


def _visible_matches(viewer: User, rules: dict[str, Any]) -> QuerySet[Contact]:
    matches = matching_contacts(rules=rules, semi_joins=_semi_joins(viewer))
    return visible(matches, viewer).order_by()


def segment_contacts(*, segment: Segment, semi_joins: bool = True) -> QuerySet[Contact]:
    """The segment's members, not scoped: the frozen list, or the rules evaluated now."""
    if segment.kind == SegmentKind.FROZEN:
        members = SegmentMember.objects.filter(segment=segment, contact_id=OuterRef("pk"))
        return Contact.objects.filter(Exists(members), archived_at__isnull=True)
    return matching_contacts(rules=segment.rules, semi_joins=semi_joins)


def _visible_members(viewer: User, segment: Segment) -> QuerySet[Contact]:
    members = segment_contacts(segment=segment, semi_joins=_semi_joins(viewer))
    return visible(members, viewer).order_by()


def list_segment_members(*, viewer: User, segment: Segment) -> QuerySet[Contact]:
    """Members the viewer may see, by name."""
    return _visible_members(viewer, segment).order_by("last_name", "first_name", "id")


def count_matching(*, viewer: User, rules: dict[str, Any]) -> int:
    """How many contacts the viewer may see match the rules, exactly."""
    return _visible_matches(viewer, rules).count()


def count_matching_up_to(
    *, viewer: User, rules: dict[str, Any], cap: int | None = None
) -> tuple[int, bool]:
    """Like count_matching, but stops past ``cap`` (default EDIT_COUNT_CAP): (n, capped).

    The live count while editing.
    """
    limit = EDIT_COUNT_CAP if cap is None else cap
    return count_up_to(_visible_matches(viewer, rules), cap=limit)


def count_segment_members(*, viewer: User, segment: Segment) -> int:
    """How many of the segment's members the viewer may see."""
    return _visible_members(viewer, segment).count()


def count_segment_members_up_to(*, viewer: User, segment: Segment) -> tuple[int, bool]:
    """Like count_segment_members, but stops at core.paging.COUNT_CAP: (n, capped)."""
    return count_up_to(_visible_members(viewer, segment))


# --- campaigns ------------------------------------------------------------------------------


def list_campaigns() -> QuerySet[Campaign]:
    """All campaigns, newest first."""
    return Campaign.objects.select_related("source").order_by("-starts_on", "name", "id")


def get_campaign(*, pk: int) -> Campaign:
    """One campaign; Campaign.DoesNotExist otherwise."""
    return Campaign.objects.select_related("source").get(pk=pk)


def find_campaign_by_code(code: str) -> Campaign | None:
    """The campaign whose UTM code is ``code`` (any case), or None."""
    code = code.strip().lower()
    if not code:
        return None
    return Campaign.objects.filter(utm_campaign=code).first()


def get_attribution(*, contact: Contact) -> Attribution | None:
    """The contact's attribution with its campaign, or None."""
    return (
        Attribution.objects.select_related("campaign", "attributed_by")
        .filter(contact=contact)
        .first()
    )


# --- bulk sends -----------------------------------------------------------------------------


def list_sends() -> QuerySet[BulkSend]:
    """Bulk sends, newest first."""
    return BulkSend.objects.select_related("segment", "created_by").order_by("-created_at", "-id")


def get_send(*, pk: int) -> BulkSend:
    """One bulk send; BulkSend.DoesNotExist otherwise."""
    return BulkSend.objects.select_related("segment", "created_by").get(pk=pk)


def count_send_messages(*, send: BulkSend) -> dict[str, int]:
    """The send's outbox messages by status (queued, waiting, sent, blocked, ...)."""
    rows = (
        OutboundMessage.objects.filter(idempotency_key__startswith=send.key_prefix)
        .values("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    return {row["status"]: row["n"] for row in rows}


# --- effectiveness --------------------------------------------------------------------------


@dataclass
class EffectivenessRow:
    """One source or campaign in the report; money in the base currency."""

    kind: str  # "campaign" or "source"
    id: int | None
    name: str
    new_contacts: int = 0
    customers: int = 0
    revenue: Decimal = Decimal("0")
    cost: Decimal | None = None
    # Contacts of the row (not in the output): new ones in the window.
    contact_ids: set[int] = field(default_factory=set, repr=False)

    @property
    def cost_per_customer(self) -> Decimal | None:
        if self.cost is None or not self.customers:
            return None
        return round_money(self.cost / self.customers, base_currency())

    @property
    def roi(self) -> Decimal | None:
        """(revenue − cost) / cost, or None when there is no cost to divide by."""
        if not self.cost:
            return None
        return ((self.revenue - self.cost) / self.cost).quantize(Decimal("0.0001"))


@dataclass
class EffectivenessReport:
    start: datetime.date
    end: datetime.date
    currency: str
    campaigns: list[EffectivenessRow]
    sources: list[EffectivenessRow]


def _window(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time(), zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone),
    )


def _rank(rows: list[EffectivenessRow]) -> list[EffectivenessRow]:
    # ROI first (rows without one after those with), then revenue, then name.
    return sorted(
        rows,
        key=lambda r: (r.roi is None, -(r.roi or Decimal(0)), -r.revenue, r.name, r.id or 0),
    )


def _campaign_cost(campaign: Campaign) -> Decimal:
    return convert(campaign.cost, campaign.currency, on=campaign.starts_on)


def get_effectiveness(*, start: datetime.date, end: datetime.date) -> EffectivenessReport:
    """Per campaign and per source: contacts new in the window, how many bought, their revenue
    in the window, cost, cost per customer and ROI, all in the base currency.

    Campaign cost counts when the campaign ran in the window (started on or before its end
    and had not ended before its start), converted at the start date; revenue is each
    counted order of the row's new contacts, converted at the order date. Sources carry the
    cost of the campaigns linked to them. Raises MissingRateError when a rate is missing.
    """
    since, until = _window(start, end)
    new = Contact.objects.filter(created_at__gte=since, created_at__lt=until, merged_into=None)
    campaign_rows: dict[int, EffectivenessRow] = {}
    source_rows: dict[int | None, EffectivenessRow] = {}
    campaigns = {
        c.pk: c
        for c in Campaign.objects.filter(starts_on__lte=end).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=start)
        )
    }
    for campaign in campaigns.values():
        campaign_rows[campaign.pk] = EffectivenessRow(
            kind="campaign", id=campaign.pk, name=campaign.name, cost=_campaign_cost(campaign)
        )
    sources = {s.pk: s.name for s in Source.objects.all()}
    for pk, source_id, campaign_id, campaign_name in new.values_list(
        "pk", "source_id", "attribution__campaign_id", "attribution__campaign__name"
    ).order_by("pk"):
        if source_id is not None:
            row = source_rows.setdefault(
                source_id, EffectivenessRow(kind="source", id=source_id, name=sources[source_id])
            )
            row.contact_ids.add(pk)
        if campaign_id is not None:
            crow = campaign_rows.get(campaign_id)
            if crow is None:
                crow = EffectivenessRow(
                    kind="campaign", id=campaign_id, name=campaign_name, cost=Decimal("0")
                )
                campaign_rows[campaign_id] = crow
            crow.contact_ids.add(pk)
    for campaign in campaigns.values():
        if campaign.source_id is not None and campaign.source_id in sources:
            row = source_rows.setdefault(
                campaign.source_id,
                EffectivenessRow(
                    kind="source", id=campaign.source_id, name=sources[campaign.source_id]
                ),
            )
            row.cost = (row.cost or Decimal("0")) + (campaign_rows[campaign.pk].cost or 0)
    _add_revenue([*campaign_rows.values(), *source_rows.values()], since, until)
    return EffectivenessReport(
        start=start,
        end=end,
        currency=base_currency(),
        campaigns=_rank(list(campaign_rows.values())),
        sources=_rank(list(source_rows.values())),
    )


def _add_revenue(
    rows: list[EffectivenessRow], since: datetime.datetime, until: datetime.datetime
) -> None:
    owners: dict[int, list[EffectivenessRow]] = defaultdict(list)
    for row in rows:
        row.new_contacts = len(row.contact_ids)
        for pk in row.contact_ids:
            owners[pk].append(row)
    if not owners:
        return
    revenue: dict[int, Decimal] = defaultdict(Decimal)
    ids = list(owners)
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        orders = Order.objects.filter(
            contact_id__in=chunk,
            status__in=COUNTED_STATUSES,
            ordered_at__gte=since,
            ordered_at__lt=until,
        ).values_list("contact_id", "total", "currency", "ordered_at")
        for contact_id, total, currency, ordered_at in orders.order_by("id"):
            on = timezone.localdate(ordered_at)
            revenue[contact_id] += convert(total, currency, on=on)
    for contact_id, amount in revenue.items():
        for row in owners[contact_id]:
            row.customers += 1
            row.revenue += amount
