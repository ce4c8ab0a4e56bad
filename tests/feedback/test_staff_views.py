import pytest
from django.urls import reverse

from hamkor.feedback.models import Announcement, SurveyRecipient
from tests.contacts.factories import TagFactory
from tests.feedback.factories import SurveyFactory
from tests.portal.helpers import portal_log_in

pytestmark = pytest.mark.django_db


def test_manager_publishes_a_post_that_customers_then_read(client, manager, aziza):
    client.force_login(manager)

    response = client.post(
        reverse("feedback:announcement_create"),
        {
            "title": "Sugar-free cakes",
            "body": "From Monday.",
            "language": "",
            "status": "published",
        },
    )

    post = Announcement.objects.get()
    assert response.status_code == 302
    assert post.published_at is not None
    portal_log_in(client, aziza)
    news = client.get(reverse("feedback_portal:news")).content.decode()
    assert "Sugar-free cakes" in news


def test_post_form_keeps_the_text_when_the_title_is_missing(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("feedback:announcement_create"),
        {"title": "", "body": "Typed with care", "language": "", "status": "draft"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Typed with care" in html
    assert "errorlist" in html
    assert not Announcement.objects.exists()


def test_sales_staff_read_the_pages_but_cannot_write_posts(client, seller):
    client.force_login(seller)

    assert client.get(reverse("feedback:index")).status_code == 200
    assert client.get(reverse("feedback:announcement_list")).status_code == 200
    assert client.get(reverse("feedback:survey_list")).status_code == 200
    assert client.get(reverse("feedback:announcement_create")).status_code == 403
    assert client.get(reverse("feedback:survey_create")).status_code == 403


def test_staff_pages_need_a_staff_login(client, aziza):
    portal_log_in(client, aziza)

    response = client.get(reverse("feedback:index"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_survey_form_offers_the_tags(client, manager):
    TagFactory(name="birthday-club")
    client.force_login(manager)

    page = client.get(reverse("feedback:survey_create")).content.decode()

    assert "birthday-club" in page


def test_survey_form_without_a_group_says_what_to_choose(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("feedback:survey_create"),
        {"title": "Everyone?", "trigger": "group", "delay_days": 3, "cooldown_days": 90},
    )

    assert response.status_code == 200
    assert "Describe the segment" in response.content.decode()


def test_send_button_invites_the_group(client, django_capture_on_commit_callbacks, manager, aziza):
    aziza.tags.add(TagFactory(name="vip"))
    survey = SurveyFactory(segment="tag=vip")
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("feedback:survey_send", args=[survey.pk]))

    assert response.status_code == 302
    assert SurveyRecipient.objects.get(survey=survey).contact == aziza
    page = client.get(reverse("feedback:survey_detail", args=[survey.pk])).content.decode()
    assert "0 of 1 answered" in page


def test_idea_page_lists_voters_for_managers_only(client, manager, seller, aziza, bobur):
    from tests.feedback.factories import SuggestionFactory, VoteFactory

    idea = SuggestionFactory(contact=aziza)
    VoteFactory(suggestion=idea, contact=bobur)
    url = reverse("feedback:suggestion_detail", args=[idea.pk])

    client.force_login(manager)
    for_manager = client.get(url).content.decode()
    client.force_login(seller)
    for_seller = client.get(url).content.decode()

    assert "Who voted" in for_manager and bobur.full_name in for_manager
    assert bobur.full_name not in for_seller and aziza.full_name not in for_seller
