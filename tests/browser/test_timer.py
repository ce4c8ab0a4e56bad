"""A developer times work on a task in a real browser: start on the task page, see the timer
in the top bar, stop it there, find the entry on the timesheet."""

import re

import pytest
from playwright.sync_api import expect

from hamkor.projects.models import TimeEntry
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"


def _log_in(page, username):
    page.goto(page.base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page).to_have_url(page.base_url + "/")


@pytest.fixture
def task():
    developer = UserFactory(username="timur")
    project = ProjectFactory(name="Ala-Too website", owner=developer, team=developer.team)
    return TaskFactory(project=project, title="Build the contact form", assignee=developer)


def test_start_timer_on_task_see_it_in_top_bar_stop_and_find_it_on_timesheet(page, task):
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, "timur")
    page.goto(f"{page.base_url}/projects/tasks/{task.pk}/")

    page.locator('[data-timer="start"]').click()

    # The task page's button turns into "stop", and the top bar shows what runs.
    expect(page.locator('[data-timer="stop"]')).to_be_visible()
    indicator = page.locator("#timer-indicator")
    expect(indicator).to_contain_text("Build the contact form")
    assert TimeEntry.objects.filter(task=task, ended_at__isnull=True).count() == 1

    indicator.locator('[data-timer="topbar-stop"]').click()

    expect(indicator.locator('[data-timer="topbar-stop"]')).to_have_count(0)
    # The task page's own button heard the change and offers to start again.
    expect(page.locator('[data-timer="start"]')).to_be_visible()
    entry = TimeEntry.objects.get(task=task)
    assert entry.ended_at is not None

    page.goto(f"{page.base_url}/projects/time/")

    row = page.locator(f'[data-entry="{entry.pk}"]')
    expect(row).to_contain_text("Build the contact form")
    expect(row).to_contain_text("0:01")
