"""Races that only a database with real concurrent writers can show (PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from hamkor.feedback.models import SuggestionStatusChange, SurveyResponse, Vote
from hamkor.feedback.services import answer_survey, notify_status_change
from tests.feedback.factories import RecipientFactory, SuggestionFactory, VoteFactory
from tests.messaging.factories import consenting_contact
from tests.races import race

RACERS = 4


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_answering_one_link_at_once_keeps_one_answer():
    if connection.vendor != "postgresql":
        # The SQLite pass skips it; the PostgreSQL pass (required in CI) runs it.
        pytest.skip("needs PostgreSQL: concurrent writers")
    recipient = RecipientFactory()

    done, _refused, failed = race(lambda _i: answer_survey(recipient=recipient, score=9), RACERS)

    assert len(done) == 1
    assert len(failed) == RACERS - 1
    assert all(isinstance(error, ValidationError) for error in failed), failed
    assert SurveyResponse.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_notifying_one_change_from_several_workers_writes_once_per_voter():
    if connection.vendor != "postgresql":
        # The SQLite pass skips it; the PostgreSQL pass (required in CI) runs it.
        pytest.skip("needs PostgreSQL: concurrent writers")
    from hamkor.messaging.models import OutboundMessage

    author = consenting_contact("email", email="author@example.uz")
    idea = SuggestionFactory(contact=author, status="done")
    for n in range(3):
        VoteFactory(suggestion=idea, contact=consenting_contact("email", email=f"v{n}@example.uz"))
    change = SuggestionStatusChange.objects.create(
        suggestion=idea, old_status="new", new_status="done"
    )

    counts, _refused, failed = race(lambda _i: notify_status_change(change=change), RACERS)

    assert failed == []
    assert counts == [4] * RACERS
    assert OutboundMessage.objects.count() == 4
    assert Vote.objects.count() == 3
