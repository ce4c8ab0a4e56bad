import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hamkor.feedback.models import Reaction
from hamkor.feedback.selectors import list_published_announcements, list_reaction_counts
from hamkor.feedback.services import (
    add_comment,
    reply_to_comment,
    save_announcement,
    set_comment_hidden,
    toggle_reaction,
)
from hamkor.messaging.models import OutboundMessage
from tests.feedback.factories import AnnouncementFactory, CommentFactory
from tests.portal.helpers import portal_log_in

pytestmark = pytest.mark.django_db


def test_toggle_reaction_adds_then_takes_back(aziza):
    post = AnnouncementFactory()

    assert toggle_reaction(announcement=post, contact=aziza, kind="like") is True
    assert toggle_reaction(announcement=post, contact=aziza, kind="love") is True
    assert toggle_reaction(announcement=post, contact=aziza, kind="like") is False

    counts = {
        r.kind: (r.count, r.mine) for r in list_reaction_counts(announcement=post, contact=aziza)
    }
    assert counts == {
        "like": (0, False),
        "love": (1, True),
        "celebrate": (0, False),
        "confused": (0, False),
    }


def test_toggle_reaction_refuses_an_unknown_kind(aziza):
    post = AnnouncementFactory()

    with pytest.raises(ValidationError):
        toggle_reaction(announcement=post, contact=aziza, kind="angry")

    assert not Reaction.objects.exists()


def test_portal_reaction_by_htmx_redraws_the_bar_with_counts(client, aziza, bobur):
    post = AnnouncementFactory()
    toggle_reaction(announcement=post, contact=bobur, kind="celebrate")
    aziza.language = "en"  # the portal speaks the customer's language; the labels below are English
    aziza.save(update_fields=["language"])
    portal_log_in(client, aziza)
    url = reverse("feedback_portal:news_react", args=[post.uuid])

    response = client.post(url, {"kind": "celebrate"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="reactions"' in html
    assert 'aria-label="Celebrate: 2"' in html
    again = client.post(url, {"kind": "celebrate"}, headers={"HX-Request": "true"})
    assert 'aria-label="Celebrate: 1"' in again.content.decode()


def test_portal_reaction_with_unknown_kind_is_a_400(client, aziza):
    post = AnnouncementFactory()
    portal_log_in(client, aziza)

    response = client.post(reverse("feedback_portal:news_react", args=[post.uuid]), {"kind": "x"})

    assert response.status_code == 400


def test_published_announcements_show_everyones_and_own_language(aziza):
    everyone = AnnouncementFactory(language="")
    russian = AnnouncementFactory(language="ru")
    AnnouncementFactory(language="uz")
    AnnouncementFactory(status="draft", published_at=None)

    shown = list(list_published_announcements(contact=aziza))

    assert set(shown) == {everyone, russian}


def test_save_announcement_publishes_and_stamps_the_date(manager):
    post = save_announcement(
        actor=manager, title="New shop", body="On Amir Temur street.", status="published"
    )

    assert post.published_at is not None


def test_save_announcement_refuses_sales_staff(seller):
    with pytest.raises(PermissionDenied):
        save_announcement(actor=seller, title="x", body="y")


def test_add_comment_refuses_an_empty_text(aziza):
    post = AnnouncementFactory()

    with pytest.raises(ValidationError):
        add_comment(announcement=post, contact=aziza, body="   ")


def test_reply_to_comment_tells_the_commenter_in_their_language(manager, aziza):
    comment = CommentFactory(contact=aziza, announcement=AnnouncementFactory(title="Cakes"))

    reply_to_comment(comment=comment, body="Thank you!", actor=manager)

    message = OutboundMessage.objects.get(contact=aziza)
    assert message.channel == "email"
    assert message.kind == "transactional"
    assert "Thank you!" in message.body
    assert str(comment.announcement.uuid) in message.body
    assert message.status != "blocked"


def test_hidden_comment_leaves_the_portal_but_stays_for_staff(client, manager, aziza, bobur):
    comment = CommentFactory(contact=bobur, body="Rude words")
    set_comment_hidden(comment=comment, hidden=True, actor=manager)
    portal_log_in(client, aziza)

    page = client.get(reverse("feedback_portal:news_detail", args=[comment.announcement.uuid]))
    client.force_login(manager)
    staff = client.get(reverse("feedback:announcement_detail", args=[comment.announcement.pk]))

    assert "Rude words" not in page.content.decode()
    assert "Rude words" in staff.content.decode()


def test_portal_comment_appears_under_the_post(client, aziza):
    post = AnnouncementFactory()
    portal_log_in(client, aziza)

    response = client.post(
        reverse("feedback_portal:news_comment", args=[post.uuid]), {"body": "When in Bishkek?"}
    )

    assert response.status_code == 302
    page = client.get(reverse("feedback_portal:news_detail", args=[post.uuid]))
    assert "When in Bishkek?" in page.content.decode()


def test_portal_empty_comment_shows_the_error_beside_the_field(client, aziza):
    post = AnnouncementFactory()
    portal_log_in(client, aziza)

    response = client.post(reverse("feedback_portal:news_comment", args=[post.uuid]), {"body": ""})

    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_staff_reply_by_htmx_shows_the_answer_in_the_thread(client, manager, aziza):
    comment = CommentFactory(contact=aziza)
    client.force_login(manager)

    response = client.post(
        reverse("feedback:comment_reply", args=[comment.pk]),
        {"body": "We open in May."},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "We open in May." in response.content.decode()


def test_staff_moderation_is_refused_to_sales(client, seller):
    comment = CommentFactory()
    client.force_login(seller)

    response = client.post(
        reverse("feedback:comment_visibility", args=[comment.pk]), {"hidden": "1"}
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.hidden_at is None
