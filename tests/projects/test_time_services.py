"""Timer, manual entries, rates and capacity."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.projects.models import (
    HourlyRate,
    ProjectTimeTotal,
    TaskTimeTotal,
    TimeEntry,
    WorkCapacity,
)
from hamkor.projects.services.time import (
    TimeEntryLocked,
    TimerConflict,
    delete_time_entry,
    log_time,
    mark_time_invoiced,
    rebuild_time_totals,
    resolve_rate,
    set_hourly_rate,
    set_work_capacity,
    start_timer,
    stop_timer,
    update_time_entry,
)
from tests.accounts.factories import UserFactory
from tests.projects.factories import (
    HourlyRateFactory,
    ProjectFactory,
    TaskFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db


def test_start_timer_runs_until_stopped():
    task = TaskFactory()
    user = task.project.owner

    entry, stopped = start_timer(actor=user, project=task.project, task=task)
    entry.started_at -= datetime.timedelta(minutes=25)
    entry.save(update_fields=["started_at"])
    finished = stop_timer(actor=user)

    assert stopped is None
    assert finished.pk == entry.pk
    assert finished.ended_at is not None
    assert finished.minutes == 25


def test_start_timer_while_one_runs_stops_the_running_one():
    first, second = TaskFactory(), TaskFactory()
    user = UserFactory()

    running, _ = start_timer(actor=user, project=first.project, task=first)
    new, stopped = start_timer(actor=user, project=second.project, task=second)

    assert stopped is not None and stopped.pk == running.pk
    assert stopped.ended_at is not None
    assert list(TimeEntry.objects.filter(user=user, ended_at__isnull=True)) == [new]


def test_stop_timer_without_a_running_one_is_a_conflict():
    with pytest.raises(TimerConflict, match="No timer"):
        stop_timer(actor=UserFactory())


def test_start_timer_with_another_projects_task_is_refused():
    task, other = TaskFactory(), ProjectFactory()

    with pytest.raises(ValidationError, match="another project"):
        start_timer(actor=UserFactory(), project=other, task=task)


def test_timers_of_two_users_run_side_by_side():
    task = TaskFactory()

    start_timer(actor=UserFactory(), project=task.project, task=task)
    start_timer(actor=UserFactory(), project=task.project, task=task)

    assert TimeEntry.objects.filter(ended_at__isnull=True).count() == 2


def test_resolve_rate_prefers_task_then_project_then_user():
    task = TaskFactory()
    user = UserFactory()
    HourlyRateFactory(user=user, rate=Decimal("10"), currency="USD")
    HourlyRateFactory(user=None, project=task.project, rate=Decimal("20"), currency="EUR")
    HourlyRateFactory(user=None, task=task, rate=Decimal("30"), currency="KGS")
    other_task = TaskFactory(project=task.project)

    assert resolve_rate(user=user, project=task.project, task=task) == (Decimal("30"), "KGS")
    assert resolve_rate(user=user, project=task.project, task=other_task) == (
        Decimal("20"),
        "EUR",
    )
    assert resolve_rate(user=user, project=ProjectFactory()) == (Decimal("10"), "USD")
    assert resolve_rate(user=UserFactory(), project=ProjectFactory()) == (None, "")


def test_entry_keeps_its_rate_when_the_rate_changes_later():
    project = ProjectFactory()
    manager = UserFactory(role=Role.MANAGER)
    set_hourly_rate(actor=manager, project=project, rate=Decimal("40"), currency="usd")
    entry = log_time(actor=project.owner, project=project, day=timezone.localdate(), minutes=90)

    set_hourly_rate(actor=manager, project=project, rate=Decimal("55"), currency="USD")
    entry.refresh_from_db()

    assert (entry.rate, entry.currency) == (Decimal("40.00"), "USD")
    assert HourlyRate.objects.get(project=project).rate == Decimal("55.00")


def test_set_hourly_rate_is_for_managers_only():
    with pytest.raises(PermissionDenied):
        set_hourly_rate(actor=UserFactory(), user=UserFactory(), rate=Decimal(1), currency="USD")


def test_set_hourly_rate_refuses_unknown_currency_and_two_targets():
    manager = UserFactory(role=Role.MANAGER)

    with pytest.raises(ValidationError, match="Unknown currency"):
        set_hourly_rate(actor=manager, user=manager, rate=Decimal(1), currency="XXQ")
    with pytest.raises(ValidationError, match="exactly one"):
        set_hourly_rate(
            actor=manager, user=manager, project=ProjectFactory(), rate=Decimal(1), currency="USD"
        )


def test_log_time_for_a_day_and_duration():
    project = ProjectFactory()
    day = timezone.localdate() - datetime.timedelta(days=1)

    entry = log_time(actor=project.owner, project=project, day=day, minutes=150, note="Design")

    assert entry.minutes == 150
    assert entry.ended_at - entry.started_at == datetime.timedelta(minutes=150)
    assert entry.note == "Design"


def test_log_time_from_start_and_end_computes_minutes():
    project = ProjectFactory()
    start = timezone.now() - datetime.timedelta(hours=3)

    entry = log_time(
        actor=project.owner,
        project=project,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=1, minutes=15),
        billable=False,
    )

    assert entry.minutes == 75
    assert entry.billable is False


HOUR = datetime.timedelta(hours=1)
YESTERDAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("make_kwargs", "field"),
    [
        (lambda now: {"day": (now - YESTERDAY).date(), "minutes": 0}, "minutes"),
        (lambda now: {"day": (now - YESTERDAY).date(), "minutes": 24 * 60 + 1}, "minutes"),
        (lambda now: {"day": (now - YESTERDAY).date()}, "minutes"),
        (lambda now: {"started_at": now - HOUR, "ended_at": now - 2 * HOUR}, "ended_at"),
        (lambda now: {"started_at": now + HOUR, "minutes": 30}, "started_at"),
        (lambda now: {"minutes": 30}, "day"),
    ],
)
def test_log_time_refuses_bad_durations(make_kwargs, field):
    project = ProjectFactory()

    with pytest.raises(ValidationError) as error:
        log_time(actor=project.owner, project=project, **make_kwargs(timezone.now()))

    assert field in error.value.message_dict


def test_update_time_entry_moves_to_another_project_with_its_rate():
    entry = TimeEntryFactory()
    other = ProjectFactory()
    HourlyRateFactory(user=None, project=other, rate=Decimal("70"), currency="EUR")

    update_time_entry(entry=entry, actor=entry.user, values={"project": other, "minutes": 30})
    entry.refresh_from_db()

    assert entry.project == other
    assert entry.task is None
    assert entry.minutes == 30
    assert entry.ended_at - entry.started_at == datetime.timedelta(minutes=30)
    assert (entry.rate, entry.currency) == (Decimal("70.00"), "EUR")


def test_update_time_entry_by_someone_else_is_refused():
    entry = TimeEntryFactory()

    with pytest.raises(PermissionDenied):
        update_time_entry(entry=entry, actor=UserFactory(), values={"note": "mine now"})


def test_update_time_entry_by_a_manager_is_allowed():
    entry = TimeEntryFactory()

    update_time_entry(entry=entry, actor=UserFactory(role=Role.MANAGER), values={"note": "fixed"})

    entry.refresh_from_db()
    assert entry.note == "fixed"


def test_update_running_timer_duration_is_refused():
    entry = TimeEntryFactory(ended_at=None, minutes=None)

    with pytest.raises(ValidationError, match="Stop the timer"):
        update_time_entry(entry=entry, actor=entry.user, values={"minutes": 30})


def test_delete_invoiced_time_entry_is_refused():
    entry = TimeEntryFactory()
    mark_time_invoiced(entry_ids=[entry.pk], invoice_number="2026-0010")

    with pytest.raises(TimeEntryLocked, match="2026-0010"):
        delete_time_entry(entry=entry, actor=entry.user)

    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_delete_time_entry_removes_it():
    entry = TimeEntryFactory()

    delete_time_entry(entry=entry, actor=entry.user)

    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_set_work_capacity_replaces_the_default():
    manager, person = UserFactory(role=Role.MANAGER), UserFactory()

    set_work_capacity(actor=manager, user=person, weekly_hours=Decimal("30"))
    set_work_capacity(actor=manager, user=person, weekly_hours=Decimal("32"))

    assert WorkCapacity.objects.get(user=person).weekly_hours == Decimal("32.00")


def test_set_work_capacity_refuses_more_hours_than_a_week_has():
    with pytest.raises(ValidationError):
        set_work_capacity(
            actor=UserFactory(role=Role.ADMIN), user=UserFactory(), weekly_hours=Decimal(200)
        )


def test_time_totals_follow_logging_changing_and_deleting():
    project = ProjectFactory()
    task = TaskFactory(project=project)
    day = timezone.localdate() - datetime.timedelta(days=1)
    HourlyRateFactory(user=None, project=project, rate=Decimal("60"), currency="USD")

    entry = log_time(actor=project.owner, project=project, task=task, day=day, minutes=90)
    logged = (ProjectTimeTotal.objects.get(project=project, billable=True).minutes,)
    update_time_entry(entry=entry, actor=project.owner, values={"billable": False})
    moved = {
        t.billable: (t.minutes, t.rate_minutes)
        for t in ProjectTimeTotal.objects.filter(project=project)
    }
    delete_time_entry(entry=entry, actor=project.owner)

    assert logged == (90,)
    assert moved == {True: (0, Decimal("0.00")), False: (90, Decimal("5400.00"))}
    assert set(ProjectTimeTotal.objects.values_list("minutes", flat=True)) == {0}
    assert TaskTimeTotal.objects.get(task=task).minutes == 0


def test_time_totals_count_a_stopped_timer_not_a_running_one():
    task = TaskFactory()
    user = task.project.owner

    start_timer(actor=user, project=task.project, task=task)
    running = list(TaskTimeTotal.objects.filter(task=task).values_list("minutes", flat=True))
    stop_timer(actor=user)

    assert running == []
    assert TaskTimeTotal.objects.get(task=task).minutes == 1


def test_rebuild_time_totals_matches_the_kept_totals():
    task = TaskFactory()
    TimeEntryFactory(task=task, minutes=30)
    TimeEntryFactory(task=task, minutes=45, billable=False)
    TimeEntryFactory(task=TaskFactory(project=task.project), minutes=15, rate=None, currency="")
    kept = sorted(
        ProjectTimeTotal.objects.values_list("project_id", "billable", "currency", "minutes")
    )
    kept_tasks = sorted(TaskTimeTotal.objects.values_list("task_id", "minutes"))

    rebuild_time_totals()

    assert (
        sorted(
            ProjectTimeTotal.objects.values_list("project_id", "billable", "currency", "minutes")
        )
        == kept
    )
    assert sorted(TaskTimeTotal.objects.values_list("task_id", "minutes")) == kept_tasks
