import pytest
from django.db import connection

from hamkor.contacts.models import Contact
from hamkor.webforms.models import SubmissionStatus
from hamkor.webforms.services import process_submission
from tests.races import race
from tests.webforms.factories import SubmissionFactory, WebFormFactory

WORKERS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_new_email_create_one_contact():
    if connection.vendor != "postgresql":
        # The SQLite pass skips it; the PostgreSQL pass (required in CI) runs it.
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    form = WebFormFactory()
    submissions = [
        SubmissionFactory(
            form=form,
            data={"first_name": f"A{i}", "email": "same@example.com", "phone": "+998901112233"}
            if i % 2
            else {"first_name": f"A{i}", "email": "same@example.com"},
        )
        for i in range(WORKERS)
    ]
    _done, _refused, errors = race(
        lambda index: process_submission(submission_id=submissions[index].pk), WORKERS
    )

    assert errors == []
    contact = Contact.objects.get()
    statuses = sorted(s.status for s in type(submissions[0]).objects.all())
    assert statuses.count(SubmissionStatus.CREATED) == 1
    assert statuses.count(SubmissionStatus.MATCHED) == WORKERS - 1
    assert contact.interactions.count() == WORKERS


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_of_one_submission_process_it_once():
    if connection.vendor != "postgresql":
        # The SQLite pass skips it; the PostgreSQL pass (required in CI) runs it.
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    submission = SubmissionFactory()

    race(lambda _index: process_submission(submission_id=submission.pk), 4)

    assert Contact.objects.count() == 1
    assert Contact.objects.get().interactions.count() == 1
