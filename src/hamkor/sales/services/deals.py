"""Writes for deals: create, edit and move between pipeline stages (every move is kept)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.core.audit import changes, record_event, snapshot
from hamkor.core.locking import lock_rows
from hamkor.core.money import is_currency
from hamkor.core.versioning import claim_version
from hamkor.sales.models import Deal, DealStageChange, Pipeline, PipelineStage, StageOutcome

# Fields a form or the API may set when creating a deal.
CREATE_FIELDS = (
    "title",
    "contact",
    "company",
    "pipeline",
    "stage",
    "amount",
    "currency",
    "expected_close_date",
    "owner",
    "team",
    "notes",
    "lost_reason",
)
# Stage and pipeline change only through move_deal, so every change is recorded.
# What a move can change, for the audit ``changed`` map.
MOVE_FIELDS = ("stage", "status", "lost_reason", "closed_at")
UPDATE_FIELDS = (
    "title",
    "contact",
    "company",
    "amount",
    "currency",
    "expected_close_date",
    "owner",
    "team",
    "notes",
)


def _check_fields(values: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )


def _check_customer_and_currency(deal: Deal) -> None:
    errors: dict[str, str] = {}
    if deal.contact_id is None and deal.company_id is None:
        errors["contact"] = _("Choose a contact or a company for the deal.")
    if not is_currency(deal.currency or ""):
        errors["currency"] = _("Enter a currency code such as UZS, KGS or USD.")
    if errors:
        raise ValidationError(errors)


def first_open_stage(pipeline: Pipeline) -> PipelineStage:
    """Where new deals start: the pipeline's first open stage."""
    stage = pipeline.stages.filter(outcome=StageOutcome.OPEN).order_by("position", "id").first()
    if stage is None:
        raise ValidationError(
            {"pipeline": _("The pipeline “%(name)s” has no open stage.") % {"name": pipeline.name}}
        )
    return stage


def _apply_outcome(deal: Deal, stage: PipelineStage, lost_reason: str) -> None:
    """Set status, closing time and reason to fit the stage the deal is now in."""
    if stage.outcome == StageOutcome.LOST:
        reason = lost_reason.strip()
        if not reason:
            raise ValidationError(
                {
                    "lost_reason": _("Say why the deal was lost before moving it to “%(stage)s”.")
                    % {"stage": stage.name}
                }
            )
        deal.lost_reason = reason
    else:
        deal.lost_reason = ""
    if stage.outcome == StageOutcome.OPEN:
        deal.status = StageOutcome.OPEN
        deal.closed_at = None
    elif deal.status != stage.outcome or deal.closed_at is None:
        deal.status = stage.outcome
        deal.closed_at = timezone.now()


@transaction.atomic
def create_deal(*, values: Mapping[str, Any], actor: User) -> Deal:
    """Create a deal in its pipeline's first open stage (or the one given) and record it."""
    values = dict(values)
    _check_fields(values, CREATE_FIELDS)
    values.setdefault("owner", actor)
    if "team" not in values:
        owner = values.get("owner")
        values["team"] = owner.team if owner is not None else None
    pipeline = values.get("pipeline")
    if pipeline is None:
        raise ValidationError({"pipeline": _("Choose a pipeline.")})
    stage = values.get("stage") or first_open_stage(pipeline)
    if stage.pipeline_id != pipeline.pk:
        raise ValidationError(
            {"stage": _("The stage “%(stage)s” belongs to another pipeline.") % {"stage": stage}}
        )
    values["stage"] = stage
    lost_reason = str(values.pop("lost_reason", "") or "")
    deal = Deal(**values)
    deal.currency = (deal.currency or "").upper()
    _check_customer_and_currency(deal)
    _apply_outcome(deal, stage, lost_reason)
    deal.full_clean()
    deal.save()
    DealStageChange.objects.create(deal=deal, from_stage=None, to_stage=stage, changed_by=actor)
    record_event(actor=actor, verb="deal.created", target=deal, data={"stage": stage.pk})
    return deal


@transaction.atomic
def update_deal(
    *,
    deal: Deal,
    values: Mapping[str, Any],
    actor: User,
    expected_version: int | None = None,
) -> Deal:
    """Change a deal's details; a new owner takes the deal into their team.

    With ``expected_version`` a newer stored version raises EditConflict and nothing is
    written; every update moves the deal to the next version.
    """
    values = dict(values)
    _check_fields(values, UPDATE_FIELDS)
    if "owner" in values and "team" not in values:
        values["team"] = values["owner"].team if values["owner"] is not None else None
    # Locked and reloaded: fields not given keep what is stored now, not an older copy's.
    claim_version(deal, expected=expected_version)
    # Old and new values (relations by id) let automation react to "field changed".
    before = snapshot(deal, values)
    for name, value in values.items():
        setattr(deal, name, value)
    deal.currency = (deal.currency or "").upper()
    _check_customer_and_currency(deal)
    deal.full_clean()
    deal.save()
    record_event(
        actor=actor,
        verb="deal.updated",
        target=deal,
        data={
            "fields": sorted(values),
            "changed": changes(before, snapshot(deal, values)),
            "version": deal.version,
        },
    )
    return deal


@transaction.atomic
def move_deal(*, deal: Deal, stage: PipelineStage, actor: User, lost_reason: str = "") -> Deal:
    """Move a deal to another stage of its pipeline, keeping who moved it and when.

    A won stage closes the deal as won, a lost one needs a reason, an open one reopens it.
    """
    locked = lock_rows(Deal, deal.pk).get(deal.pk)
    if locked is None:
        raise Deal.DoesNotExist
    if stage.pipeline_id != locked.pipeline_id:
        raise ValidationError(
            {"stage": _("The stage “%(stage)s” belongs to another pipeline.") % {"stage": stage}}
        )
    if stage.pk == locked.stage_id and not (
        stage.outcome == StageOutcome.LOST and lost_reason.strip()
    ):
        return locked
    from_stage_id = locked.stage_id
    before = snapshot(locked, MOVE_FIELDS)
    _apply_outcome(locked, stage, lost_reason)
    locked.stage = stage
    # The row is locked: someone with the deal's edit form open is told it moved.
    locked.version += 1
    locked.full_clean()
    locked.save()
    if from_stage_id != stage.pk:
        DealStageChange.objects.create(
            deal=locked, from_stage_id=from_stage_id, to_stage=stage, changed_by=actor
        )
    record_event(
        actor=actor,
        verb="deal.moved",
        target=locked,
        data={
            "from": from_stage_id,
            "to": stage.pk,
            "status": locked.status,
            "pipeline": locked.pipeline_id,
            "changed": changes(before, snapshot(locked, MOVE_FIELDS)),
            "version": locked.version,
        },
    )
    return locked
