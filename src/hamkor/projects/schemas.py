"""Request and response shapes of the projects, tasks and workflow templates API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from hamkor.contacts.schemas import (
    BodyIn,
    ContactRefOut,
    Id,
    PageIn,
    RefOut,
    Text,
    UserRefOut,
    optional,
)
from hamkor.projects.models import Project, Task, TaskAttachment, WorkflowTemplate

# Literal copies of the model choices, so OpenAPI lists the allowed values;
# tests/projects/test_api.py checks they stay equal to the models' choices.
ProjectStatusValue = Literal["planned", "active", "on_hold", "done", "cancelled"]
TaskStatusValue = Literal["todo", "in_progress", "waiting", "done"]
RoleValue = Literal["admin", "manager", "sales", "operations", "finance", "support"]


class DealRefOut(Schema):
    id: int
    title: str


class ProjectOut(Schema):
    id: int
    uuid: str
    name: str
    description: str
    status: ProjectStatusValue
    contact: ContactRefOut | None
    company: RefOut | None
    deal: DealRefOut | None
    template: RefOut | None
    owner: UserRefOut | None = Field(description="The project manager.")
    team_id: int | None
    start_date: datetime.date | None
    due_date: datetime.date | None
    budget_hours: Decimal | None
    budget_amount: Decimal | None
    currency: str
    task_count: int = Field(description="All tasks of the project.")
    done_count: int = Field(description="Tasks done.")
    progress: int = Field(description="Per cent of tasks done, 0-100.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_uuid(obj: Project) -> str:
        return str(obj.uuid)

    @staticmethod
    def resolve_progress(obj: Project) -> int:
        from hamkor.projects.selectors.projects import progress_percent

        return progress_percent(obj)

    @staticmethod
    def resolve_task_count(obj: Project) -> int:
        return int(getattr(obj, "task_count", 0) or 0)

    @staticmethod
    def resolve_done_count(obj: Project) -> int:
        return int(getattr(obj, "done_count", 0) or 0)


class ProjectListOut(Schema):
    items: list[ProjectOut]
    count: int = Field(description="All matching projects, not only this page.")


class ProjectFilterIn(PageIn):
    status: ProjectStatusValue | Literal[""] = ""
    q: Text = Field("", max_length=100, description="Part of the name or the customer's name.")
    contact_id: Id | None = None
    company_id: Id | None = None
    deal_id: Id | None = None


class _ProjectFieldsIn(BodyIn):
    description: Text = optional(max_length=10_000)
    contact_id: Id | None = optional(description="A contact or a company is needed.")
    company_id: Id | None = optional()
    deal_id: Id | None = optional(description="The deal the project came from.")
    owner_id: Id | None = optional(description="The manager; defaults to you on create.")
    start_date: datetime.date | None = optional()
    due_date: datetime.date | None = optional()
    budget_hours: Decimal | None = optional(ge=0, max_digits=10, decimal_places=2)
    budget_amount: Decimal | None = optional(ge=0, max_digits=16, decimal_places=2)
    currency: Text = optional(min_length=3, max_length=3, description="ISO 4217 code, e.g. USD.")


class ProjectCreateIn(_ProjectFieldsIn):
    name: Text = Field(min_length=1, max_length=200)
    status: ProjectStatusValue = "planned"


class ProjectUpdateIn(_ProjectFieldsIn):
    name: Text = optional(min_length=1, max_length=200)
    status: ProjectStatusValue = optional(description="Changed through the status rules.")


class FromTemplateIn(_ProjectFieldsIn):
    template_id: Id
    name: Text = Field(min_length=1, max_length=200)
    start_date: datetime.date | None = Field(None, description="Defaults to today.")
    due_date: datetime.date | None = Field(None, description="Defaults to the last deadline.")


class TaskRefOut(Schema):
    id: int
    title: str
    status: TaskStatusValue


class TaskOut(Schema):
    id: int
    project_id: int
    title: str
    description: str
    status: TaskStatusValue
    assignee: UserRefOut | None
    role: RoleValue | Literal[""] = Field(description="Who may pick it up when unassigned.")
    due_date: datetime.date | None
    estimate_hours: Decimal | None
    position: int
    depends_on: list[TaskRefOut] = Field(description="Tasks this one waits for.")
    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_depends_on(obj: Task) -> list[Task]:
        return list(obj.depends_on.all())


class TaskListOut(Schema):
    items: list[TaskOut]
    count: int


class TaskFilterIn(PageIn):
    status: TaskStatusValue | Literal[""] = ""


class _TaskFieldsIn(BodyIn):
    description: Text = optional(max_length=10_000)
    assignee_id: Id | None = optional(description="null leaves it for the role to pick up.")
    role: RoleValue | Literal[""] = optional()
    due_date: datetime.date | None = optional()
    estimate_hours: Decimal | None = optional(ge=0, max_digits=8, decimal_places=2)
    position: int = optional(ge=0, le=1_000_000)


class TaskCreateIn(_TaskFieldsIn):
    title: Text = Field(min_length=1, max_length=200)


class TaskUpdateIn(_TaskFieldsIn):
    title: Text = optional(min_length=1, max_length=200)
    status: TaskStatusValue = optional(
        description="A task that waits for an unfinished one cannot start or be done."
    )


class DependencyIn(BodyIn):
    depends_on_id: Id = Field(description="A task of the same project this one waits for.")


class DependencyListOut(Schema):
    items: list[TaskRefOut]
    count: int


class ChecklistItemOut(Schema):
    id: int
    text: str
    done: bool
    position: int


class ChecklistOut(Schema):
    items: list[ChecklistItemOut]
    count: int


class ChecklistItemIn(BodyIn):
    text: Text = Field(min_length=1, max_length=300)


class ChecklistItemUpdateIn(BodyIn):
    done: bool


class CommentOut(Schema):
    id: int
    author: UserRefOut | None
    body: str
    created_at: datetime.datetime


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="The file name as uploaded.")
    size: int = Field(description="Bytes.")
    content_type: str
    uploaded_by: UserRefOut | None
    created_at: datetime.datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj: TaskAttachment) -> str:
        return f"/api/v1/tasks/{obj.task_id}/attachments/{obj.pk}"


class AttachmentListOut(Schema):
    items: list[AttachmentOut]
    count: int


class CommentListOut(Schema):
    items: list[CommentOut]
    count: int


class CommentIn(BodyIn):
    body: Text = Field(min_length=1, max_length=10_000)


class StepOut(Schema):
    id: int
    position: int
    title: str
    description: str
    role: RoleValue
    offset_working_days: int = Field(description="Working days after the previous step.")
    estimate_hours: Decimal | None
    waits_for_previous: bool
    handoff_note: str


class WorkflowTemplateOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: WorkflowTemplate) -> list[object]:
        return list(obj.steps.all())


class WorkflowTemplateListOut(Schema):
    items: list[WorkflowTemplateOut]
    count: int


class StepIn(BodyIn):
    title: Text = Field(min_length=1, max_length=200)
    description: Text = ""
    role: RoleValue
    offset_working_days: int = Field(1, ge=0, le=365)
    estimate_hours: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    waits_for_previous: bool = True
    handoff_note: Text = Field("", max_length=5000)


class WorkflowTemplateCreateIn(BodyIn):
    name: Text = Field(min_length=1, max_length=200)
    description: Text = ""
    is_active: bool = True
    steps: list[StepIn] = Field(min_length=1, max_length=100, description="In order.")


class WorkflowTemplateUpdateIn(BodyIn):
    name: Text = optional(min_length=1, max_length=200)
    description: Text = optional()
    is_active: bool = optional()
    steps: list[StepIn] = optional(
        min_length=1, max_length=100, description="Replaces every step, in order."
    )
