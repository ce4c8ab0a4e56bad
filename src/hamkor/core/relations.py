"""Move everything that points at one row onto another, found via model meta.

Used by merges: relations that apps add later are carried without editing the merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction


@dataclass
class ReassignReport:
    moved: dict[str, int] = field(default_factory=dict)
    # Rows that would break a uniqueness rule on the kept record stay with the old one.
    left_behind: dict[str, int] = field(default_factory=dict)


def reassign_relations(
    *, old: models.Model, new: models.Model, skip: frozenset[str] = frozenset()
) -> ReassignReport:
    """Point every FK and M2M that references ``old`` at ``new``.

    ``skip`` holds "app_label.model.field" names to leave alone (e.g. a merged_into link).
    """
    report = ReassignReport()
    # include_hidden: relations declared with related_name="+" point here too.
    for relation in old._meta.get_fields(include_hidden=True):
        if not relation.is_relation or not relation.auto_created or relation.concrete:
            continue
        related_model = relation.related_model
        if not (isinstance(related_model, type) and issubclass(related_model, models.Model)):
            continue
        if related_model._meta.auto_created:
            continue  # an M2M through table; handled with its many-to-many field below
        remote_field = relation.field  # type: ignore[union-attr]
        key = f"{related_model._meta.label_lower}.{remote_field.name}"
        if key in skip:
            continue
        if relation.many_to_many:
            moved = _move_many_to_many(old, new, remote_field)
        else:
            moved, left = _move_foreign_keys(old, new, related_model, remote_field.name)
            if left:
                report.left_behind[key] = left
        if moved:
            report.moved[key] = moved
    for forward in old._meta.many_to_many:
        getattr(new, forward.name).add(*getattr(old, forward.name).all())
    return report


def _move_foreign_keys(
    old: models.Model, new: models.Model, related_model: type[models.Model], field_name: str
) -> tuple[int, int]:
    manager = related_model._base_manager
    queryset = manager.filter(**{field_name: old})
    try:
        with transaction.atomic():
            return queryset.update(**{field_name: new}), 0
    except IntegrityError:
        pass
    # Some rows clash with a unique constraint: move the others one by one.
    moved = left = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                manager.filter(pk=pk).update(**{field_name: new})
            moved += 1
        except IntegrityError:
            left += 1
    return moved, left


def _move_many_to_many(old: models.Model, new: models.Model, remote_field: models.Field) -> int:  # type: ignore[type-arg]
    owners = remote_field.model._base_manager.filter(**{remote_field.name: old})
    count = 0
    for owner in owners:
        related = getattr(owner, remote_field.name)
        related.add(new)
        related.remove(old)
        count += 1
    return count
