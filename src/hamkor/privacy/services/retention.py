"""Retention policies: a dry run lists what would go; the worker erases and deletes it
once a person reviewed that dry run and enabled the policy."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.activities.models import Activity, Interaction
from hamkor.contacts.models import Contact, Stage
from hamkor.core.audit import record_event
from hamkor.privacy.holdings import Holdings, collect_holdings, identifying_values
from hamkor.privacy.models import PolicyKind, RetentionPolicy, RetentionRun
from hamkor.privacy.services.erasure import NOT_PERSONAL_MODELS, erase_holdings

logger = logging.getLogger(__name__)

SAMPLE_SIZE = 20
# Contacts erased per transaction: one sweep of every table serves the whole batch.
BATCH_SIZE = 50
AVERAGE_MONTH_DAYS = 30.44


def get_policy(*, kind: str = PolicyKind.STALE_LEADS) -> RetentionPolicy:
    """The policy of ``kind``, created disabled (24 months) the first time it is asked for."""
    policy, _created = RetentionPolicy.objects.get_or_create(kind=kind)
    return policy


def cutoff_for(policy: RetentionPolicy, now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment before which a lead counts as without interaction."""
    days = round(policy.months * AVERAGE_MONTH_DAYS)
    return (now or timezone.now()) - datetime.timedelta(days=days)


def _protected_relations() -> list[models.ForeignObjectRel]:
    # Orders, invoices, deals, projects, tickets: whatever the models PROTECT a contact with
    # (found via meta, so a later app's money rows keep their contact too).
    return [
        relation
        for relation in Contact._meta.get_fields(include_hidden=True)
        if isinstance(relation, models.ForeignObjectRel)
        and relation.auto_created
        and not relation.concrete
        and relation.on_delete in (models.PROTECT, models.RESTRICT)
    ]


def stale_leads(policy: RetentionPolicy) -> models.QuerySet[Contact]:
    """Leads created and last touched before the cutoff, with no interaction or activity
    since, and nothing the company must keep (no order, invoice, deal, project, ticket)."""
    cutoff = cutoff_for(policy)
    queryset = Contact._base_manager.filter(
        stage=Stage.LEAD, merged_into__isnull=True, created_at__lt=cutoff, updated_at__lt=cutoff
    )
    queryset = queryset.exclude(
        Exists(Interaction.objects.filter(contact=OuterRef("pk"), occurred_at__gte=cutoff))
    ).exclude(
        Exists(
            Activity.objects.filter(contact=OuterRef("pk")).filter(
                models.Q(due_at__gte=cutoff) | models.Q(done_at__gte=cutoff)
            )
        )
    )
    for relation in _protected_relations():
        child = relation.related_model
        assert isinstance(child, type)  # noqa: S101 - a reverse relation names its model
        queryset = queryset.exclude(
            Exists(child._base_manager.filter(**{relation.field.name: OuterRef("pk")}))
        )
    return queryset.order_by("pk")


@dataclass(frozen=True)
class DryRun:
    run: RetentionRun
    sample: list[Contact]


@transaction.atomic
def dry_run_policy(*, policy: RetentionPolicy, actor: User | None) -> DryRun:
    """Count and sample what a run would erase and delete; nothing else changes.

    A new dry run asks for a new review: what the reviewer saw is what the worker acts on.
    """
    matching = stale_leads(policy)
    count = matching.count()
    sample = list(matching[:SAMPLE_SIZE])
    run = RetentionRun.objects.create(
        policy=policy,
        dry_run=True,
        matched=count,
        sample_ids=[c.pk for c in sample],
        finished_at=timezone.now(),
    )
    policy.last_dry_run_at = run.finished_at
    policy.last_dry_run_count = count
    policy.reviewed_at = None
    policy.reviewed_by = None
    policy.save(
        update_fields=["last_dry_run_at", "last_dry_run_count", "reviewed_at", "reviewed_by"]
    )
    record_event(
        actor=actor, verb="privacy.retention_dry_run", target=policy, data={"matched": count}
    )
    return DryRun(run=run, sample=sample)


@transaction.atomic
def update_policy(
    *, policy: RetentionPolicy, months: int, enabled: bool, actor: User | None
) -> RetentionPolicy:
    """Change the policy; a new number of months voids the review of the last dry run."""
    if months < 1:
        raise ValidationError({"months": _("Give at least one month.")})
    if months != policy.months:
        policy.reviewed_at = None
        policy.reviewed_by = None
        policy.last_dry_run_at = None
    policy.months = months
    policy.enabled = enabled
    policy.full_clean()
    policy.save()
    record_event(
        actor=actor,
        verb="privacy.policy_changed",
        target=policy,
        data={"months": months, "enabled": enabled},
    )
    return policy


@transaction.atomic
def review_policy(*, policy: RetentionPolicy, actor: User) -> RetentionPolicy:
    """Record that ``actor`` looked at the last dry run: the worker may now act."""
    if policy.last_dry_run_at is None:
        raise ValidationError(_("Run a dry run first, then review what it found."))
    policy.reviewed_at = timezone.now()
    policy.reviewed_by = actor
    policy.save(update_fields=["reviewed_at", "reviewed_by"])
    record_event(actor=actor, verb="privacy.retention_reviewed", target=policy)
    return policy


def run_policy(*, policy: RetentionPolicy) -> RetentionRun:
    """Erase and delete the matching leads, in batches; log the run.

    Refuses a disabled or unreviewed policy (the worker skips those). Each batch is one
    transaction, so a failure keeps the batches before it and the run says where it stopped.
    """
    if not policy.enabled or policy.reviewed_at is None:
        raise ValidationError(_("Enable the policy and review a dry run before it runs."))
    run = RetentionRun.objects.create(policy=policy, dry_run=False)
    ids = list(stale_leads(policy).values_list("pk", flat=True))
    run.matched = len(ids)
    run.sample_ids = ids[:SAMPLE_SIZE]
    try:
        for start in range(0, len(ids), BATCH_SIZE):
            run.deleted += _erase_and_delete(ids[start : start + BATCH_SIZE], policy)
    except Exception as error:
        logger.exception("Retention run failed", extra={"policy": policy.pk, "run": run.pk})
        run.error = str(error)
    run.finished_at = timezone.now()
    run.save()
    policy.last_run_at = run.finished_at
    policy.save(update_fields=["last_run_at"])
    record_event(
        actor=None,
        verb="privacy.retention_run",
        target=policy,
        data={"run": run.pk, "matched": run.matched, "deleted": run.deleted},
    )
    return run


@transaction.atomic
def _erase_and_delete(ids: list[int], policy: RetentionPolicy) -> int:
    # Re-checked inside the transaction: a lead that got an order meanwhile stays.
    contacts = list(stale_leads(policy).filter(pk__in=ids).select_for_update())
    if not contacts:
        return 0
    merged = Holdings(contact_ids=[])
    values: dict[str, list[str]] = {"full_names": [], "name_parts": [], "phones": [], "emails": []}
    for contact in contacts:
        holdings = collect_holdings(contact, keep_out=NOT_PERSONAL_MODELS)
        merged.contact_ids.extend(holdings.contact_ids)
        for model, pks in holdings.rows.items():
            merged.rows.setdefault(model, set()).update(pks)
        for key, found in identifying_values(contact).items():
            values[key].extend(found)
    erase_holdings(holdings=merged, values=values)
    deleted = len(merged.contact_ids)
    Contact._base_manager.filter(pk__in=merged.contact_ids).delete()
    return deleted


def run_due_policies() -> list[RetentionRun]:
    """The worker's daily job: run every enabled, reviewed policy."""
    runs = []
    for policy in RetentionPolicy.objects.filter(enabled=True, reviewed_at__isnull=False).order_by(
        "pk"
    ):
        runs.append(run_policy(policy=policy))
    return runs
