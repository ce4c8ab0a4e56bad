"""Migration operations that differ per database vendor.

This is the seam behind which PostgreSQL features (trigram indexes) and their SQLite
counterparts (FTS5 tables) live.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


class VendorSQL(migrations.operations.base.Operation):
    """Run SQL for the current vendor only; other vendors do nothing."""

    reduces_to_sql = False
    reversible = True

    def __init__(
        self,
        *,
        postgresql: list[str] | None = None,
        sqlite: list[str] | None = None,
        reverse_postgresql: list[str] | None = None,
        reverse_sqlite: list[str] | None = None,
    ) -> None:
        self.forward = {"postgresql": postgresql or [], "sqlite": sqlite or []}
        self.backward = {"postgresql": reverse_postgresql or [], "sqlite": reverse_sqlite or []}

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _run(self, schema_editor: Any, statements: dict[str, list[str]]) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._run(schema_editor, self.forward)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._run(schema_editor, self.backward)

    def describe(self) -> str:
        return "Vendor-specific SQL"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            f"{self.__class__.__module__}.{self.__class__.__name__}",
            [],
            {
                "postgresql": self.forward["postgresql"],
                "sqlite": self.forward["sqlite"],
                "reverse_postgresql": self.backward["postgresql"],
                "reverse_sqlite": self.backward["sqlite"],
            },
        )
