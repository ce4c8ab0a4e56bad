"""Reads for workflow templates (every signed-in user may see them)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from hamkor.projects.models import WorkflowStep, WorkflowTemplate


def list_templates(*, active_only: bool = False) -> QuerySet[WorkflowTemplate]:
    """Workflow templates by name, with their steps in order."""
    queryset = WorkflowTemplate.objects.all()
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.prefetch_related(
        Prefetch("steps", queryset=WorkflowStep.objects.order_by("position", "id"))
    ).order_by("name", "id")


def get_template(*, pk: int) -> WorkflowTemplate:
    """One workflow template with its steps; WorkflowTemplate.DoesNotExist otherwise."""
    return list_templates().get(pk=pk)
