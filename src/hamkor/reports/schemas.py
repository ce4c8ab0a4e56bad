"""API shapes of reports: what each report offers, and one page of its rows with totals."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ReportColumnOut(Schema):
    key: str
    label: str
    type: str = Field(description="text, date, datetime, money, number, choice or boolean.")
    total: bool = Field(description="Summed in the totals and in each group.")


class ReportFilterOut(Schema):
    key: str
    label: str
    kind: str = Field(description="date (date_from, date_to), choice, owner, team or text (q).")
    params: list[str] = Field(description="Query parameters the filter reads.")
    choices: list[list[str]] = Field(description="Allowed values and their labels (choice).")


class ReportGroupingOut(Schema):
    key: str
    label: str


class ReportOut(Schema):
    key: str
    title: str
    columns: list[ReportColumnOut]
    filters: list[ReportFilterOut]
    groupings: list[ReportGroupingOut]
    formats: list[str] = Field(description="Export formats: csv, xlsx and, for some, pdf.")


class ReportMoneyOut(Schema):
    label: str
    by_currency: dict[str, str] = Field(description="Sum per currency code, as a decimal string.")
    base_currency: str
    base: str | None = Field(description="All currencies converted; null when a rate is missing.")
    missing_rate: str = ""


class ReportSummaryOut(Schema):
    label: str
    count: int
    money: list[ReportMoneyOut]
    numbers: dict[str, str]


class ReportPageOut(Schema):
    key: str
    group_by: str | None
    count: int = Field(description="Rows (or groups, when grouped) matching the filters.")
    columns: list[str] = Field(description="Keys of each row, in order.")
    items: list[dict[str, Any]] = Field(description="Rows, or groups with their sums.")
    totals: ReportSummaryOut
