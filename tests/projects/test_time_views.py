"""Time pages: timer buttons and top bar, timesheet, manual entries, rates."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.projects.models import HourlyRate, TimeEntry
from hamkor.projects.services.time import mark_time_invoiced, start_timer
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def worker():
    return UserFactory(username="dev", time_zone="Asia/Tashkent")


@pytest.fixture
def task(worker):
    return TaskFactory(
        project=ProjectFactory(owner=worker, team=worker.team, name="Website"),
        assignee=worker,
        title="Homepage design",
    )


@pytest.fixture
def browser(client, worker):
    client.force_login(worker)
    return client


def test_timer_start_by_htmx_answers_a_stop_button_and_an_event(browser, task):
    response = browser.post(
        reverse("projects:timer_start"), {"project": task.project_id, "task": task.pk}, **HTMX
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "timer-changed"
    assert b'data-timer="stop"' in response.content
    assert TimeEntry.objects.get(ended_at__isnull=True).task == task


def test_timer_start_on_a_hidden_task_is_404(browser):
    hidden = TaskFactory(project=ProjectFactory(owner=UserFactory(), team=None))

    response = browser.post(reverse("projects:timer_start"), {"task": hidden.pk})

    assert response.status_code == 404
    assert not TimeEntry.objects.exists()


def test_timer_start_elsewhere_says_the_running_one_stopped(browser, task, worker):
    start_timer(actor=worker, project=task.project, task=task)
    other = TaskFactory(project=task.project, title="Logo")

    response = browser.post(reverse("projects:timer_start"), {"task": other.pk}, **HTMX)

    assert b"The timer on Homepage design was stopped" in response.content
    assert TimeEntry.objects.get(ended_at__isnull=True).task == other


def test_top_bar_shows_the_running_timer_on_every_page(browser, task, worker):
    start_timer(actor=worker, project=task.project, task=task)

    page = browser.get(reverse("projects:my_tasks")).content.decode()

    assert 'id="timer-indicator"' in page
    assert "Homepage design" in page
    assert 'data-timer="topbar-stop"' in page


def test_top_bar_stop_stops_the_timer(browser, task, worker):
    start_timer(actor=worker, project=task.project, task=task)

    response = browser.post(reverse("projects:timer_stop"), **HTMX)

    assert response.status_code == 200
    assert b"topbar-stop" not in response.content
    assert not TimeEntry.objects.filter(ended_at__isnull=True).exists()


def test_timer_stop_without_a_timer_says_so(browser, task):
    response = browser.post(
        reverse("projects:timer_stop"), {"project": task.project_id, "task": task.pk}, **HTMX
    )

    assert b"No timer of yours is running." in response.content


def test_timer_button_include_renders_start_for_a_task(browser, task):
    response = browser.get(
        reverse("projects:timer_button"), {"project": task.project_id, "task": task.pk}
    )

    assert b'data-timer="start"' in response.content


def test_task_and_project_pages_offer_to_start_the_timer(browser, task):
    task_page = browser.get(reverse("projects:task_detail", args=[task.pk]))
    project_page = browser.get(reverse("projects:detail", args=[task.project_id]))

    assert b'data-timer="start"' in task_page.content
    assert f'name="task" value="{task.pk}"'.encode() in task_page.content
    assert b'data-timer="start"' in project_page.content


def test_task_page_offers_to_stop_the_timer_running_on_it(browser, task, worker):
    start_timer(actor=worker, project=task.project, task=task)

    response = browser.get(reverse("projects:task_detail", args=[task.pk]))

    assert b'data-timer="stop"' in response.content


def test_timesheet_lists_this_weeks_entries_with_day_totals(browser, task, worker):
    today = timezone.localdate()
    midday = timezone.make_aware(datetime.datetime.combine(today, datetime.time(3, 0)))
    TimeEntryFactory(task=task, user=worker, started_at=midday, minutes=90, note="Sketches")
    TimeEntryFactory(task=task, user=worker, started_at=midday, minutes=30)
    TimeEntryFactory(task=task, user=UserFactory(), started_at=midday, minutes=600)

    page = browser.get(reverse("projects:timesheet")).content.decode()

    assert "Sketches" in page
    assert f'data-day-total="{today:%Y-%m-%d}">2:00<' in page
    assert "Total 2:00 h" in page


def test_log_time_from_the_timesheet(browser, task):
    day = timezone.localdate() - datetime.timedelta(days=1)

    response = browser.post(
        reverse("projects:time_create"),
        {
            "project": task.project_id,
            "task": task.pk,
            "day": day.isoformat(),
            "duration": "1:45",
            "note": "Wireframes",
            "billable": "on",
        },
    )

    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.note, entry.billable) == (105, "Wireframes", True)


def test_log_time_with_start_and_end_times(browser, task):
    day = timezone.localdate() - datetime.timedelta(days=1)

    browser.post(
        reverse("projects:time_create"),
        {
            "project": task.project_id,
            "day": day.isoformat(),
            "start_time": "09:15",
            "end_time": "10:00",
        },
    )

    assert TimeEntry.objects.get().minutes == 45


def test_log_time_with_a_bad_duration_keeps_the_input_and_says_why(browser, task):
    response = browser.post(
        reverse("projects:time_create"),
        {"project": task.project_id, "day": "2026-01-05", "duration": "a while", "note": "Kept"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Write the duration like 1:30, 1.5 or 90m." in page
    assert 'value="Kept"' in page
    assert not TimeEntry.objects.exists()


def test_log_time_in_the_future_shows_the_service_error(browser, task):
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)

    response = browser.post(
        reverse("projects:time_create"),
        {"project": task.project_id, "day": tomorrow.isoformat(), "duration": "1"},
    )

    assert response.status_code == 422
    assert b"Time cannot be logged in the future." in response.content


def test_edit_entry_changes_its_duration(browser, task, worker):
    entry = TimeEntryFactory(task=task, user=worker)

    response = browser.post(
        reverse("projects:time_edit", args=[entry.pk]),
        {
            "project": task.project_id,
            "task": task.pk,
            "day": timezone.localdate().isoformat(),
            "duration": "0:20",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.minutes == 20


def test_edit_invoiced_entry_is_refused_with_the_invoice_number(browser, task, worker):
    entry = TimeEntryFactory(task=task, user=worker)
    mark_time_invoiced(entry_ids=[entry.pk], invoice_number="2026-0077")

    response = browser.post(
        reverse("projects:time_edit", args=[entry.pk]),
        {"project": task.project_id, "day": timezone.localdate().isoformat(), "duration": "5:00"},
    )

    assert response.status_code == 422
    assert b"on invoice 2026-0077" in response.content
    entry.refresh_from_db()
    assert entry.minutes == 60


def test_edit_someone_elses_entry_is_404(browser, task):
    theirs = TimeEntryFactory(task=task, user=UserFactory())

    assert browser.get(reverse("projects:time_edit", args=[theirs.pk])).status_code == 404


def test_delete_invoiced_entry_keeps_it_and_says_why(browser, task, worker):
    entry = TimeEntryFactory(task=task, user=worker)
    mark_time_invoiced(entry_ids=[entry.pk], invoice_number="2026-0078")

    response = browser.post(reverse("projects:time_delete", args=[entry.pk]), follow=True)

    assert b"on invoice 2026-0078" in response.content
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_task_options_list_the_projects_tasks(browser, task):
    response = browser.get(reverse("projects:time_task_options"), {"project": task.project_id})

    assert b"Homepage design" in response.content


def test_rates_page_lets_a_manager_set_a_project_rate(client, task):
    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.post(
        reverse("projects:rates"), {"project": task.project_id, "rate": "35", "currency": "USD"}
    )

    assert response.status_code == 302
    assert HourlyRate.objects.get(project=task.project).rate == Decimal("35.00")


def test_rates_page_needs_exactly_one_target(client, task, worker):
    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.post(
        reverse("projects:rates"),
        {"project": task.project_id, "user": worker.pk, "rate": "35", "currency": "USD"},
    )

    assert response.status_code == 422
    assert b"Choose exactly one" in response.content


def test_rates_page_refuses_changes_from_sales(browser, task):
    response = browser.post(
        reverse("projects:rates"), {"project": task.project_id, "rate": "35", "currency": "USD"}
    )

    assert response.status_code == 403
    assert not HourlyRate.objects.exists()
