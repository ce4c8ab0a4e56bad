"""Reads for automation: rules, their runs, webhooks and their delivery log."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet

from hamkor.automation.models import (
    TIME_TRIGGERS,
    Rule,
    RuleRun,
    WebhookDelivery,
    WebhookEndpoint,
)


def list_rules() -> QuerySet[Rule]:
    """Every rule by name, with how often it ran and when last (rules are organisation-wide)."""
    return (
        Rule.objects.select_related("owner")
        .annotate(run_count=Count("runs"), last_run_at=Max("runs__started_at"))
        .order_by("name", "id")
    )


def get_rule(*, pk: int) -> Rule:
    """One rule; raises Rule.DoesNotExist."""
    return Rule.objects.select_related("owner").get(pk=pk)


def list_rules_for_verb(*, verb: str) -> list[int]:
    """Ids of switched-on rules listening to an audit verb."""
    return list(
        Rule.objects.filter(enabled=True, verb=verb).order_by("pk").values_list("pk", flat=True)
    )


def list_time_rules() -> list[int]:
    """Ids of switched-on rules with a time trigger."""
    return list(
        Rule.objects.filter(enabled=True, trigger__in=list(TIME_TRIGGERS))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def list_runs(*, rule: Rule) -> QuerySet[RuleRun]:
    """A rule's run log, newest first."""
    return RuleRun.objects.filter(rule=rule).order_by("-started_at", "-id")


def list_endpoints() -> QuerySet[WebhookEndpoint]:
    """Every webhook by name, with its delivery count."""
    return WebhookEndpoint.objects.annotate(delivery_count=Count("deliveries")).order_by(
        "name", "id"
    )


def get_endpoint(*, pk: int) -> WebhookEndpoint:
    """One webhook; raises WebhookEndpoint.DoesNotExist."""
    return WebhookEndpoint.objects.get(pk=pk)


def has_subscribed_endpoints(*, verb: str) -> bool:
    """Whether any active webhook wants events with this verb."""
    return any(
        "*" in events or verb in events
        for events in WebhookEndpoint.objects.filter(is_active=True).values_list(
            "events", flat=True
        )
    )


def list_deliveries(*, endpoint: WebhookEndpoint | None = None) -> QuerySet[WebhookDelivery]:
    """The delivery log, newest first; one webhook's when given."""
    queryset = WebhookDelivery.objects.select_related("endpoint")
    if endpoint is not None:
        queryset = queryset.filter(endpoint=endpoint)
    return queryset.order_by("-created_at", "-id")


def get_delivery(*, pk: int) -> WebhookDelivery:
    """One delivery; raises WebhookDelivery.DoesNotExist."""
    return WebhookDelivery.objects.select_related("endpoint").get(pk=pk)
