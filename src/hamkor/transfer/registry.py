"""Which tables travel in a full export, and in which order they are loaded.

Everything is found through model meta, so an app added later is exported and restored
without editing this module. Only the short lists below name models, each with its reason.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections, models

# Not exported: state that belongs to one running install and means nothing in another.
SKIPPED = frozenset(
    {
        # Logins: a restored install starts with everybody logged out.
        "sessions.Session",
        # Sliding-window counters and short leases of the web forms' rate limiter.
        "webforms.RateCounter",
        "webforms.Lease",
        # Portal sign-in: one-time codes valid for minutes, and the per-address throttle.
        "portal.LoginCode",
        "portal.LoginThrottle",
    }
)

# Rows that `migrate` itself makes (post_migrate signals). A migrated, empty install already
# has them, with ids of its own: the restore replaces them with the exported rows, so that
# every id pointing at them (permissions of groups, admin log entries) stays right.
MADE_BY_MIGRATE = frozenset({"contenttypes.ContentType", "auth.Permission"})

# Tables that data migrations fill with defaults (sources, payment types, the sales pipeline,
# the loyalty rule, the default tax rate, the ready-made automation rules). An empty install
# has these rows too; the restore replaces them with the exported ones. A new data migration
# that seeds a table must add it here (tests/transfer checks the list against a migrated
# database).
SEEDED_BY_MIGRATIONS = frozenset(
    {
        "contacts.Source",
        "sales.PaymentType",
        "sales.Pipeline",
        "sales.PipelineStage",
        "sales.LoyaltyRule",
        "billing.TaxRate",
        "automation.Rule",
    }
)


def label_of(model: type[models.Model]) -> str:
    """The entity name of a model: ``app_label.ModelName`` (``contacts.Contact_tags`` too)."""
    return f"{model._meta.app_label}.{model._meta.object_name}"


def stored_fields(model: type[models.Model]) -> list[models.Field[object, object]]:
    """The columns of the model's own table that hold data (generated columns are derived)."""
    return [
        field
        for field in model._meta.local_concrete_fields
        if not getattr(field, "generated", False)
    ]


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    """The model's file columns; the files they name travel under ``media/``."""
    return [field for field in stored_fields(model) if isinstance(field, models.FileField)]


def exported_models(using: str = "default") -> list[type[models.Model]]:
    """Every table a full export holds, in load order (a table after the tables it points at).

    A model whose table does not exist in the database (its app has no migration for it
    yet) holds no rows and is left out.
    """
    tables = set(connections[using].introspection.table_names())
    candidates = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not model._meta.swapped
        and label_of(model) not in SKIPPED
        and model._meta.db_table in tables
    ]
    return in_load_order(candidates)


def in_load_order(candidates: list[type[models.Model]]) -> list[type[models.Model]]:
    """Sort models so each comes after the models its foreign keys point at.

    Self-references and cycles cannot be ordered; the restore defers foreign key checks to
    the end of its transaction, so the models of a cycle simply follow in name order.
    """
    by_label = {label_of(model): model for model in candidates}
    needs: dict[str, set[str]] = {}
    for label, model in by_label.items():
        targets = set()
        for field in stored_fields(model):
            if field.is_relation and field.related_model is not None:
                target = label_of(field.related_model)  # type: ignore[arg-type]
                if target != label and target in by_label:
                    targets.add(target)
        needs[label] = targets
    ordered: list[str] = []
    placed: set[str] = set()
    pending = sorted(by_label)
    while pending:
        ready = [label for label in pending if needs[label] <= placed]
        if not ready:
            # A cycle: take the first one in name order and go on.
            ready = [pending[0]]
        for label in ready:
            ordered.append(label)
            placed.add(label)
        pending = [label for label in pending if label not in placed]
    return [by_label[label] for label in ordered]
