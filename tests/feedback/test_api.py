import pytest

from hamkor.feedback.models import Suggestion
from tests.api.helpers import api_client, send
from tests.feedback.factories import (
    AnnouncementFactory,
    RecipientFactory,
    ResponseFactory,
    SuggestionFactory,
    SurveyFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/feedback"


def test_list_announcements_with_status_filter(seller):
    AnnouncementFactory(title="Published")
    AnnouncementFactory(title="Draft", status="draft", published_at=None)

    response = api_client(seller).get(f"{BASE}/announcements", {"status": "draft"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["title"] == "Draft"


def test_list_announcements_refuses_an_unknown_status(seller):
    response = api_client(seller).get(f"{BASE}/announcements", {"status": "archived"})

    assert response.status_code == 422
    assert "archived" in response.json()["detail"]


def test_list_suggestions_by_votes(seller):
    few, many = SuggestionFactory(title="Few"), SuggestionFactory(title="Many")
    VoteFactory.create_batch(2, suggestion=many)
    VoteFactory(suggestion=few)

    items = api_client(seller).get(f"{BASE}/suggestions").json()["items"]

    assert [(i["title"], i["vote_count"]) for i in items] == [("Many", 2), ("Few", 1)]


def test_list_suggestions_refuses_unknown_parameters(seller):
    response = api_client(seller).get(f"{BASE}/suggestions", {"stauts": "done"})

    assert response.status_code == 422


def test_set_suggestion_status_by_a_manager(manager):
    idea = SuggestionFactory()

    response = send(
        api_client(manager),
        "post",
        f"{BASE}/suggestions/{idea.pk}/status",
        {"status": "planned", "answer": "In spring."},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "planned"
    idea.refresh_from_db()
    assert (idea.status, idea.public_answer) == ("planned", "In spring.")


def test_set_suggestion_status_is_forbidden_to_sales(seller):
    idea = SuggestionFactory()

    response = send(
        api_client(seller), "post", f"{BASE}/suggestions/{idea.pk}/status", {"status": "done"}
    )

    assert response.status_code == 403
    assert Suggestion.objects.get(pk=idea.pk).status == "new"


def test_set_suggestion_status_refuses_a_bad_status(manager):
    idea = SuggestionFactory()

    response = send(
        api_client(manager), "post", f"{BASE}/suggestions/{idea.pk}/status", {"status": "maybe"}
    )

    assert response.status_code == 422
    assert "status" in response.json()["errors"]


def test_set_status_of_a_missing_suggestion_is_404(manager):
    response = send(
        api_client(manager), "post", f"{BASE}/suggestions/999999/status", {"status": "done"}
    )

    assert response.status_code == 404


def test_api_needs_a_token(client):
    assert client.get(f"{BASE}/suggestions").status_code == 401


def test_nps_results(seller):
    survey = SurveyFactory(title="Spring")
    for score in (10, 9, 5):
        ResponseFactory(recipient=RecipientFactory(survey=survey), score=score)

    overall = api_client(seller).get(f"{BASE}/nps").json()
    one = api_client(seller).get(f"{BASE}/surveys/{survey.pk}/results").json()

    # 2 promoters, 1 detractor of 3: 66.7 - 33.3 = 33.
    assert overall["nps"]["score"] == 33
    assert overall["surveys"][0]["nps"]["answers"] == 3
    assert one["nps"] == {"score": 33, "answers": 3, "promoters": 2, "passives": 0, "detractors": 1}
    assert len(one["months"]) == 1
    assert one["asked"] == 3


def test_results_of_a_missing_survey_is_404(seller):
    assert api_client(seller).get(f"{BASE}/surveys/424242/results").status_code == 404
