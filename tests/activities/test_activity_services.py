import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hamkor.activities.models import Activity, ActivityKind, ActivityOutcome
from hamkor.activities.services.activities import complete_activity, plan_activity
from hamkor.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.activities.factories import ActivityFactory
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.sales.factories import DealFactory

pytestmark = pytest.mark.django_db


def test_plan_activity_takes_contact_and_company_from_the_deal():
    seller = UserFactory()
    company = CompanyFactory(owner=seller)
    deal = DealFactory(contact=ContactFactory(owner=seller, company=company))

    activity = plan_activity(
        actor=seller,
        deal=deal,
        values={
            "kind": ActivityKind.MEETING,
            "subject": "Show the design",
            "due_at": timezone.now() + datetime.timedelta(hours=3),
            "location": "Office",
        },
    )

    assert activity.contact == deal.contact
    assert activity.company == company
    assert activity.owner == seller
    assert activity.team == seller.team
    assert AuditEvent.objects.filter(verb="activity.created", target_id=str(activity.pk)).exists()


def test_plan_activity_without_subject_is_refused():
    with pytest.raises(ValidationError) as error:
        plan_activity(
            actor=UserFactory(),
            values={"kind": ActivityKind.CALL, "subject": "", "due_at": timezone.now()},
        )

    assert "subject" in error.value.message_dict


def test_complete_activity_with_follow_up_creates_both():
    activity = ActivityFactory(kind=ActivityKind.MEETING, subject="Cake tasting")
    due = timezone.now() + datetime.timedelta(days=2)

    done, follow_up = complete_activity(
        activity=activity,
        actor=activity.owner,
        outcome=ActivityOutcome.SUCCESSFUL,
        note="Liked the chocolate one",
        follow_up={"kind": ActivityKind.CALL, "due_at": due},
    )

    assert done.done_at is not None
    assert done.outcome == ActivityOutcome.SUCCESSFUL
    assert "chocolate" in done.note
    assert follow_up is not None
    assert follow_up.follow_up_of == done
    assert follow_up.contact == activity.contact
    assert follow_up.owner == activity.owner
    assert follow_up.subject == "Cake tasting"
    assert follow_up.due_at == due


def test_complete_activity_with_a_bad_follow_up_leaves_the_activity_open():
    activity = ActivityFactory()

    with pytest.raises(ValidationError) as error:
        complete_activity(
            activity=activity,
            actor=activity.owner,
            outcome=ActivityOutcome.SUCCESSFUL,
            follow_up={"due_at": timezone.now(), "subject": "x" * 300},
        )

    assert "follow_up_subject" in error.value.message_dict
    activity.refresh_from_db()
    assert activity.done_at is None
    assert Activity.objects.count() == 1


def test_complete_activity_twice_is_refused():
    activity = ActivityFactory()
    complete_activity(activity=activity, actor=activity.owner, outcome=ActivityOutcome.SUCCESSFUL)

    with pytest.raises(ValidationError):
        complete_activity(
            activity=activity, actor=activity.owner, outcome=ActivityOutcome.UNSUCCESSFUL
        )


def test_rescheduled_without_a_new_time_is_refused():
    activity = ActivityFactory()

    with pytest.raises(ValidationError) as error:
        complete_activity(
            activity=activity, actor=activity.owner, outcome=ActivityOutcome.RESCHEDULED
        )

    assert "follow_up" in error.value.message_dict
