"""REST API for workflow templates: everyone reads them; managers and admins change them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hamkor.accounts.models import User
from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, PageIn
from hamkor.core.paging import list_page
from hamkor.projects.models import WorkflowTemplate
from hamkor.projects.schemas import (
    WorkflowTemplateCreateIn,
    WorkflowTemplateListOut,
    WorkflowTemplateOut,
    WorkflowTemplateUpdateIn,
)
from hamkor.projects.selectors.workflows import get_template, list_templates
from hamkor.projects.services.workflows import create_template, delete_template, update_template

router = Router(tags=["workflow templates"])
EDIT_ERRORS = {**WRITE_ERRORS, 403: WRITE_ERRORS[404]}


def _editor(request: HttpRequest) -> User:
    viewer = viewer_of(request)
    if not viewer.sees_everything:
        raise HttpError(403, _("Only managers and administrators edit workflow templates."))
    return viewer


@router.get(
    "",
    response={200: WorkflowTemplateListOut, **READ_ERRORS},
    summary="List workflow templates",
    description="By name, each with its steps in order.",
)
def list_view(request: HttpRequest, filters: Query[PageIn]) -> dict[str, Any]:
    read_query(request, filters)
    return list_page(list_templates(), offset=filters.offset, limit=filters.limit)


@router.post(
    "",
    response={201: WorkflowTemplateOut, **EDIT_ERRORS},
    summary="Create a workflow template",
    description="Steps in order; each step's deadline is `offset_working_days` working days "
    "after the previous step's (the project start for the first).",
)
def create_view(
    request: HttpRequest, payload: WorkflowTemplateCreateIn
) -> Status[WorkflowTemplate]:
    actor = _editor(request)
    template = create_template(
        values={
            "name": payload.name,
            "description": payload.description,
            "is_active": payload.is_active,
        },
        steps=[step.dict() for step in payload.steps],
        actor=actor,
    )
    return Status(201, get_template(pk=template.pk))


@router.get(
    "/{template_id}",
    response={200: WorkflowTemplateOut, **READ_ERRORS},
    summary="Get a workflow template",
)
def get_view(request: HttpRequest, template_id: int) -> WorkflowTemplate:
    return get_template(pk=template_id)


@router.patch(
    "/{template_id}",
    response={200: WorkflowTemplateOut, **EDIT_ERRORS},
    summary="Update a workflow template",
    description="Only the fields sent change; `steps` replaces all steps. Projects already "
    "started keep their tasks.",
)
def update_view(
    request: HttpRequest, template_id: int, payload: WorkflowTemplateUpdateIn
) -> WorkflowTemplate:
    actor = _editor(request)
    template = get_template(pk=template_id)
    fields = payload.dict(exclude_unset=True)
    steps = fields.pop("steps", None)
    update_template(template=template, values=fields, steps=steps, actor=actor)
    return get_template(pk=template.pk)


@router.delete(
    "/{template_id}",
    response={204: None, **EDIT_ERRORS},
    summary="Delete a workflow template",
    description="Projects started from it keep their tasks.",
)
def delete_view(request: HttpRequest, template_id: int) -> Status[None]:
    actor = _editor(request)
    delete_template(template=get_template(pk=template_id), actor=actor)
    return Status(204, None)
