"""A burst of posts wakes one drain job a second per process, and that job takes them all."""

import pytest
from huey import MemoryHuey
from huey.contrib.djhuey import HUEY

from hamkor.contacts.models import Contact
from hamkor.webforms.models import Submission, SubmissionStatus
from hamkor.webforms.services import intake
from tests.webforms.factories import WebFormFactory

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def real_queue(monkeypatch):
    """The project's Huey with a queue of its own that runs nothing until told to."""
    saved = HUEY.storage
    HUEY.immediate = False
    HUEY.storage = MemoryHuey(name="webforms-queueing").storage
    clock = {"now": 1000.0}
    monkeypatch.setattr(intake.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(intake, "_drain_due", 0.0)
    yield clock
    HUEY.immediate = True
    HUEY.storage = saved


def _due_jobs():
    # Jobs with a delay wait in the queue until the consumer moves them to its schedule.
    return HUEY.pending()


def test_a_burst_of_posts_schedules_one_drain_that_takes_every_post(db, post_form, real_queue):
    form = WebFormFactory()

    for index in range(5):
        response = post_form(
            form, {"first_name": f"Guest {index}", "email": f"guest{index}@example.com"}, **JSON
        )
        assert response.status_code == 201
    jobs = _due_jobs()

    assert len(jobs) == 1
    assert HUEY.ready_to_run(jobs[0]) is False  # due a second later, when the burst is in
    assert Submission.objects.filter(status=SubmissionStatus.PENDING).count() == 5
    # The consumer runs it once it is due. Inline, so the job keeps the test's database
    # connection (outside immediate mode a job closes its connection when done).
    HUEY.immediate = True
    HUEY.execute(jobs[0], timestamp=jobs[0].eta)
    assert Submission.objects.filter(status=SubmissionStatus.PENDING).count() == 0
    assert Contact.objects.filter(first_name__startswith="Guest").count() == 5


def test_a_post_after_the_drain_delay_schedules_another_drain(db, post_form, real_queue):
    form = WebFormFactory()
    post_form(form, {"first_name": "First", "email": "first@example.com"}, **JSON)

    real_queue["now"] += intake.DRAIN_DELAY_SECONDS
    post_form(form, {"first_name": "Second", "email": "second@example.com"}, **JSON)

    assert len(_due_jobs()) == 2
