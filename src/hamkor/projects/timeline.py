"""Projects on the customer timeline (started, done) and a projects panel on the contact card."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.core.models import AuditEvent
from hamkor.core.panels import ContactPanel, register_panel
from hamkor.core.timeline import TimelineEntry, TimelineQuery, TimelineSource, register_source
from hamkor.projects.models import Project, ProjectStatus

KIND = "project"
PANEL_TEMPLATE = "projects/_contact_panel.html"


def project_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """Projects of the given contacts or companies: when each started and, if so, finished."""
    if not query.contact_ids and not query.company_ids:
        return []
    if query.channel and query.channel != KIND:
        return []
    match = Q()
    if query.contact_ids:
        match |= Q(contact_id__in=query.contact_ids)
    if query.company_ids:
        match |= Q(company_id__in=query.company_ids)
    projects = list(
        Project.objects.filter(match)
        .select_related("owner")
        .order_by("-created_at", "-id")[: query.limit]
    )
    done_ids = [str(p.pk) for p in projects if p.status == ProjectStatus.DONE]
    finished: dict[str, Any] = {}
    if done_ids:
        # The latest move to "done" is when the project finished.
        for event in AuditEvent.objects.filter(
            target_type=Project._meta.label_lower,
            target_id__in=done_ids,
            verb="project.status_changed",
        ).order_by("created_at", "id"):
            if event.data.get("to") == ProjectStatus.DONE:
                finished[event.target_id] = event.created_at
    label = str(_("Projects"))
    statuses = {value: str(text) for value, text in ProjectStatus.choices}
    entries = []
    for project in projects:
        url = reverse("projects:detail", args=[project.pk])
        common: dict[str, Any] = {
            "kind": KIND,
            "object_id": project.pk,
            "channel": KIND,
            "channel_label": label,
            "url": url,
            "actor": str(project.owner) if project.owner else "",
            "outcome": statuses.get(project.status, project.status),
        }
        entries.append(
            TimelineEntry(
                occurred_at=project.created_at,
                title=_("Project started: %(name)s") % {"name": project.name},
                body=project.description,
                **common,
            )
        )
        if str(project.pk) in finished:
            entries.append(
                TimelineEntry(
                    occurred_at=finished[str(project.pk)],
                    title=_("Project done: %(name)s") % {"name": project.name},
                    **common,
                )
            )
    entries.sort(key=lambda e: e.occurred_at, reverse=True)
    return entries[: query.limit]


def projects_panel_context(contact: Any, viewer: Any) -> dict[str, Any] | None:
    """The contact's (and their company's) projects with progress; hidden when none."""
    from hamkor.projects.selectors.projects import list_customer_projects, progress_percent

    projects = list_customer_projects(
        viewer=viewer, contact_id=contact.pk, company_id=contact.company_id
    )
    if not projects:
        return None
    for project in projects:
        setattr(project, "progress", progress_percent(project))  # noqa: B010 - for the template
    return {"projects": projects, "contact": contact}


def register() -> None:
    register_source(
        TimelineSource(
            kind=KIND,
            label=gettext_lazy("Projects"),
            fetch=project_entries,
            channels=[(KIND, gettext_lazy("Projects"))],
        )
    )
    register_panel(
        ContactPanel(
            key="projects",
            template=PANEL_TEMPLATE,
            context=projects_panel_context,
            order=20,
            lazy=True,
        )
    )
