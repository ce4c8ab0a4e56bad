import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hamkor.contacts.services import record_consent
from hamkor.feedback.models import SuggestionStatusChange, Vote
from hamkor.feedback.selectors import list_board
from hamkor.feedback.services import (
    notify_status_change,
    set_suggestion_status,
    submit_suggestion,
    toggle_vote,
)
from hamkor.messaging.models import OutboundMessage
from tests.contacts.factories import ContactFactory
from tests.feedback.factories import SuggestionFactory, VoteFactory
from tests.messaging.factories import consenting_contact
from tests.portal.helpers import portal_log_in

pytestmark = pytest.mark.django_db


def test_submit_suggestion_counts_the_authors_vote(aziza):
    idea = submit_suggestion(contact=aziza, title="Sugar-free cakes")

    assert list(Vote.objects.filter(suggestion=idea).values_list("contact", flat=True)) == [
        aziza.pk
    ]


def test_submit_suggestion_needs_a_title(aziza):
    with pytest.raises(ValidationError):
        submit_suggestion(contact=aziza, title=" ")


def test_toggle_vote_keeps_one_vote_per_customer(aziza, bobur):
    idea = SuggestionFactory()

    assert toggle_vote(suggestion=idea, contact=aziza) is True
    assert toggle_vote(suggestion=idea, contact=bobur) is True
    assert toggle_vote(suggestion=idea, contact=aziza) is False
    assert toggle_vote(suggestion=idea, contact=aziza) is True

    assert Vote.objects.filter(suggestion=idea, contact=aziza).count() == 1
    assert list_board().get(pk=idea.pk).vote_count == 2


def test_portal_vote_by_htmx_redraws_the_count(client, aziza):
    idea = SuggestionFactory()
    VoteFactory(suggestion=idea)
    portal_log_in(client, aziza)
    url = reverse("feedback_portal:idea_vote", args=[idea.uuid])

    voted = client.post(url, headers={"HX-Request": "true"}).content.decode()
    unvoted = client.post(url, headers={"HX-Request": "true"}).content.decode()

    assert '<span class="count">2</span>' in voted
    assert 'aria-pressed="true"' in voted
    assert '<span class="count">1</span>' in unvoted


def test_board_lists_the_most_wanted_first_and_filters_by_status():
    quiet, wanted = SuggestionFactory(title="Quiet"), SuggestionFactory(title="Wanted")
    for _ in range(3):
        VoteFactory(suggestion=wanted)
    VoteFactory(suggestion=quiet)
    planned = SuggestionFactory(status="planned")

    assert list(list_board())[:2] == [wanted, quiet]
    assert list(list_board(status="planned")) == [planned]


def test_staff_board_page_shows_votes_and_filters(client, seller):
    wanted = SuggestionFactory(title="Delivery to Chilonzor")
    VoteFactory(suggestion=wanted)
    SuggestionFactory(title="Done idea", status="done")
    client.force_login(seller)

    page = client.get(reverse("feedback:index")).content.decode()
    done = client.get(reverse("feedback:index"), {"status": "done"}).content.decode()

    assert "Delivery to Chilonzor" in page
    assert "1 vote" in page
    assert "Done idea" in done
    assert "Delivery to Chilonzor" not in done


def test_status_change_tells_every_voter_and_the_author_once(
    django_capture_on_commit_callbacks, manager, aziza, bobur
):
    author = consenting_contact("email", email="author@example.uz", language="ky")
    idea = submit_suggestion(contact=author, title="Sugar-free cakes")
    toggle_vote(suggestion=idea, contact=aziza)
    toggle_vote(suggestion=idea, contact=bobur)

    with django_capture_on_commit_callbacks(execute=True):
        change = set_suggestion_status(
            suggestion=idea, status="done", answer="On the menu from Monday.", actor=manager
        )
    notify_status_change(change=change)

    messages = OutboundMessage.objects.filter(idempotency_key__startswith="feedback:idea-status:")
    assert sorted(m.contact_id for m in messages) == sorted([author.pk, aziza.pk, bobur.pk])
    assert all("On the menu from Monday." in m.body for m in messages)
    change.refresh_from_db()
    assert change.notified_at is not None


def test_second_change_tells_voters_again_once_more(
    django_capture_on_commit_callbacks, manager, aziza
):
    idea = SuggestionFactory(contact=aziza)

    with django_capture_on_commit_callbacks(execute=True):
        set_suggestion_status(suggestion=idea, status="planned", answer="", actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        set_suggestion_status(suggestion=idea, status="done", answer="", actor=manager)

    assert OutboundMessage.objects.filter(contact=aziza).count() == 2
    assert SuggestionStatusChange.objects.filter(suggestion=idea).count() == 2


def test_answer_only_change_does_not_message_voters(
    django_capture_on_commit_callbacks, manager, aziza
):
    idea = SuggestionFactory(contact=aziza, status="planned")

    with django_capture_on_commit_callbacks(execute=True):
        change = set_suggestion_status(
            suggestion=idea, status="planned", answer="Next month.", actor=manager
        )

    assert change is not None
    assert not OutboundMessage.objects.exists()
    idea.refresh_from_db()
    assert idea.public_answer == "Next month."


def test_set_suggestion_status_refuses_sales_staff(seller):
    idea = SuggestionFactory()

    with pytest.raises(PermissionDenied):
        set_suggestion_status(suggestion=idea, status="done", answer="", actor=seller)


def test_set_suggestion_status_refuses_an_unknown_status(manager):
    idea = SuggestionFactory()

    with pytest.raises(ValidationError) as error:
        set_suggestion_status(suggestion=idea, status="maybe", answer="", actor=manager)

    assert "status" in error.value.message_dict
    idea.refresh_from_db()
    assert idea.status == "new"


def test_voter_who_gave_no_marketing_consent_still_hears_what_became_of_the_idea(
    django_capture_on_commit_callbacks, manager
):
    # The voter asked to be told: a service message, sent without a marketing opt-in.
    voter = ContactFactory(email="voter@example.uz")
    idea = SuggestionFactory(contact=voter)

    with django_capture_on_commit_callbacks(execute=True):
        set_suggestion_status(suggestion=idea, status="planned", answer="", actor=manager)

    message = OutboundMessage.objects.get(contact=voter)
    assert message.status != "blocked"


def test_voter_who_withdrew_service_messages_gets_a_blocked_message_with_the_reason(
    django_capture_on_commit_callbacks, manager
):
    silent = ContactFactory(email="silent@example.uz")
    record_consent(
        contact=silent,
        channel="email",
        granted=False,
        method="phone",
        actor=None,
        purpose="service",
    )
    idea = SuggestionFactory(contact=silent)

    with django_capture_on_commit_callbacks(execute=True):
        set_suggestion_status(suggestion=idea, status="declined", answer="", actor=manager)

    message = OutboundMessage.objects.get(contact=silent)
    assert message.status == "blocked"
    assert message.error


def test_staff_status_form_saves_and_shows_the_history(client, manager):
    idea = SuggestionFactory()
    client.force_login(manager)
    url = reverse("feedback:suggestion_detail", args=[idea.pk])

    response = client.post(url, {"status": "under_review", "answer": "Looking into it."})

    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Looking into it." in page
    assert "New → Under review" in page
