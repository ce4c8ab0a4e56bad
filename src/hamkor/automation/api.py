"""REST API for automation: list rules and their runs, create, switch on/off; webhook log.

Everyone signed in reads; only managers and administrators create or switch rules.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hamkor.automation.models import Rule
from hamkor.automation.schemas import (
    DeliveryListOut,
    RuleIn,
    RuleListOut,
    RuleOut,
    RunListOut,
    RunsIn,
    ToggleIn,
)
from hamkor.automation.selectors import get_rule, list_deliveries, list_rules, list_runs
from hamkor.automation.services import create_rule, set_rule_enabled
from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from hamkor.core.paging import list_page

router = Router(tags=["automation"])

CHANGE_ERRORS = {**WRITE_ERRORS, 403: ErrorOut}


@router.get(
    "/rules",
    response={200: RuleListOut, **READ_ERRORS},
    summary="List automation rules",
    description="Every rule, switched on or off, with how often it ran.",
)
def list_rules_view(request: HttpRequest, page: Query[RunsIn]) -> dict[str, Any]:
    read_query(request, page)
    return list_page(list_rules(), offset=page.offset, limit=page.limit)


@router.post(
    "/rules",
    response={201: RuleOut, **CHANGE_ERRORS},
    summary="Create a rule",
    description="Managers and administrators only. Off unless `enabled` is true.",
)
def create_rule_view(request: HttpRequest, payload: RuleIn) -> Status[Rule]:
    try:
        rule = create_rule(actor=viewer_of(request), **payload.dict())
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return Status(201, rule)


@router.get("/rules/{rule_id}", response={200: RuleOut, **READ_ERRORS}, summary="A rule")
def get_rule_view(request: HttpRequest, rule_id: int) -> Rule:
    return get_rule(pk=rule_id)


@router.post(
    "/rules/{rule_id}/toggle",
    response={200: RuleOut, **CHANGE_ERRORS},
    summary="Switch a rule on or off",
    description="Managers and administrators only.",
)
def toggle_rule_view(request: HttpRequest, rule_id: int, payload: ToggleIn) -> Rule:
    rule = get_rule(pk=rule_id)
    try:
        return set_rule_enabled(rule=rule, enabled=payload.enabled, actor=viewer_of(request))
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None


@router.get(
    "/rules/{rule_id}/runs",
    response={200: RunListOut, **READ_ERRORS},
    summary="A rule's run log",
    description="Newest first, with a result and a message per action.",
)
def list_runs_view(request: HttpRequest, rule_id: int, page: Query[RunsIn]) -> dict[str, Any]:
    read_query(request, page)
    return list_page(list_runs(rule=get_rule(pk=rule_id)), offset=page.offset, limit=page.limit)


@router.get(
    "/deliveries",
    response={200: DeliveryListOut, **READ_ERRORS},
    summary="Webhook delivery log",
    description="Every attempt's outcome, newest first.",
)
def list_deliveries_view(request: HttpRequest, page: Query[RunsIn]) -> dict[str, Any]:
    read_query(request, page)
    return list_page(list_deliveries(), offset=page.offset, limit=page.limit)
