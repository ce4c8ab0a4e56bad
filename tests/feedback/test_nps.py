import datetime

import pytest

from hamkor.feedback.models import SurveyResponse
from hamkor.feedback.selectors import (
    NpsResult,
    get_survey,
    list_nps_by_month,
    nps_of,
    nps_of_survey,
)
from tests.feedback.factories import RecipientFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _answers(survey, scores):
    for score in scores:
        ResponseFactory(recipient=RecipientFactory(survey=survey), score=score)


def test_nps_of_a_hand_checked_set():
    survey = SurveyFactory()
    # 10 answers: promoters 10, 9, 9, 10 (4); passives 7, 8 (2); detractors 0, 6, 3, 5 (4).
    _answers(survey, [10, 9, 9, 10, 7, 8, 0, 6, 3, 5])

    result = nps_of(SurveyResponse.objects.filter(survey=survey))

    assert (result.promoters, result.passives, result.detractors) == (4, 2, 4)
    assert result.score == 0


def test_nps_of_mostly_promoters():
    survey = SurveyFactory()
    # 8 answers: 5 promoters (62.5%), 2 passives, 1 detractor (12.5%) -> 50.
    _answers(survey, [9, 10, 10, 9, 9, 8, 7, 2])

    assert nps_of_survey(get_survey(pk=survey.pk)).score == 50


def test_nps_rounds_to_whole_points_both_ways():
    # 1 promoter, 2 passives: 33.3 -> 33; 2 detractors of 3: -66.7 -> -67.
    assert NpsResult(promoters=1, passives=2, detractors=0).score == 33
    assert NpsResult(promoters=0, passives=1, detractors=2).score == -67
    assert NpsResult(promoters=1, passives=0, detractors=1).score == 0


def test_nps_without_answers_has_no_score():
    assert NpsResult(promoters=0, passives=0, detractors=0).score is None


def test_nps_by_month_groups_answers_by_the_month_they_came():
    survey = SurveyFactory()
    _answers(survey, [10, 10, 0])
    march = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)
    april = datetime.datetime(2026, 4, 2, 12, 0, tzinfo=datetime.UTC)
    first, second, third = SurveyResponse.objects.order_by("pk")
    SurveyResponse.objects.filter(pk__in=[first.pk, third.pk]).update(answered_at=march)
    SurveyResponse.objects.filter(pk=second.pk).update(answered_at=april)

    months = list_nps_by_month(survey=survey)

    assert [(m.month, m.result.score) for m in months] == [
        (datetime.date(2026, 3, 1), 0),
        (datetime.date(2026, 4, 1), 100),
    ]


def test_survey_pages_show_the_score_and_comments(client, manager):
    survey = SurveyFactory(title="Spring")
    ResponseFactory(recipient=RecipientFactory(survey=survey), score=10, comment="Best cakes")
    ResponseFactory(recipient=RecipientFactory(survey=survey), score=3, comment="")
    client.force_login(manager)

    listing = client.get("/feedback/surveys/").content.decode()
    detail = client.get(f"/feedback/surveys/{survey.pk}/").content.decode()

    assert "Spring" in listing
    assert "Best cakes" in detail
    assert "<strong>0</strong><span>NPS</span>" in detail.replace("\n", "").replace("  ", "")
