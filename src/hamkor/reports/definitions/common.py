"""Shorthands the report declarations share."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from hamkor.reports.registry import ColumnType, Filter, FilterKind, Grouping

T, D, DT, M, N, C, B = (
    ColumnType.TEXT,
    ColumnType.DATE,
    ColumnType.DATETIME,
    ColumnType.MONEY,
    ColumnType.NUMBER,
    ColumnType.CHOICE,
    ColumnType.BOOLEAN,
)


def _dates(path: str, label: Any) -> Filter:
    return Filter("date", label, FilterKind.DATE, (path,))


def _choice(key: str, label: Any, path: str | None = None) -> Filter:
    return Filter(key, label, FilterKind.CHOICE, (path or key,))


def _owner(path: str = "owner_id", label: Any = None) -> Filter:
    return Filter("owner", label or _("Owner"), FilterKind.OWNER, (path,))


def _team(path: str = "team_id") -> Filter:
    return Filter("team", _("Team"), FilterKind.TEAM, (path,))


def _text(*paths: str) -> Filter:
    return Filter("q", _("Search"), FilterKind.TEXT, paths)


def _choice_group(key: str, label: Any, path: str | None = None) -> Grouping:
    return Grouping(key, label, path or key, type=ColumnType.CHOICE)


CUSTOMER_TEXT = ("company__name", "contact__first_name", "contact__last_name")
