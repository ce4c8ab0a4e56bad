"""What a report is: its source list, columns, filters, groupings and totals.

A report only declares; ``reports.engine`` filters, groups and totals in the database, and
``reports.exports`` writes the rows out. Declarations live in ``reports.definitions``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Expression, F, Model, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils.functional import Promise

from hamkor.accounts.models import User


class ColumnType(StrEnum):
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    MONEY = "money"
    NUMBER = "number"
    CHOICE = "choice"
    BOOLEAN = "boolean"


class FilterKind(StrEnum):
    DATE = "date"  # a date range: ?date_from=YYYY-MM-DD&date_to=YYYY-MM-DD (inclusive)
    CHOICE = "choice"  # ?<key>=<one of the field's choices>
    OWNER = "owner"  # ?owner=<user id>
    TEAM = "team"  # ?team=<team id>
    TEXT = "text"  # ?q=<words>, matched anywhere in any of the paths


Source = Callable[[User], QuerySet[Any]]
# An ORM lookup ("contact__last_name") or an expression over the model.
Path = str | Expression | F


@dataclass(frozen=True)
class Column:
    """One column: ``path`` is an ORM lookup or an expression over the source's model."""

    key: str
    label: str | Promise
    path: Path
    type: ColumnType = ColumnType.TEXT
    # Numbers and money with ``total`` are summed in the totals row and in each group.
    total: bool = False


@dataclass(frozen=True)
class Filter:
    key: str
    label: str | Promise
    kind: FilterKind
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Grouping:
    """A group-by option; rows with the same ``value`` form one group shown as ``label``."""

    key: str
    label: str | Promise
    value: Path
    display: Path | None = None
    type: ColumnType = ColumnType.TEXT


@dataclass(frozen=True)
class Report:
    key: str
    title: str | Promise
    model: type[Model]
    source: Source
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = ()
    groupings: tuple[Grouping, ...] = ()
    # Path of the currency code beside the money columns ("" when the report has no money).
    currency: str = ""
    pdf: bool = False
    description: str | Promise = ""
    columns_by_key: dict[str, Column] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns_by_key", {c.key: c for c in self.columns})

    @property
    def money_columns(self) -> list[Column]:
        return [c for c in self.columns if c.type == ColumnType.MONEY and c.total]

    @property
    def number_columns(self) -> list[Column]:
        return [c for c in self.columns if c.type == ColumnType.NUMBER and c.total]

    def grouping(self, key: str) -> Grouping | None:
        return next((g for g in self.groupings if g.key == key), None)


REGISTRY: dict[str, Report] = {}


def register(report: Report) -> Report:
    """Add a report to the registry (keys are unique)."""
    if report.key in REGISTRY:
        raise ValueError(f"report {report.key!r} is registered twice")
    REGISTRY[report.key] = report
    return report


def person(prefix: str) -> Expression:
    """A user's "First Last" (their username when both are blank) through ``prefix``."""
    name = Trim(Concat(F(f"{prefix}first_name"), Value(" "), F(f"{prefix}last_name")))
    return Coalesce(NullIf(name, Value("")), F(f"{prefix}username"))


def contact_name(prefix: str) -> Expression:
    """A contact's "Last First" through ``prefix`` (e.g. ``"contact__"``)."""
    return Trim(Concat(F(f"{prefix}last_name"), Value(" "), F(f"{prefix}first_name")))


def customer(prefix: str = "") -> Expression:
    """The company's name, else the contact's: who an order, invoice or ticket is for."""
    return Coalesce(
        NullIf(F(f"{prefix}company__name"), Value("")),
        NullIf(contact_name(f"{prefix}contact__"), Value("")),
        Value(""),
    )


def owner_grouping(path: str = "owner", label: str | Promise = "") -> Grouping:
    from django.utils.translation import gettext_lazy as _

    return Grouping(path, label or _("Owner"), f"{path}_id", person(f"{path}__"))


def team_grouping(path: str = "team") -> Grouping:
    from django.utils.translation import gettext_lazy as _

    return Grouping("team", _("Team"), f"{path}_id", F(f"{path}__name"))


def list_reports(keys: Sequence[str] | None = None) -> list[Report]:
    """Every registered report in the order it was declared."""
    from hamkor.reports import definitions  # noqa: F401  (declarations register themselves)

    return [r for r in REGISTRY.values() if keys is None or r.key in keys]


def get_report(key: str) -> Report | None:
    """The report called ``key``, or None."""
    list_reports()
    return REGISTRY.get(key)
