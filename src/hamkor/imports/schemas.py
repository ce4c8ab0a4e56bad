"""What the imports API sends and takes."""

from __future__ import annotations

import datetime
import uuid

from ninja import Schema
from pydantic import Field

from hamkor.imports.models import ImportJob
from hamkor.imports.services import current_progress


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    uuid: uuid.UUID
    entity: str
    original_name: str
    file_format: str
    headers: list[str]
    mapping: dict[str, str]
    duplicates: str
    skip_bad_rows: bool
    dry_run: bool
    status: str
    total_rows: int
    processed_rows: int = Field(description="Rows read so far (live while running).")
    percent: int
    new_count: int
    updated_count: int
    skipped_count: int
    error_count: int
    errors: list[RowErrorOut] = Field(description="The first per-row errors.")
    message: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    applied_at: datetime.datetime | None

    @staticmethod
    def resolve_processed_rows(obj: ImportJob) -> int:
        return current_progress(obj)

    @staticmethod
    def resolve_percent(obj: ImportJob) -> int:
        if not obj.total_rows:
            return obj.percent
        return min(100, current_progress(obj) * 100 // obj.total_rows)

    @staticmethod
    def resolve_errors(obj: ImportJob) -> list[dict[str, object]]:
        return list(obj.error_sample)
