"""Projects API routers, one module per area."""

from hamkor.projects.api import attachments as _attachments  # noqa: F401 (adds its routes)
from hamkor.projects.api.projects import projects_router, tasks_router
from hamkor.projects.api.workflows import router as workflow_templates_router

__all__ = ["projects_router", "tasks_router", "workflow_templates_router"]
