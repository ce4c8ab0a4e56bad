import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from hamkor.contacts.models import Contact
from hamkor.privacy.models import RetentionRun
from hamkor.privacy.services import (
    dry_run_policy,
    review_policy,
    run_due_policies,
    run_policy,
    update_policy,
)
from hamkor.privacy.tasks import run_retention
from tests.activities.factories import InteractionFactory
from tests.contacts.factories import ContactFactory
from tests.privacy.factories import AdminFactory, PolicyFactory
from tests.sales.factories import OrderFactory


def aged(contact, days=800):
    """The contact as if created and last changed ``days`` ago."""
    then = timezone.now() - datetime.timedelta(days=days)
    Contact.objects.filter(pk=contact.pk).update(created_at=then, updated_at=then)
    return contact


@pytest.fixture
def leads(db):
    stale = aged(ContactFactory(first_name="Stale", phone="+998907770001"))
    recent_call = aged(ContactFactory(first_name="Called"))
    InteractionFactory(contact=recent_call, occurred_at=timezone.now())
    old_call = aged(ContactFactory(first_name="OldCall"))
    InteractionFactory(contact=old_call, occurred_at=timezone.now() - datetime.timedelta(days=700))
    buyer = aged(ContactFactory(first_name="Buyer"))
    OrderFactory(contact=buyer)
    aged(buyer)
    customer = aged(ContactFactory(first_name="Customer", stage="customer"))
    new = ContactFactory(first_name="New")
    return {
        "stale": stale,
        "old_call": old_call,
        "recent_call": recent_call,
        "buyer": buyer,
        "customer": customer,
        "new": new,
    }


def test_dry_run_lists_stale_leads_and_changes_nothing(leads):
    policy = PolicyFactory(months=12)

    result = dry_run_policy(policy=policy, actor=AdminFactory())

    assert {c.pk for c in result.sample} == {leads["stale"].pk, leads["old_call"].pk}
    assert result.run.matched == 2
    assert result.run.dry_run
    assert Contact.objects.count() == 6
    policy.refresh_from_db()
    assert policy.last_dry_run_count == 2


def test_run_refuses_policy_without_reviewed_dry_run(leads):
    policy = PolicyFactory(months=12, enabled=True)
    dry_run_policy(policy=policy, actor=None)

    with pytest.raises(ValidationError):
        run_policy(policy=policy)
    assert Contact.objects.count() == 6


def test_run_erases_and_deletes_only_the_stale_leads(leads):
    policy = PolicyFactory(months=12, enabled=True)
    dry_run_policy(policy=policy, actor=None)
    review_policy(policy=policy, actor=AdminFactory())

    run = run_policy(policy=policy)

    assert run.deleted == 2
    assert run.error == ""
    remaining = set(Contact._base_manager.values_list("first_name", flat=True))
    assert {"Called", "Buyer", "Customer", "New"} <= remaining
    assert not remaining & {"Stale", "OldCall"}


def test_new_dry_run_or_months_change_asks_for_a_new_review(leads):
    admin = AdminFactory()
    policy = PolicyFactory(months=12, enabled=True)
    dry_run_policy(policy=policy, actor=admin)
    review_policy(policy=policy, actor=admin)

    update_policy(policy=policy, months=6, enabled=True, actor=admin)

    assert policy.reviewed_at is None
    assert run_due_policies() == []


def test_review_needs_a_dry_run(db):
    policy = PolicyFactory()

    with pytest.raises(ValidationError, match="dry run first"):
        review_policy(policy=policy, actor=AdminFactory())


def test_worker_task_runs_only_enabled_reviewed_policies(leads):
    policy = PolicyFactory(months=12, enabled=False)
    dry_run_policy(policy=policy, actor=None)
    review_policy(policy=policy, actor=AdminFactory())

    assert run_retention.call_local() == 0
    assert Contact.objects.count() == 6

    update_policy(policy=policy, months=12, enabled=True, actor=None)
    assert run_retention.call_local() == 2
    assert RetentionRun.objects.filter(dry_run=False).get().deleted == 2


def test_cli_retention_dry_run_prints_count_and_sample(leads, capsys):
    PolicyFactory(months=12)

    call_command("privacy", "retention", "--dry-run")

    out = capsys.readouterr().out
    assert "2 leads without interaction for 12 months would be erased." in out
    assert f"#{leads['stale'].pk}" in out
    assert Contact.objects.count() == 6


def test_cli_retention_run_refuses_unreviewed_policy(leads):
    PolicyFactory(months=12, enabled=True)

    with pytest.raises(Exception, match="review a dry run"):
        call_command("privacy", "retention")
