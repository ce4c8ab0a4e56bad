"""Reads for projects, always scoped to what the viewer may see.

The visibility rule is the TeamOwned one of the other apps (owner, team; managers and
admins see all) plus the projects in which the viewer has a task, or an unassigned open
task for their role that they could pick up.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from hamkor.accounts.models import User
from hamkor.projects.models import Project, ProjectStatus, Task, TaskStatus


def project_rule(viewer: User) -> Q | None:
    """The projects the viewer may see, as one condition; None: all of them."""
    if viewer.sees_everything:
        return None
    mine = Task.objects.filter(Q(assignee=viewer) | _queue_rule(viewer)).values("project_id")
    branches = [Q(owner=viewer), Q(pk__in=mine)]
    if viewer.team_id is not None:
        branches.insert(0, Q(team_id=viewer.team_id))
    return functools.reduce(operator.or_, branches)


def _queue_rule(viewer: User) -> Q:
    # Tasks waiting for someone with the viewer's role to take them.
    return Q(assignee__isnull=True, role=viewer.role) & ~Q(status=TaskStatus.DONE)


def visible_projects(viewer: User) -> QuerySet[Project]:
    """Every project the viewer may see (see the module docstring)."""
    rule = project_rule(viewer)
    projects = Project.objects.all()
    return projects if rule is None else projects.filter(rule)


@dataclass(frozen=True)
class ProjectFilters:
    status: str = ""
    search: str = ""
    contact_id: int | None = None
    company_id: int | None = None
    deal_id: int | None = None


def with_progress(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate ``task_count`` and ``done_count`` (progress is done / all tasks)."""
    return queryset.annotate(
        task_count=Count("tasks", distinct=True),
        done_count=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
    )


def list_projects(*, viewer: User, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """Projects the viewer may see, newest first, with progress counts."""
    filters = filters or ProjectFilters()
    queryset = visible_projects(viewer)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.search.strip():
        term = filters.search.strip()
        queryset = queryset.filter(
            Q(name__icontains=term)
            | Q(company__name__icontains=term)
            | Q(contact__last_name__icontains=term)
            | Q(contact__first_name__icontains=term)
        )
    if filters.contact_id:
        queryset = queryset.filter(contact_id=filters.contact_id)
    if filters.company_id:
        queryset = queryset.filter(company_id=filters.company_id)
    if filters.deal_id:
        queryset = queryset.filter(deal_id=filters.deal_id)
    return with_progress(
        queryset.select_related("contact", "company", "owner", "deal", "template")
    ).order_by("-created_at", "-id")


def get_project(*, viewer: User, pk: int) -> Project:
    """One project the viewer may see, with progress counts; Project.DoesNotExist otherwise."""
    return with_progress(
        visible_projects(viewer).select_related(
            "contact", "company", "owner", "team", "deal", "template"
        )
    ).get(pk=pk)


def progress_percent(project: Project) -> int:
    """Share of the project's tasks that are done, 0-100 (needs ``with_progress``)."""
    total = int(getattr(project, "task_count", 0) or 0)
    done = int(getattr(project, "done_count", 0) or 0)
    return round(done * 100 / total) if total else 0


def list_customer_projects(
    *, viewer: User, contact_id: int | None = None, company_id: int | None = None
) -> list[Project]:
    """The customer's projects the viewer may see, open ones first, with progress."""
    if contact_id is None and company_id is None:
        return []
    match = Q()
    if contact_id is not None:
        match |= Q(contact_id=contact_id)
    if company_id is not None:
        match |= Q(company_id=company_id)
    closed = (ProjectStatus.DONE, ProjectStatus.CANCELLED)
    projects = list(
        with_progress(visible_projects(viewer).filter(match)).order_by("-created_at", "-id")[:20]
    )
    return sorted(projects, key=lambda p: p.status in closed)


def hours_estimated(project: Project) -> Decimal:
    """The sum of the project's task estimates, in hours."""
    from django.db.models import Sum

    total = project.tasks.aggregate(total=Sum("estimate_hours"))["total"]
    return total or Decimal(0)
