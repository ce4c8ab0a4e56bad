"""Reading import jobs: administrators see every job, managers their own."""

from __future__ import annotations

from django.db.models import QuerySet

from hamkor.accounts.models import Role, User
from hamkor.imports.models import ImportJob
from hamkor.imports.services import can_import


def list_jobs(*, viewer: User) -> QuerySet[ImportJob]:
    """Jobs the viewer may see, newest first; none for those who may not import."""
    jobs = ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")
    if not can_import(viewer):
        return jobs.none()
    if viewer.is_superuser or viewer.role == Role.ADMIN:
        return jobs
    return jobs.filter(created_by=viewer)


def get_job(*, viewer: User, pk: int) -> ImportJob:
    """One job the viewer may see; ImportJob.DoesNotExist otherwise."""
    return list_jobs(viewer=viewer).get(pk=pk)


def get_job_by_uuid(*, viewer: User, uuid: str) -> ImportJob:
    return list_jobs(viewer=viewer).get(uuid=uuid)
