"""Writes for projects: create, edit and change status (every change audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.core.audit import changes, record_event, snapshot
from hamkor.core.locking import lock_rows
from hamkor.core.money import is_currency
from hamkor.projects.models import Project, ProjectStatus

PROJECT_FIELDS = (
    "name",
    "description",
    "contact",
    "company",
    "deal",
    "owner",
    "team",
    "start_date",
    "due_date",
    "budget_hours",
    "budget_amount",
    "currency",
)
# Status changes only through change_project_status, so each one is recorded.
CREATE_FIELDS = (*PROJECT_FIELDS, "status", "template")


def check_fields(values: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse fields a caller may not set (a typo would otherwise be silently ignored)."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )


def can_manage_project(*, viewer: User, project: Project) -> bool:
    """Managers and admins, the project's manager and its team may change a project.

    People who only see it because a task is theirs work on tasks, not on the project.
    """
    if viewer.sees_everything or project.owner_id == viewer.pk:
        return True
    return project.team_id is not None and project.team_id == viewer.team_id


def require_manager(*, viewer: User, project: Project) -> None:
    """PermissionDenied unless the viewer may change the project."""
    if not can_manage_project(viewer=viewer, project=project):
        raise PermissionDenied(_("Only the project's manager and team may change the project."))


def _check(project: Project) -> None:
    errors: dict[str, str] = {}
    if project.contact_id is None and project.company_id is None:
        errors["contact"] = _("Choose a contact or a company for the project.")
    if not is_currency(project.currency or ""):
        errors["currency"] = _("Enter a currency code such as UZS, KGS or USD.")
    if project.start_date and project.due_date and project.due_date < project.start_date:
        errors["due_date"] = _("The due date cannot be before the start date.")
    if errors:
        raise ValidationError(errors)


def _default_currency(values: dict[str, Any]) -> None:
    if values.get("currency"):
        return
    deal = values.get("deal")
    if deal is not None:
        values["currency"] = deal.currency
        return
    from django.conf import settings

    values["currency"] = settings.HAMKOR_DEFAULT_CURRENCY


@transaction.atomic
def create_project(*, values: Mapping[str, Any], actor: User | None) -> Project:
    """Create a project; the actor manages it unless an owner is given, in the owner's team."""
    values = dict(values)
    check_fields(values, CREATE_FIELDS)
    if actor is not None:
        values.setdefault("owner", actor)
    if "team" not in values:
        owner = values.get("owner")
        values["team"] = owner.team if owner is not None else None
    deal = values.get("deal")
    # The customer of the deal, unless one was chosen.
    if deal is not None and values.get("contact") is None and values.get("company") is None:
        values["contact"] = deal.contact
        values["company"] = deal.company
    _default_currency(values)
    project = Project(**values, created_by=actor if getattr(actor, "pk", None) else None)
    project.currency = (project.currency or "").upper()
    _check(project)
    project.full_clean()
    project.save()
    record_event(
        actor=actor,
        verb="project.created",
        target=project,
        data={"status": project.status, "deal": project.deal_id, "template": project.template_id},
    )
    return project


@transaction.atomic
def update_project(*, project: Project, values: Mapping[str, Any], actor: User) -> Project:
    """Change a project's details (not its status); a new manager takes it into their team."""
    values = dict(values)
    check_fields(values, PROJECT_FIELDS)
    if "owner" in values and "team" not in values:
        values["team"] = values["owner"].team if values["owner"] is not None else None
    before = snapshot(project, values)
    for name, value in values.items():
        setattr(project, name, value)
    project.currency = (project.currency or "").upper()
    _check(project)
    project.full_clean()
    project.save()
    record_event(
        actor=actor,
        verb="project.updated",
        target=project,
        data={"fields": sorted(values), "changed": changes(before, snapshot(project, values))},
    )
    return project


@transaction.atomic
def change_project_status(*, project: Project, status: str, actor: User | None) -> Project:
    """Move a project to another status (planned, active, on hold, done, cancelled)."""
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("Choose a project status.")})
    locked = lock_rows(Project, project.pk).get(project.pk)
    if locked is None:
        raise Project.DoesNotExist
    if locked.status == status:
        return locked
    previous = locked.status
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        verb="project.status_changed",
        target=locked,
        data={"from": previous, "to": status},
    )
    return locked


@transaction.atomic
def delete_project(*, project: Project, actor: User) -> None:
    """Delete a project with its tasks; ProtectedError (a conflict) once time was logged on it."""
    record_event(actor=actor, verb="project.deleted", target=project, data={"name": project.name})
    project.delete()
