"""A customer reaches only what is theirs to reach; everything else answers 404."""

import uuid

import pytest
from django.urls import reverse

from hamkor.feedback.models import Comment, Suggestion
from tests.feedback.factories import AnnouncementFactory, CommentFactory, SuggestionFactory
from tests.portal.helpers import portal_log_in

pytestmark = pytest.mark.django_db


def test_customer_cannot_delete_another_customers_comment(client, aziza, bobur):
    theirs = CommentFactory(contact=bobur)
    portal_log_in(client, aziza)

    response = client.post(reverse("feedback_portal:comment_delete", args=[theirs.uuid]))

    assert response.status_code == 404
    assert Comment.objects.filter(pk=theirs.pk).exists()


def test_customer_deletes_their_own_comment(client, aziza):
    mine = CommentFactory(contact=aziza)
    portal_log_in(client, aziza)

    response = client.post(reverse("feedback_portal:comment_delete", args=[mine.uuid]))

    assert response.status_code == 302
    assert not Comment.objects.filter(pk=mine.pk).exists()


def test_customer_cannot_edit_another_customers_idea(client, aziza, bobur):
    theirs = SuggestionFactory(contact=bobur, title="Bobur's idea")
    portal_log_in(client, aziza)
    url = reverse("feedback_portal:idea_edit", args=[theirs.uuid])

    page = client.get(url)
    post = client.post(url, {"title": "Taken over"})

    assert (page.status_code, post.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.title == "Bobur's idea"


def test_author_edits_their_idea_until_staff_set_a_status(client, aziza):
    idea = SuggestionFactory(contact=aziza)
    portal_log_in(client, aziza)
    url = reverse("feedback_portal:idea_edit", args=[idea.uuid])

    client.post(url, {"title": "Sugar-free cakes, please"})
    Suggestion.objects.filter(pk=idea.pk).update(status="planned")
    late = client.post(url, {"title": "Changed after planning"})

    idea.refresh_from_db()
    assert idea.title == "Sugar-free cakes, please"
    assert late.status_code == 400


@pytest.mark.parametrize(
    "name",
    ["news_detail", "idea_detail", "idea_edit", "comment_delete", "news_react", "idea_vote"],
)
def test_guessed_ids_answer_404(client, aziza, name):
    portal_log_in(client, aziza)
    url = reverse(f"feedback_portal:{name}", args=[uuid.uuid4()])

    response = (
        client.post(url)
        if name in ("comment_delete", "news_react", "idea_vote")
        else client.get(url)
    )

    assert response.status_code == 404


def test_draft_and_other_language_posts_are_404_on_the_portal(client, aziza):
    draft = AnnouncementFactory(status="draft", published_at=None)
    uzbek = AnnouncementFactory(language="uz")
    portal_log_in(client, aziza)

    assert client.get(reverse("feedback_portal:news_detail", args=[draft.uuid])).status_code == 404
    assert client.get(reverse("feedback_portal:news_detail", args=[uzbek.uuid])).status_code == 404
    assert (
        client.post(
            reverse("feedback_portal:news_comment", args=[draft.uuid]), {"body": "hi"}
        ).status_code
        == 404
    )


def test_hidden_idea_is_shown_to_its_author_only(client, aziza, bobur):
    hidden = SuggestionFactory(contact=bobur, is_public=False, title="Hidden idea")
    portal_log_in(client, aziza)
    others = client.get(reverse("feedback_portal:ideas")).content.decode()
    detail = client.get(reverse("feedback_portal:idea_detail", args=[hidden.uuid]))
    vote = client.post(reverse("feedback_portal:idea_vote", args=[hidden.uuid]))
    portal_log_in(client, bobur)
    own = client.get(reverse("feedback_portal:ideas")).content.decode()

    assert "Hidden idea" not in others
    assert (detail.status_code, vote.status_code) == (404, 404)
    assert "Hidden idea" in own


def test_ideas_board_shows_all_public_ideas_and_filters_mine(client, aziza, bobur):
    SuggestionFactory(contact=bobur, title="Bobur public idea")
    SuggestionFactory(contact=aziza, title="Aziza own idea")
    portal_log_in(client, aziza)

    everything = client.get(reverse("feedback_portal:ideas")).content.decode()
    mine = client.get(reverse("feedback_portal:ideas"), {"mine": "1"}).content.decode()

    assert "Bobur public idea" in everything and "Aziza own idea" in everything
    assert "Aziza own idea" in mine and "Bobur public idea" not in mine


def test_submitting_an_idea_on_the_portal(client, aziza):
    portal_log_in(client, aziza)

    response = client.post(reverse("feedback_portal:ideas"), {"title": "Delivery at night"})

    idea = Suggestion.objects.get()
    assert response.status_code == 302
    assert (idea.contact, idea.title) == (aziza, "Delivery at night")


def test_portal_pages_need_a_portal_sign_in(client, manager):
    client.force_login(manager)

    response = client.get(reverse("feedback_portal:ideas"))

    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_portal_menu_lists_news_and_ideas(client, aziza):
    portal_log_in(client, aziza)

    page = client.get(reverse("feedback_portal:news")).content.decode()

    assert reverse("feedback_portal:news") in page
    assert reverse("feedback_portal:ideas") in page
