import pytest

from hamkor.core.timeline import build_timeline
from tests.feedback.factories import RecipientFactory, ResponseFactory, SuggestionFactory

pytestmark = pytest.mark.django_db


def test_timeline_shows_the_customers_answers_and_ideas(manager, aziza, bobur):
    ResponseFactory(
        recipient=RecipientFactory(contact=aziza, survey__title="Spring"), score=9, comment="Tasty"
    )
    SuggestionFactory(contact=aziza, title="Sugar-free cakes")
    SuggestionFactory(contact=bobur, title="Not hers")

    entries = build_timeline(viewer=manager, contact_ids=[aziza.pk], channel="feedback")

    assert sorted(e.title for e in entries) == [
        "NPS 9 of 10 — Spring",
        "Suggested: Sugar-free cakes",
    ]
    assert {e.body for e in entries} == {"Tasty", "Please."}


def test_timeline_filtered_to_another_channel_leaves_feedback_out(manager, aziza):
    SuggestionFactory(contact=aziza)

    assert build_timeline(viewer=manager, contact_ids=[aziza.pk], channel="invoice") == []
