"""REST API of the feedback loop: news, ideas with votes, idea statuses, NPS results.

Everyone signed in reads; administrators, managers and support staff set statuses.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from hamkor.core.paging import list_page
from hamkor.feedback import selectors
from hamkor.feedback.models import AnnouncementStatus, Suggestion, SuggestionStatus, Survey
from hamkor.feedback.schemas import (
    AnnouncementListOut,
    AnnouncementsIn,
    NpsResultsOut,
    StatusIn,
    SuggestionListOut,
    SuggestionOut,
    SuggestionsIn,
    SurveyResultsOut,
)
from hamkor.feedback.services import set_suggestion_status

router = Router(tags=["feedback"])

CHANGE_ERRORS = {**WRITE_ERRORS, 403: ErrorOut}


def _choice(value: str, allowed: list[str], name: str) -> str:
    if value and value not in allowed:
        raise ValidationError(
            {
                name: _("Unknown value “%(value)s”. Use one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(allowed)}
            }
        )
    return value


@router.get(
    "/announcements",
    response={200: AnnouncementListOut, **READ_ERRORS},
    summary="List announcements",
    description="News posts for customers, drafts included, newest first.",
)
def list_announcements_view(request: HttpRequest, params: Query[AnnouncementsIn]) -> dict[str, Any]:
    read_query(request, params)
    status = _choice(params.status, AnnouncementStatus.values, "status")
    return list_page(
        selectors.list_announcements(status=status), offset=params.offset, limit=params.limit
    )


@router.get(
    "/suggestions",
    response={200: SuggestionListOut, **READ_ERRORS},
    summary="List suggestions by votes",
    description="Customers' ideas, most votes first, with the vote count of each.",
)
def list_suggestions_view(request: HttpRequest, params: Query[SuggestionsIn]) -> dict[str, Any]:
    read_query(request, params)
    status = _choice(params.status, SuggestionStatus.values, "status")
    return list_page(selectors.list_board(status=status), offset=params.offset, limit=params.limit)


@router.post(
    "/suggestions/{suggestion_id}/status",
    response={200: SuggestionOut, **CHANGE_ERRORS},
    summary="Set a suggestion's status",
    description="With a public answer. Everyone who voted (and the author) is told once per "
    "change. Administrators, managers and support staff only.",
)
def set_status_view(request: HttpRequest, suggestion_id: int, payload: StatusIn) -> Suggestion:
    suggestion = selectors.get_suggestion(pk=suggestion_id)
    try:
        set_suggestion_status(
            suggestion=suggestion,
            status=payload.status,
            answer=payload.answer,
            actor=viewer_of(request),
        )
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return selectors.get_suggestion(pk=suggestion_id)


def _nps(result: selectors.NpsResult) -> dict[str, Any]:
    return {
        "score": result.score,
        "answers": result.answers,
        "promoters": result.promoters,
        "passives": result.passives,
        "detractors": result.detractors,
    }


def _months(survey: Survey | None) -> list[dict[str, Any]]:
    return [
        {"month": row.month, "nps": _nps(row.result)}
        for row in selectors.list_nps_by_month(survey=survey)
    ]


def _survey(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "title": survey.title,
        "trigger": survey.trigger,
        "asked": getattr(survey, "asked", 0),
        "answered": getattr(survey, "answered", 0),
        "nps": _nps(selectors.nps_of_survey(survey)),
        "months": _months(survey),
    }


@router.get(
    "/nps",
    response={200: NpsResultsOut, **READ_ERRORS},
    summary="NPS results",
    description="The score over all answers and by month, and each survey's results.",
)
def nps_view(request: HttpRequest) -> dict[str, Any]:
    return {
        "nps": _nps(selectors.get_overall_nps()),
        "months": _months(None),
        "surveys": [_survey(s) for s in selectors.list_surveys()],
    }


@router.get(
    "/surveys/{survey_id}/results",
    response={200: SurveyResultsOut, **READ_ERRORS},
    summary="One survey's NPS results",
)
def survey_results_view(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    return _survey(selectors.get_survey(pk=survey_id))
