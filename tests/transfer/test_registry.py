"""Which tables travel, and in which order they are loaded."""

from __future__ import annotations

from hamkor.transfer.registry import (
    MADE_BY_MIGRATE,
    SEEDED_BY_MIGRATIONS,
    SKIPPED,
    exported_models,
    label_of,
)


def test_exported_models_skip_sessions_and_rate_limits(db) -> None:
    labels = {label_of(model) for model in exported_models()}

    assert "contacts.Contact" in labels
    assert "contacts.Contact_tags" in labels
    assert "accounts.User_groups" in labels
    assert "auth.Group" in labels
    assert labels.isdisjoint(SKIPPED)


def test_exported_models_come_after_the_tables_they_point_at(db) -> None:
    order = [label_of(model) for model in exported_models()]

    assert order.index("accounts.User") < order.index("contacts.Contact")
    assert order.index("contacts.Company") < order.index("contacts.Contact")
    assert order.index("contacts.Contact") < order.index("contacts.Contact_tags")
    assert order.index("contacts.Tag") < order.index("contacts.Contact_tags")
    assert order.index("billing.Invoice") < order.index("billing.Payment")


def test_only_the_listed_tables_hold_rows_after_migrate(db) -> None:
    # A migrated test database, before any test data: whatever data migrations filled must
    # be listed, or `import-all` would refuse every freshly migrated install.
    filled = {label_of(model) for model in exported_models() if model._base_manager.exists()}

    assert filled <= MADE_BY_MIGRATE | SEEDED_BY_MIGRATIONS
    assert "contacts.Source" in filled
