"""Edits made in the Django admin land in the audit trail, field by field.

The admin writes models directly, past the services and the events they record.
``audit_admin_site`` (run by the app's ``ready``, after the admin has found every
``admin.py``) mixes ``AuditedAdmin`` into each ModelAdmin on the site, Django's and other
packages' included, so a model registered later is covered without editing this module:

* a save records ``admin.added`` or ``admin.changed`` with ``{"changed": {field: [before,
  after]}}``: the stored values are read just before the form is applied, the new ones back
  from the database after the save; rows of inlines (a contact's phones) join their parent's
  event as ``<inline>[<id>].<field>``; many-to-many fields (a user's groups) as id lists;
* a delete, from the delete page or "Delete selected", records one ``admin.deleted`` per
  object with its values as they were, in the transaction that deletes it;
* secrets (passwords, hashes, two-factor keys and tokens) show as "[hidden]".

Who, the IP and the request ("POST /admin/...", via web) come from the request, as for every
event. Custom admin actions other than deleting record nothing here: give them a service.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import models, router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from hamkor.core.audit import changes, record_event, snapshot

HIDDEN = "[hidden]"
# Fields whose values never go into the log, on any model.
SECRET_NAMES = frozenset({"password", "secret"})
# django-otp keeps the device key and the backup codes in fields with ordinary names.
OTP_SECRET_NAMES = frozenset({"key", "token"})
# Set on the instance being saved: its stored values, and its inlines' changes.
BEFORE = "_hamkor_admin_before"
INLINE_CHANGES = "_hamkor_admin_inline_changes"


def is_secret(model: type[models.Model], name: str) -> bool:
    """Whether a field's values must stay out of the audit log."""
    if name in SECRET_NAMES or name.endswith("_hash"):
        return True
    return model._meta.app_label.startswith("otp_") and name in OTP_SECRET_NAMES


def admin_snapshot(instance: models.Model) -> dict[str, str]:
    """Every stored field but the primary key (the event's target) as text, relations by id;
    many-to-many fields as sorted ids."""
    opts = instance._meta
    names = [field.name for field in opts.concrete_fields if not field.primary_key]
    if isinstance(getattr(instance, "custom_fields", None), dict):
        # snapshot() lists custom fields one key each; the whole dict again would repeat them.
        names.remove("custom_fields")
    values = snapshot(instance, names)
    if instance.pk is not None:
        for field in opts.many_to_many:
            ids = getattr(instance, field.name).values_list("pk", flat=True)
            values[field.name] = ", ".join(str(pk) for pk in sorted(ids))
    return values


def field_changes(
    model: type[models.Model], before: dict[str, str], after: dict[str, str]
) -> dict[str, list[str]]:
    """``{field: [before, after]}`` of the fields that differ, secrets as "[hidden]"."""
    changed = changes(before, after)
    for name, pair in changed.items():
        if is_secret(model, name):
            changed[name] = [HIDDEN if value else "" for value in pair]
    return changed


def _stored(model: type[models.Model], pks: Iterable[Any]) -> dict[Any, dict[str, str]]:
    """The stored rows of ``model`` with these primary keys, as snapshots by key."""
    wanted = [pk for pk in pks if pk is not None]
    if not wanted:
        return {}
    return {row.pk: admin_snapshot(row) for row in model._base_manager.filter(pk__in=wanted)}


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Records the admin's adds, changes and deletes as audit events with before/after."""

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        # Every admin page that changes one record loads it here first (the change form,
        # the user's password form): its values now are the "before" of what follows.
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            setattr(obj, BEFORE, admin_snapshot(obj))
        return obj

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: Any) -> None:
        if not change:
            setattr(obj, BEFORE, {})
        elif not hasattr(obj, BEFORE):
            # The list page's editable columns load rows without get_object.
            setattr(obj, BEFORE, _stored(type(obj), [obj.pk]).get(obj.pk, {}))
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: Any) -> None:
        model = formset.model
        before = _stored(model, [f.instance.pk for f in formset.initial_forms])
        super().save_formset(request, form, formset, change)
        after = _stored(model, [*before, *(obj.pk for obj in formset.new_objects)])
        parent_link = getattr(getattr(formset, "fk", None), "name", None)
        found: dict[str, list[str]] = getattr(form.instance, INLINE_CHANGES, {})
        for pk in sorted({*before, *after}, key=str):
            old, new = before.get(pk, {}), after.get(pk, {})
            for name, pair in field_changes(model, old, new).items():
                if name != parent_link:
                    found[f"{formset.prefix}[{pk}].{name}"] = pair
        setattr(form.instance, INLINE_CHANGES, found)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        self._record_save(request, obj, verb="admin.added", message=message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        self._record_save(request, obj, verb="admin.changed", message=message)
        return super().log_change(request, obj, message)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._record_deletions(request, [obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The "Delete selected" action: one event per object, in the deleting transaction."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._record_deletions(request, list(queryset))
            super().delete_queryset(request, queryset)

    def _record_save(self, request: HttpRequest, obj: Any, *, verb: str, message: Any) -> None:
        before = getattr(obj, BEFORE, None)
        if before is None:
            # A page of its own that neither loads nor saves the usual way: what it says.
            data: dict[str, Any] = {"message": message}
        else:
            after = _stored(type(obj), [obj.pk]).get(obj.pk, {})
            changed = field_changes(type(obj), before, after)
            data = {"changed": changed | getattr(obj, INLINE_CHANGES, {})}
        for name in (BEFORE, INLINE_CHANGES):
            if hasattr(obj, name):
                delattr(obj, name)
        record_event(actor=request.user, verb=verb, target=obj, data=data)

    def _record_deletions(self, request: HttpRequest, objects: list[Any]) -> None:
        # Recorded before the rows go, like the admin's own log: the target id is still
        # there, and deleting one's own user leaves the event without an actor, not failing.
        stored = _stored(self.model, [obj.pk for obj in objects])
        for obj in objects:
            values = stored.get(obj.pk) or admin_snapshot(obj)
            record_event(
                actor=request.user,
                verb="admin.deleted",
                target=obj,
                data={
                    "changed": field_changes(type(obj), values, {}),
                    "object": str(obj)[:200],
                },
            )


def audit_admin_site(site: admin.AdminSite) -> None:
    """Register every model of ``site`` again with its ModelAdmin audited; safe to repeat."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdmin):
            continue
        original = type(model_admin)
        audited = type(
            f"Audited{original.__name__}", (AuditedAdmin, original), {"__module__": __name__}
        )
        site.unregister(model)
        site.register(model, audited)
