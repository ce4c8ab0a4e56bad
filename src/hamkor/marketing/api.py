"""REST API of marketing: segments (+ live counts and members), campaigns, the ROI report and
bulk sends. Reading segments and campaigns is open to staff (members scoped to the viewer);
changing them, sending and the report are for managers and administrators (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hamkor.accounts.models import User
from hamkor.contacts.api import viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from hamkor.contacts.selectors import get_source
from hamkor.core.paging import cursor_page
from hamkor.marketing.models import BulkSend, Campaign, Segment
from hamkor.marketing.rules import clean_rules
from hamkor.marketing.schemas import (
    CampaignIn,
    CampaignOut,
    CountOut,
    EffectivenessIn,
    EffectivenessOut,
    MemberListOut,
    MembersIn,
    RulesCountIn,
    SegmentIn,
    SegmentOut,
    SendIn,
    SendOut,
    SendPreviewOut,
)
from hamkor.marketing.selectors import (
    can_manage_marketing,
    count_matching,
    count_segment_members,
    count_send_messages,
    get_campaign,
    get_effectiveness,
    get_segment,
    get_send,
    list_campaigns,
    list_segment_members,
    list_segments,
    list_sends,
)
from hamkor.marketing.services import (
    CampaignInput,
    SegmentInput,
    create_campaign,
    create_segment,
    create_send,
    delete_campaign,
    delete_segment,
    freeze_segment,
    preview_send,
    unfreeze_segment,
    update_campaign,
    update_segment,
)

router = Router(tags=["marketing"])

MANAGE_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 403: ErrorOut}
# A window past these years has no orders and would overflow the date arithmetic.
MIN_YEAR, MAX_YEAR = 1900, 2999
REPORT_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: ErrorOut, 403: ErrorOut}


def _manager(request: HttpRequest) -> User:
    viewer = viewer_of(request)
    if not can_manage_marketing(viewer):
        raise HttpError(403, _("Only managers and administrators can do this."))
    return viewer


# --- segments -------------------------------------------------------------------------------


@router.get("/segments", response={200: list[SegmentOut], **READ_ERRORS}, summary="List segments")
def segments_view(request: HttpRequest) -> list[Segment]:
    viewer_of(request)
    return list(list_segments())


@router.post("/segments", response={201: SegmentOut, **MANAGE_ERRORS}, summary="Create a segment")
def create_segment_view(request: HttpRequest, payload: SegmentIn) -> Status[Segment]:
    actor = _manager(request)
    values = SegmentInput(name=payload.name, description=payload.description, rules=payload.rules)
    return Status(201, create_segment(actor=actor, values=values))


@router.post(
    "/segments/count",
    response={200: CountOut, **READ_ERRORS, 400: ErrorOut},
    summary="Count contacts matching rules",
    description="The live count shown while a segment is edited; nothing is saved.",
)
def count_rules_view(request: HttpRequest, payload: RulesCountIn) -> dict[str, int]:
    rules = clean_rules(payload.rules)
    return {"count": count_matching(viewer=viewer_of(request), rules=rules)}


@router.get("/segments/{segment_id}", response={200: SegmentOut, **READ_ERRORS})
def segment_view(request: HttpRequest, segment_id: int) -> Segment:
    viewer_of(request)
    return get_segment(pk=segment_id)


@router.put("/segments/{segment_id}", response={200: SegmentOut, **MANAGE_ERRORS}, summary="Change")
def update_segment_view(request: HttpRequest, segment_id: int, payload: SegmentIn) -> Segment:
    actor = _manager(request)
    values = SegmentInput(name=payload.name, description=payload.description, rules=payload.rules)
    return update_segment(segment=get_segment(pk=segment_id), actor=actor, values=values)


@router.delete("/segments/{segment_id}", response={204: None, **MANAGE_ERRORS})
def delete_segment_view(request: HttpRequest, segment_id: int) -> Status[None]:
    actor = _manager(request)
    delete_segment(segment=get_segment(pk=segment_id), actor=actor)
    return Status(204, None)


@router.post(
    "/segments/{segment_id}/freeze",
    response={200: SegmentOut, **MANAGE_ERRORS},
    summary="Freeze a segment",
    description="Saves the contacts matching now as a fixed list (again: replaces the list).",
)
def freeze_view(request: HttpRequest, segment_id: int) -> Segment:
    actor = _manager(request)
    return freeze_segment(segment=get_segment(pk=segment_id), actor=actor)


@router.post("/segments/{segment_id}/unfreeze", response={200: SegmentOut, **MANAGE_ERRORS})
def unfreeze_view(request: HttpRequest, segment_id: int) -> Segment:
    actor = _manager(request)
    return unfreeze_segment(segment=get_segment(pk=segment_id), actor=actor)


@router.get(
    "/segments/{segment_id}/count",
    response={200: CountOut, **READ_ERRORS},
    summary="Count a segment's members",
)
def segment_count_view(request: HttpRequest, segment_id: int) -> dict[str, int]:
    segment = get_segment(pk=segment_id)
    return {"count": count_segment_members(viewer=viewer_of(request), segment=segment)}


@router.get(
    "/segments/{segment_id}/members",
    response={200: MemberListOut, **READ_ERRORS},
    summary="List a segment's members",
    description="Members you may see, by name; `next` is the cursor of the next page.",
)
def members_view(request: HttpRequest, segment_id: int, page: Query[MembersIn]) -> dict[str, Any]:
    segment = get_segment(pk=segment_id)
    members = list_segment_members(viewer=viewer_of(request), segment=segment)
    return cursor_page(members, limit=page.limit, offset=page.offset, after=page.after)


# --- campaigns ------------------------------------------------------------------------------


def _campaign_input(payload: CampaignIn) -> CampaignInput:
    return CampaignInput(
        name=payload.name,
        channel=payload.channel,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        cost=payload.cost,
        currency=payload.currency,
        source=get_source(pk=payload.source_id) if payload.source_id else None,
        utm_campaign=payload.utm_campaign,
        notes=payload.notes,
    )


@router.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS})
def campaigns_view(request: HttpRequest) -> list[Campaign]:
    viewer_of(request)
    return list(list_campaigns())


@router.post("/campaigns", response={201: CampaignOut, **MANAGE_ERRORS})
def create_campaign_view(request: HttpRequest, payload: CampaignIn) -> Status[Campaign]:
    actor = _manager(request)
    campaign = create_campaign(actor=actor, values=_campaign_input(payload))
    return Status(201, get_campaign(pk=campaign.pk))


@router.get("/campaigns/{campaign_id}", response={200: CampaignOut, **READ_ERRORS})
def campaign_view(request: HttpRequest, campaign_id: int) -> Campaign:
    viewer_of(request)
    return get_campaign(pk=campaign_id)


@router.put("/campaigns/{campaign_id}", response={200: CampaignOut, **MANAGE_ERRORS})
def update_campaign_view(request: HttpRequest, campaign_id: int, payload: CampaignIn) -> Campaign:
    actor = _manager(request)
    campaign = get_campaign(pk=campaign_id)
    update_campaign(campaign=campaign, actor=actor, values=_campaign_input(payload))
    return get_campaign(pk=campaign_id)


@router.delete("/campaigns/{campaign_id}", response={204: None, **MANAGE_ERRORS})
def delete_campaign_view(request: HttpRequest, campaign_id: int) -> Status[None]:
    actor = _manager(request)
    delete_campaign(campaign=get_campaign(pk=campaign_id), actor=actor)
    return Status(204, None)


# --- report ---------------------------------------------------------------------------------


@router.get(
    "/effectiveness",
    response={200: EffectivenessOut, **REPORT_ERRORS},
    summary="Marketing effectiveness (ROI per campaign and source)",
    description="New contacts in [start, end], those who bought, their revenue in the window, "
    "cost, cost per customer and ROI, in the base currency, ranked by ROI then revenue.",
)
def effectiveness_view(request: HttpRequest, window: Query[EffectivenessIn]) -> dict[str, Any]:
    _manager(request)
    if window.end < window.start:
        raise HttpError(400, _("The end of the window is before its start."))
    if window.start.year < MIN_YEAR or window.end.year > MAX_YEAR:
        raise HttpError(
            400,
            _("Choose a window between the years %(first)s and %(last)s.")
            % {"first": MIN_YEAR, "last": MAX_YEAR},
        )
    report = get_effectiveness(start=window.start, end=window.end)
    rows = {
        name: [
            {
                **{key: getattr(row, key) for key in ("kind", "id", "name", "new_contacts")},
                "customers": row.customers,
                "revenue": row.revenue,
                "cost": row.cost,
                "cost_per_customer": row.cost_per_customer,
                "roi": row.roi,
            }
            for row in getattr(report, name)
        ]
        for name in ("campaigns", "sources")
    }
    return {"start": report.start, "end": report.end, "currency": report.currency, **rows}


# --- bulk sends -----------------------------------------------------------------------------


def _send_out(send: BulkSend) -> dict[str, Any]:
    return {
        "id": send.pk,
        "uuid": str(send.uuid),
        "segment_id": send.segment_id,
        "channel": send.channel,
        "subject": send.subject,
        "status": send.status,
        "total": send.total,
        "processed": send.processed,
        "created_at": send.created_at,
        "finished_at": send.finished_at,
        "messages": count_send_messages(send=send),
    }


@router.get(
    "/segments/{segment_id}/preview",
    response={200: SendPreviewOut, **REPORT_ERRORS},
    summary="Preview a bulk message's recipients",
)
def preview_view(request: HttpRequest, segment_id: int, channel: str) -> Any:
    _manager(request)
    return preview_send(segment=get_segment(pk=segment_id), channel=channel)


@router.get("/sends", response={200: list[SendOut], **REPORT_ERRORS}, summary="List bulk sends")
def sends_view(request: HttpRequest) -> list[dict[str, Any]]:
    _manager(request)
    return [_send_out(send) for send in list_sends()[:100]]


@router.post(
    "/sends",
    response={201: SendOut, **MANAGE_ERRORS},
    summary="Send a message to a segment",
    description="Queues one marketing message per member with consent and an address; "
    "`{{ contact.first_name }}` and similar personalise it. Large segments go in the "
    "background: poll GET /sends/{id}.",
)
def create_send_view(request: HttpRequest, payload: SendIn) -> Status[dict[str, Any]]:
    actor = _manager(request)
    send = create_send(
        segment=get_segment(pk=payload.segment_id),
        channel=payload.channel,
        subject=payload.subject,
        body=payload.body,
        actor=actor,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return Status(201, _send_out(get_send(pk=send.pk)))


@router.get("/sends/{send_id}", response={200: SendOut, **REPORT_ERRORS})
def send_view(request: HttpRequest, send_id: int) -> dict[str, Any]:
    _manager(request)
    return _send_out(get_send(pk=send_id))
