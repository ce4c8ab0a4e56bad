"""Reports on project work and support: tasks, time entries, tickets."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from hamkor.projects.models import Task, TimeEntry
from hamkor.projects.selectors.tasks import visible_tasks
from hamkor.projects.selectors.time import visible_time_entries
from hamkor.reports.definitions.common import (
    CUSTOMER_TEXT,
    DT,
    B,
    C,
    D,
    M,
    N,
    _choice,
    _choice_group,
    _dates,
    _owner,
    _team,
    _text,
)
from hamkor.reports.registry import (
    Column,
    Grouping,
    Report,
    customer,
    owner_grouping,
    person,
    register,
    team_grouping,
)
from hamkor.support.models import Ticket
from hamkor.support.selectors.tickets import visible_tickets

register(
    Report(
        key="tasks",
        title=_("Tasks"),
        model=Task,
        source=lambda viewer: visible_tasks(viewer).order_by("due_date", "id"),
        columns=(
            Column("title", _("Title"), "title"),
            Column("project", _("Project"), "project__name"),
            Column("assignee", _("Assignee"), person("assignee__")),
            Column("status", _("Status"), "status", C),
            Column("due", _("Due"), "due_date", D),
            Column("estimate", _("Estimate (hours)"), "estimate_hours", N, total=True),
            Column("completed", _("Completed"), "completed_at", DT),
        ),
        filters=(
            _dates("due_date", _("Due")),
            _choice("status", _("Status")),
            _owner("assignee_id", _("Assignee")),
            _team("project__team_id"),
            _text("title", "project__name"),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            Grouping("project", _("Project"), "project_id", F("project__name")),
            owner_grouping("assignee", _("Assignee")),
        ),
    )
)

register(
    Report(
        key="time",
        title=_("Time entries"),
        model=TimeEntry,
        source=lambda viewer: visible_time_entries(viewer).order_by("-started_at", "-id"),
        currency="currency",
        columns=(
            Column("started", _("Started"), "started_at", DT),
            Column("user", _("Person"), person("user__")),
            Column("project", _("Project"), "project__name"),
            Column("task", _("Task"), "task__title"),
            Column("note", _("Note"), "note"),
            Column("minutes", _("Minutes"), "minutes", N, total=True),
            Column("billable", _("Billable"), "billable", B),
            Column("rate", _("Hourly rate"), "rate", M),
            Column("currency", _("Currency"), "currency"),
        ),
        filters=(
            _dates("started_at", _("Started")),
            _owner("user_id", _("Person")),
            _team("user__team_id"),
            _text("note", "project__name", "task__title"),
        ),
        groupings=(
            owner_grouping("user", _("Person")),
            Grouping("project", _("Project"), "project_id", F("project__name")),
            Grouping("billable", _("Billable"), "billable", type=B),
        ),
    )
)

register(
    Report(
        key="tickets",
        title=_("Tickets"),
        model=Ticket,
        source=lambda viewer: visible_tickets(viewer).order_by("-created_at", "-id"),
        pdf=True,
        columns=(
            Column("number", _("Number"), "id", N),
            Column("created", _("Opened"), "created_at", DT),
            Column("subject", _("Subject"), "subject"),
            Column("customer", _("Customer"), customer()),
            Column("type", _("Type"), "type", C),
            Column("priority", _("Priority"), "priority", C),
            Column("status", _("Status"), "status", C),
            Column("assignee", _("Assignee"), person("assignee__")),
            Column("resolved", _("Resolved"), "resolved_at", DT),
        ),
        filters=(
            _dates("created_at", _("Opened")),
            _choice("status", _("Status")),
            _choice("priority", _("Priority")),
            _choice("type", _("Type")),
            _owner("assignee_id", _("Assignee")),
            _team(),
            _text("subject", *CUSTOMER_TEXT),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            _choice_group("priority", _("Priority")),
            _choice_group("type", _("Type")),
            owner_grouping("assignee", _("Assignee")),
            team_grouping(),
        ),
    )
)
