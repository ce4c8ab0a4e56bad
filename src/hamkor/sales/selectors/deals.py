"""Reads for deals: lists, the board per pipeline and the weighted forecast by month."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.contacts.selectors import visible
from hamkor.core.currency import MissingRateError, base_currency, convert, round_money
from hamkor.sales.models import Deal, DealStageChange, Pipeline, PipelineStage, StageOutcome

# Cards shown per board column; the count and total always cover every deal in it.
CARDS_PER_COLUMN = 100


@dataclass(frozen=True)
class DealFilters:
    pipeline_id: int | None = None
    stage_id: int | None = None
    status: str = ""
    owner_id: int | None = None
    contact_id: int | None = None


def list_pipelines() -> QuerySet[Pipeline]:
    """Active pipelines with their stages in board order."""
    return (
        Pipeline.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch("stages", queryset=PipelineStage.objects.order_by("position", "id"))
        )
        .order_by("position", "name", "id")
    )


def get_pipeline(*, pk: int) -> Pipeline:
    """One active pipeline with its stages; Pipeline.DoesNotExist otherwise."""
    return list_pipelines().get(pk=pk)


def get_default_pipeline() -> Pipeline | None:
    """The first active pipeline, shown when none is chosen."""
    return list_pipelines().first()


def list_stages(*, pipeline: Pipeline) -> QuerySet[PipelineStage]:
    """A pipeline's stages in board order."""
    return PipelineStage.objects.filter(pipeline=pipeline).order_by("position", "id")


def get_stage(*, pk: int) -> PipelineStage:
    """One stage (any pipeline); PipelineStage.DoesNotExist otherwise."""
    return PipelineStage.objects.select_related("pipeline").get(pk=pk)


def list_deals(*, viewer: User, filters: DealFilters | None = None) -> QuerySet[Deal]:
    """Deals the viewer may see (own, team's; managers and admins all), newest first."""
    filters = filters or DealFilters()
    queryset = visible(Deal.objects.all(), viewer)
    if filters.pipeline_id:
        queryset = queryset.filter(pipeline_id=filters.pipeline_id)
    if filters.stage_id:
        queryset = queryset.filter(stage_id=filters.stage_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.owner_id:
        queryset = queryset.filter(owner_id=filters.owner_id)
    if filters.contact_id:
        queryset = queryset.filter(contact_id=filters.contact_id)
    return queryset.select_related("contact", "company", "pipeline", "stage", "owner").order_by(
        "-created_at", "-id"
    )


def get_deal(*, viewer: User, pk: int) -> Deal:
    """One deal the viewer may see with its stage history, oldest move first."""
    history = DealStageChange.objects.select_related("from_stage", "to_stage", "changed_by")
    return (
        visible(Deal.objects.all(), viewer)
        .select_related("contact", "company", "pipeline", "stage", "owner", "team")
        .prefetch_related(
            Prefetch("stage_changes", queryset=history.order_by("changed_at", "id")),
            Prefetch("pipeline__stages", queryset=PipelineStage.objects.order_by("position", "id")),
        )
        .get(pk=pk)
    )


@dataclass
class Total:
    """A sum in the base currency, or why it cannot be given (a missing exchange rate)."""

    amount: Decimal | None
    currency: str
    error: str = ""


def _in_base(sums: Iterable[tuple[str, Decimal]], on: datetime.date) -> Total:
    currency = base_currency()
    total = Decimal(0)
    for code, amount in sums:
        try:
            total += convert(amount, code, on=on)
        except MissingRateError as error:
            return Total(amount=None, currency=currency, error=" ".join(error.messages))
    return Total(amount=round_money(total, currency), currency=currency)


@dataclass
class BoardColumn:
    stage: PipelineStage
    deals: list[Deal]
    count: int
    total: Total

    @property
    def hidden(self) -> int:
        return self.count - len(self.deals)


@dataclass
class Board:
    pipeline: Pipeline
    stages: list[PipelineStage]
    columns: list[BoardColumn] = field(default_factory=list)


def get_board(*, pipeline: Pipeline, viewer: User, on: datetime.date | None = None) -> Board:
    """A pipeline's columns with the viewer's cards and totals in the base currency.

    Totals convert at the rate of ``on`` (today); a missing rate makes that column's total
    unavailable with the reason rather than failing the board.
    """
    on = on or timezone.localdate()
    stages = list(pipeline.stages.order_by("position", "id"))
    deals = visible(Deal.objects.filter(pipeline=pipeline), viewer)
    sums: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for row in deals.values("stage_id", "currency").annotate(total=Sum("amount"), n=Count("id")):
        sums[row["stage_id"]].append((row["currency"], row["total"] or Decimal(0)))
        counts[row["stage_id"]] += row["n"]
    board = Board(pipeline=pipeline, stages=stages)
    cards = deals.select_related("contact", "company", "owner").order_by(
        "expected_close_date", "-updated_at", "-id"
    )
    for stage in stages:
        shown = list(cards.filter(stage=stage)[:CARDS_PER_COLUMN]) if counts[stage.pk] else []
        board.columns.append(
            BoardColumn(
                stage=stage,
                deals=shown,
                count=counts[stage.pk],
                total=_in_base(sums[stage.pk], on),
            )
        )
    return board


@dataclass
class ForecastMonth:
    month: datetime.date | None  # first day of the month; None for deals without a date
    deals: int
    amount: Total
    weighted: Total


def list_forecast(
    *, viewer: User, pipeline: Pipeline | None = None, on: datetime.date | None = None
) -> list[ForecastMonth]:
    """Open deals by expected close month: amount and amount × stage probability, in base.

    Converted at the rate of ``on`` (today); months come in order, undated deals last.
    """
    on = on or timezone.localdate()
    deals = visible(Deal.objects.filter(status=StageOutcome.OPEN), viewer)
    if pipeline is not None:
        deals = deals.filter(pipeline=pipeline)
    rows = (
        deals.annotate(month=TruncMonth("expected_close_date"))
        .values("month", "currency", "stage__probability")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    )
    amounts: dict[datetime.date | None, list[tuple[str, Decimal]]] = defaultdict(list)
    weighted: dict[datetime.date | None, list[tuple[str, Decimal]]] = defaultdict(list)
    counts: dict[datetime.date | None, int] = defaultdict(int)
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        total = row["total"] or Decimal(0)
        amounts[month].append((row["currency"], total))
        weighted[month].append((row["currency"], total * row["stage__probability"] / 100))
        counts[month] += row["n"]
    dated = sorted(m for m in counts if m is not None)
    months: list[datetime.date | None] = [*dated, *([None] if None in counts else [])]
    return [
        ForecastMonth(
            month=month,
            deals=counts[month],
            amount=_in_base(amounts[month], on),
            weighted=_in_base(weighted[month], on),
        )
        for month in months
    ]
