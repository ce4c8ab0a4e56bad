"""Helpers shared by the project views: 404-for-invisible lookups and safe ``next``."""

from __future__ import annotations

from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from hamkor.contacts.views.common import AuthedRequest
from hamkor.projects.models import Project, Task
from hamkor.projects.selectors.projects import get_project
from hamkor.projects.selectors.tasks import get_task


def visible_project(request: AuthedRequest, pk: int) -> Project:
    """The project if the user may see it, else 404 (it does not exist for them)."""
    try:
        return get_project(viewer=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None


def visible_task(request: AuthedRequest, pk: int) -> Task:
    """The task if the user may see its project, else 404."""
    try:
        return get_task(viewer=request.user, pk=pk)
    except Task.DoesNotExist:
        raise Http404 from None


def next_url(request: AuthedRequest, fallback: str) -> str:
    """The ``next`` address when it stays on this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
