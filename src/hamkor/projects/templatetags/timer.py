"""``{% running_timer %}`` for the top bar and ``{% timer_button project task %}`` for pages."""

from __future__ import annotations

from typing import Any

from django import template

from hamkor.projects.forms_time import format_minutes
from hamkor.projects.selectors.time import get_running_timer

register = template.Library()


def _running(context: template.Context) -> Any:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # One lookup per page even when the bar and a button both ask.
    if "_running_timer" not in context.render_context:
        context.render_context["_running_timer"] = get_running_timer(viewer=user)
    return context.render_context["_running_timer"]


@register.inclusion_tag("projects/_timer_indicator.html", takes_context=True)
def running_timer(context: template.Context) -> dict[str, Any]:
    """The running timer (or nothing) in the top bar, with a stop button."""
    return {
        "entry": _running(context),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("projects/_timer_button.html", takes_context=True)
def timer_button(context: template.Context, project: Any, task: Any = None) -> dict[str, Any]:
    """Start/stop for a project or task page; stops show only for the timer running here."""
    entry = _running(context)
    task = task or None
    here = (
        entry is not None
        and entry.project_id == project.pk
        and entry.task_id == (task.pk if task is not None else None)
    )
    return {
        "project": project,
        "task": task,
        "entry": entry,
        "here": here,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def hours_minutes(minutes: int | None) -> str:
    """95 -> "1:35"."""
    return format_minutes(minutes)
