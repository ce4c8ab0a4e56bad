"""Survey answers and suggested ideas on the customer timeline."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.core.timeline import TimelineEntry, TimelineQuery, TimelineSource, register_source
from hamkor.feedback.models import Suggestion, SurveyResponse

CHANNEL = "feedback"
# An id no real record has, replaced in the reversed URL by each record's id.
URL_PLACEHOLDER = 987654321


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[URL_PLACEHOLDER]).replace(str(URL_PLACEHOLDER), str(pk), 1)


def _applies(query: TimelineQuery) -> bool:
    return bool(query.contact_ids) and query.channel in ("", CHANNEL)


def answer_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """The customers' NPS answers, newest first: score and comment."""
    if not _applies(query):
        return []
    answers = (
        SurveyResponse.objects.filter(contact_id__in=query.contact_ids)
        .select_related("survey")
        .order_by("-answered_at", "-id")[: query.limit]
    )
    label = str(_("Feedback"))
    # Translators: a timeline title, e.g. "NPS 9 of 10 — Spring survey".
    title = _("NPS %(score)s of 10 — %(survey)s")
    return [
        TimelineEntry(
            occurred_at=answer.answered_at,
            kind="nps_answer",
            object_id=answer.pk,
            title=title % {"score": answer.score, "survey": answer.survey.title},
            channel=CHANNEL,
            channel_label=label,
            body=answer.comment,
            url=_url("feedback:survey_detail", answer.survey_id),
        )
        for answer in answers
    ]


def idea_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """Ideas the customers suggested, newest first, with their current status."""
    if not _applies(query):
        return []
    ideas = Suggestion.objects.filter(contact_id__in=query.contact_ids).order_by(
        "-created_at", "-id"
    )[: query.limit]
    label = str(_("Feedback"))
    # Translators: a timeline title, e.g. "Suggested: Sugar-free cakes".
    title = _("Suggested: %(title)s")
    return [
        TimelineEntry(
            occurred_at=idea.created_at,
            kind="suggestion",
            object_id=idea.pk,
            title=title % {"title": idea.title},
            channel=CHANNEL,
            channel_label=label,
            body=idea.description,
            outcome=str(idea.get_status_display()),
            url=_url("feedback:suggestion_detail", idea.pk),
        )
        for idea in ideas
    ]


def register() -> None:
    channels = [(CHANNEL, gettext_lazy("Feedback"))]
    register_source(
        TimelineSource(
            kind="nps_answer",
            label=gettext_lazy("Survey answers"),
            fetch=answer_entries,
            channels=channels,
        )
    )
    register_source(
        TimelineSource(
            kind="suggestion", label=gettext_lazy("Ideas"), fetch=idea_entries, channels=channels
        )
    )
