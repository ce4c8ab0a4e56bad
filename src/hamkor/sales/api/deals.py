"""REST API for deals: parse input, call a selector or service, shape output."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.params.functions import Header as HeaderParam

from hamkor.accounts.models import User
from hamkor.contacts.api import (
    CONCURRENCY_HELP,
    WITH_ETAG,
    conflict_response,
    read_query,
    viewer_of,
)
from hamkor.contacts.schemas import IF_MATCH_HELP, READ_ERRORS, WRITE_ERRORS
from hamkor.contacts.selectors import get_assignable_owner, get_company, get_contact
from hamkor.core.currency import base_currency
from hamkor.core.paging import list_page
from hamkor.core.references import resolve_reference
from hamkor.core.versioning import EditConflict, etag, expected_from
from hamkor.sales.models import Deal
from hamkor.sales.schemas_deals import (
    DealConflictOut,
    DealCreateIn,
    DealDetailOut,
    DealFilterIn,
    DealListOut,
    DealUpdateIn,
    ForecastFilterIn,
    ForecastOut,
    MoveIn,
    PipelineListOut,
)
from hamkor.sales.selectors.deals import (
    DealFilters,
    get_deal,
    get_pipeline,
    get_stage,
    list_deals,
    list_forecast,
    list_pipelines,
)
from hamkor.sales.services.deals import create_deal, move_deal, update_deal

router = Router(tags=["deals"])


# Plain fields the API passes to the services unchanged.
DEAL_VALUES = ("title", "amount", "currency", "expected_close_date", "notes")


def _values(viewer: User, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Service values from a payload: plain fields plus the records its *_id fields name."""
    values = {name: fields[name] for name in DEAL_VALUES if name in fields}
    errors: dict[str, str] = {}
    references: list[tuple[str, Callable[[int], Any], str]] = [
        (
            "contact",
            lambda pk: get_contact(viewer=viewer, pk=pk),
            _("There is no contact with id %(id)s that you can see."),
        ),
        (
            "company",
            lambda pk: get_company(viewer=viewer, pk=pk),
            _("There is no company with id %(id)s that you can see."),
        ),
        (
            "owner",
            lambda pk: get_assignable_owner(viewer=viewer, pk=pk),
            _("There is no active user with id %(id)s that you can make the owner."),
        ),
        (
            "pipeline",
            lambda pk: get_pipeline(pk=pk),
            _("There is no active pipeline with id %(id)s."),
        ),
        ("stage", lambda pk: get_stage(pk=pk), _("There is no stage with id %(id)s.")),
    ]
    for name, fetch, message in references:
        key = f"{name}_id"
        if key in fields:
            values[name] = resolve_reference(errors, key, fields[key], fetch, message)
    if errors:
        raise ValidationError(errors)
    return values


@router.get(
    "",
    response={200: DealListOut, **READ_ERRORS},
    summary="List deals",
    description="Deals you may see (yours, your team's; managers see all), newest first.",
)
def list_deals_view(request: HttpRequest, filters: Query[DealFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    deals = list_deals(
        viewer=viewer_of(request),
        filters=DealFilters(
            pipeline_id=filters.pipeline_id,
            stage_id=filters.stage_id,
            status=filters.status,
            owner_id=filters.owner_id,
            contact_id=filters.contact_id,
        ),
    )
    return list_page(deals, offset=filters.offset, limit=filters.limit)


# Declared before /{deal_id} so these names are never read as ids.
@router.get(
    "/pipelines",
    response={200: PipelineListOut, **READ_ERRORS},
    summary="List pipelines",
    description="Active pipelines with their stages in board order.",
)
def list_pipelines_view(request: HttpRequest) -> dict[str, Any]:
    pipelines = list(list_pipelines())
    return {"items": pipelines, "count": len(pipelines)}


@router.get(
    "/forecast",
    response={200: ForecastOut, **READ_ERRORS},
    summary="Weighted forecast by month",
    description="Open deals by expected close month: their sum and the sum weighted by "
    "stage probability, in the base currency at today's rates.",
)
def forecast_view(request: HttpRequest, filters: Query[ForecastFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    pipeline = None
    if filters.pipeline_id is not None:
        pipeline = _values(viewer_of(request), {"pipeline_id": filters.pipeline_id})["pipeline"]
    months = list_forecast(viewer=viewer_of(request), pipeline=pipeline)
    return {
        "currency": base_currency(),
        "items": [
            {
                "month": month.month.strftime("%Y-%m") if month.month else None,
                "deals": month.deals,
                "amount": month.amount.amount,
                "weighted": month.weighted.amount,
                "error": month.amount.error or month.weighted.error,
            }
            for month in months
        ],
    }


@router.post(
    "",
    response={201: DealDetailOut, **WRITE_ERRORS},
    summary="Create a deal",
    description="Starts in the pipeline's first open stage unless a stage is given; "
    "you are the owner by default.",
)
def create_deal_view(request: HttpRequest, payload: DealCreateIn) -> Status[Deal]:
    viewer = viewer_of(request)
    fields = payload.dict(exclude_unset=True)
    fields.setdefault("pipeline_id", payload.pipeline_id)
    values = _values(viewer, fields)
    if "lost_reason" in fields:
        values["lost_reason"] = fields["lost_reason"]
    deal = create_deal(values=values, actor=viewer)
    return Status(201, get_deal(viewer=viewer, pk=deal.pk))


@router.get(
    "/{deal_id}",
    response={200: DealDetailOut, **READ_ERRORS},
    summary="Get a deal",
    openapi_extra=WITH_ETAG,
)
def get_deal_view(request: HttpRequest, deal_id: int, response: HttpResponse) -> Deal:
    deal = get_deal(viewer=viewer_of(request), pk=deal_id)
    response["ETag"] = etag(deal)
    return deal


@router.patch(
    "/{deal_id}",
    response={200: DealDetailOut, 412: DealConflictOut, **WRITE_ERRORS},
    summary="Update a deal",
    description="Only the fields sent change; move between stages with POST …/move."
    + CONCURRENCY_HELP,
    openapi_extra=WITH_ETAG,
)
def update_deal_view(
    request: HttpRequest,
    deal_id: int,
    payload: DealUpdateIn,
    response: HttpResponse,
    if_match: str | None = HeaderParam(None, alias="If-Match", description=IF_MATCH_HELP),
) -> Deal | Status[dict[str, Any]]:
    viewer = viewer_of(request)
    deal = get_deal(viewer=viewer, pk=deal_id)
    expected = expected_from(if_match=if_match, body_version=payload.version, stored=deal.version)
    try:
        update_deal(
            deal=deal,
            values=_values(viewer, payload.dict(exclude_unset=True)),
            actor=viewer,
            expected_version=expected,
        )
    except EditConflict as conflict:
        return conflict_response(response, conflict, get_deal(viewer=viewer, pk=deal.pk))
    deal = get_deal(viewer=viewer, pk=deal.pk)
    response["ETag"] = etag(deal)
    return deal


@router.post(
    "/{deal_id}/move",
    response={200: DealDetailOut, **WRITE_ERRORS},
    summary="Move a deal to another stage",
    description="A won stage closes the deal as won; a lost stage needs `lost_reason`; "
    "an open stage reopens it. Every move is kept in the stage history.",
)
def move_deal_view(request: HttpRequest, deal_id: int, payload: MoveIn) -> Deal:
    viewer = viewer_of(request)
    deal = get_deal(viewer=viewer, pk=deal_id)
    stage = _values(viewer, {"stage_id": payload.stage_id})["stage"]
    move_deal(deal=deal, stage=stage, actor=viewer, lost_reason=payload.lost_reason)
    return get_deal(viewer=viewer, pk=deal.pk)
