"""Reads of the privacy app: who may act, the request log, policies and their runs."""

from __future__ import annotations

from django.db.models import QuerySet

from hamkor.accounts.models import Role, User
from hamkor.contacts.models import Contact
from hamkor.privacy.holdings import collect_holdings
from hamkor.privacy.models import PrivacyRequest, RetentionPolicy, RetentionRun


def can_manage_privacy(user: User) -> bool:
    """Administrators only: an export shows everything, an erasure cannot be undone."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def list_requests(*, contact_id: int | None = None) -> QuerySet[PrivacyRequest]:
    """The request log, newest first; one person's requests with ``contact_id``."""
    queryset = PrivacyRequest.objects.select_related("requested_by")
    if contact_id is not None:
        queryset = queryset.filter(contact_id_value=contact_id)
    return queryset.order_by("-requested_at", "-id")


def get_request(*, pk: int) -> PrivacyRequest:
    """One request of the log (DoesNotExist when there is none)."""
    return PrivacyRequest.objects.select_related("requested_by").get(pk=pk)


def get_subject(*, pk: int) -> Contact:
    """A contact to export or erase, archived or not (DoesNotExist when there is none)."""
    return Contact._base_manager.select_related("company", "source").get(pk=pk)


def count_holdings(*, contact: Contact) -> dict[str, int]:
    """Rows held about the person, per kind of record, for the page before acting."""
    holdings = collect_holdings(contact)
    return {
        f"{model._meta.app_label}.{model._meta.object_name}": len(pks)
        for model, pks in sorted(holdings.rows.items(), key=lambda item: item[0]._meta.label)
    }


def list_policies() -> QuerySet[RetentionPolicy]:
    """Retention policies by kind."""
    return RetentionPolicy.objects.select_related("reviewed_by").order_by("kind")


def list_runs(*, policy: RetentionPolicy, limit: int = 20) -> list[RetentionRun]:
    """The latest runs of a policy, newest first."""
    return list(policy.runs.order_by("-started_at", "-id")[:limit])
