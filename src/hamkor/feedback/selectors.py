"""Reads for feedback: staff lists, the portal's views scoped to one customer, NPS results."""

from __future__ import annotations

import datetime
import uuid as uuid_module
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import QueryDict
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.automation.services.spec import parse_segment
from hamkor.contacts.models import Contact, Source
from hamkor.contacts.selectors import ContactFilters, list_contacts
from hamkor.feedback.models import (
    REACTION_EMOJI,
    Announcement,
    AnnouncementStatus,
    Comment,
    CommentReply,
    Reaction,
    ReactionKind,
    Suggestion,
    SuggestionStatus,
    Survey,
    SurveyRecipient,
    SurveyResponse,
    Vote,
)

# --- Survey audiences --------------------------------------------------------------------
# A group survey names its contacts the way automation's "is in the segment" condition
# does (tag, stage, custom.<field>), plus ``source``. Saved segments (issue 7) replace these
# two functions; nothing else reads ``Survey.segment``.


def _split_segment(segment: str) -> tuple[dict[str, Any], str]:
    query = QueryDict(segment.strip().lstrip("?"), mutable=True)
    source = query.pop("source", [""])[-1].strip()
    rest = query.urlencode()
    parsed: dict[str, Any] = {"tag": "", "stage": "", "custom": {}}
    if rest or not source:
        parsed = parse_segment(rest)
    return parsed, source


def clean_segment(segment: str) -> str:
    """The segment as stored (tag=…&stage=…&source=…); raises ValidationError when unusable."""
    parsed, source = _split_segment(segment)
    if source and not Source.objects.filter(name=source).exists():
        raise ValidationError(_("There is no source named “%(name)s”.") % {"name": source})
    query = QueryDict(mutable=True)
    for key in ("tag", "stage"):
        if parsed[key]:
            query[key] = parsed[key]
    if source:
        query["source"] = source
    for key, value in sorted(parsed["custom"].items()):
        query[f"custom.{key}"] = value
    return query.urlencode()


def list_survey_audience(*, segment: str, viewer: User) -> QuerySet[Contact]:
    """Active contacts in the segment that the viewer may see."""
    parsed, source = _split_segment(segment)
    source_id = None
    if source:
        source_id = Source.objects.filter(name=source).values_list("pk", flat=True).first()
        if source_id is None:
            return Contact.objects.none()
    filters = ContactFilters(
        tag=parsed["tag"], stage=parsed["stage"], custom=parsed["custom"], source_id=source_id
    )
    return list_contacts(viewer=viewer, filters=filters)


def count_survey_audience(*, segment: str, viewer: User) -> int:
    """How many contacts a group survey would reach (for the confirmation before sending)."""
    return list_survey_audience(segment=segment, viewer=viewer).order_by().count()


# --- Announcements -----------------------------------------------------------------------


def list_announcements(*, status: str = "") -> QuerySet[Announcement]:
    """Every post for staff, newest first, with comment counts."""
    posts = Announcement.objects.annotate(comment_count=Count("comments")).order_by(
        "-created_at", "-id"
    )
    return posts.filter(status=status) if status else posts


def get_announcement(*, pk: int) -> Announcement:
    return Announcement.objects.get(pk=pk)


def _for_customer(contact: Contact) -> QuerySet[Announcement]:
    return Announcement.objects.filter(
        Q(language="") | Q(language=contact.language), status=AnnouncementStatus.PUBLISHED
    )


def list_published_announcements(*, contact: Contact) -> QuerySet[Announcement]:
    """Published posts for everyone and in the customer's language, newest first."""
    visible_comments = Count("comments", filter=Q(comments__hidden_at__isnull=True))
    return (
        _for_customer(contact)
        .annotate(comment_count=visible_comments)
        .order_by("-published_at", "-id")
    )


def get_published_announcement(*, contact: Contact, uuid: uuid_module.UUID) -> Announcement:
    """One post the customer can read; raises Announcement.DoesNotExist otherwise."""
    return _for_customer(contact).get(uuid=uuid)


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    emoji: str
    label: str
    count: int
    mine: bool


def list_reaction_counts(
    *, announcement: Announcement, contact: Contact | None
) -> list[ReactionCount]:
    """Every offered reaction with its count and whether this customer gave it."""
    counts = dict(
        Reaction.objects.filter(announcement=announcement)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    mine: set[str] = set()
    if contact is not None:
        mine = set(
            Reaction.objects.filter(announcement=announcement, contact=contact).values_list(
                "kind", flat=True
            )
        )
    return [
        ReactionCount(
            kind=kind.value,
            emoji=REACTION_EMOJI[kind],
            label=str(kind.label),
            count=int(counts.get(kind.value, 0)),
            mine=kind.value in mine,
        )
        for kind in ReactionKind
    ]


def _with_replies(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    replies = CommentReply.objects.select_related("author").order_by("created_at", "id")
    return comments.select_related("contact").prefetch_related(
        Prefetch("replies", queryset=replies)
    )


def list_portal_comments(*, announcement: Announcement) -> QuerySet[Comment]:
    """Comments customers see under a post: not hidden, oldest first, with staff answers."""
    return _with_replies(announcement.comments.filter(hidden_at__isnull=True)).order_by(
        "created_at", "id"
    )


def list_staff_comments(*, announcement: Announcement) -> QuerySet[Comment]:
    """Every comment under a post, hidden ones included, for moderation."""
    return _with_replies(announcement.comments.all()).order_by("created_at", "id")


def get_comment(*, pk: int) -> Comment:
    return Comment.objects.select_related("announcement", "contact").get(pk=pk)


def get_own_comment(*, contact: Contact, uuid: uuid_module.UUID) -> Comment:
    """A comment the customer wrote; anyone else's raises Comment.DoesNotExist (a 404)."""
    return Comment.objects.select_related("announcement").get(uuid=uuid, contact=contact)


# --- Suggestions -------------------------------------------------------------------------


def _counted(suggestions: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    return suggestions.annotate(vote_count=Count("votes", distinct=True))


def list_board(*, status: str = "", q: str = "") -> QuerySet[Suggestion]:
    """Staff board: every idea, most votes first ("what customers ask for most")."""
    ideas = _counted(Suggestion.objects.select_related("contact"))
    if status:
        ideas = ideas.filter(status=status)
    if q.strip():
        ideas = ideas.filter(Q(title__icontains=q.strip()) | Q(description__icontains=q.strip()))
    return ideas.order_by("-vote_count", "-created_at", "-id")


def count_board_by_status() -> dict[str, int]:
    """Ideas per status, every status present (zero when none)."""
    counts = dict(Suggestion.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {value: int(counts.get(value, 0)) for value in SuggestionStatus.values}


def get_suggestion(*, pk: int) -> Suggestion:
    return _counted(Suggestion.objects.select_related("contact")).get(pk=pk)


def list_voters(*, suggestion: Suggestion, limit: int = 100) -> list[Contact]:
    """Who voted for an idea, earliest first (the author's own vote included)."""
    votes = Vote.objects.filter(suggestion=suggestion).select_related("contact").order_by("id")
    return [vote.contact for vote in votes[:limit]]


def _for_portal(contact: Contact) -> QuerySet[Suggestion]:
    voted = Vote.objects.filter(suggestion=OuterRef("pk"), contact=contact)
    return _counted(Suggestion.objects.filter(Q(is_public=True) | Q(contact=contact))).annotate(
        voted=Exists(voted)
    )


def list_portal_suggestions(
    *, contact: Contact, mine: bool = False, status: str = "", ordering: str = "votes"
) -> QuerySet[Suggestion]:
    """Public ideas (and the customer's own hidden ones) with counts and their own vote."""
    ideas = _for_portal(contact)
    if mine:
        ideas = ideas.filter(contact=contact)
    if status:
        ideas = ideas.filter(status=status)
    if ordering == "new":
        return ideas.order_by("-created_at", "-id")
    return ideas.order_by("-vote_count", "-created_at", "-id")


def get_portal_suggestion(*, contact: Contact, uuid: uuid_module.UUID) -> Suggestion:
    """One idea the customer may see; raises Suggestion.DoesNotExist otherwise."""
    return _for_portal(contact).get(uuid=uuid)


def get_own_suggestion(*, contact: Contact, uuid: uuid_module.UUID) -> Suggestion:
    """An idea the customer wrote; anyone else's raises Suggestion.DoesNotExist (a 404)."""
    return _for_portal(contact).get(uuid=uuid, contact=contact)


# --- Surveys and NPS ---------------------------------------------------------------------


@dataclass(frozen=True)
class NpsResult:
    """Net Promoter Score: % promoters (9–10) − % detractors (0–6), from -100 to 100."""

    promoters: int
    passives: int
    detractors: int

    @property
    def answers(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> int | None:
        if not self.answers:
            return None
        # Whole points, rounded half away from zero, as NPS is usually quoted.
        exact = 100 * (self.promoters - self.detractors) / self.answers
        return int(exact + 0.5) if exact >= 0 else -int(-exact + 0.5)


def _nps_counts() -> dict[str, Any]:
    return {
        "promoters": Count("id", filter=Q(score__gte=9)),
        "passives": Count("id", filter=Q(score__in=(7, 8))),
        "detractors": Count("id", filter=Q(score__lte=6)),
    }


def nps_of(responses: QuerySet[SurveyResponse]) -> NpsResult:
    """The NPS of a set of answers."""
    row = responses.order_by().aggregate(**_nps_counts())
    return NpsResult(
        promoters=row["promoters"], passives=row["passives"], detractors=row["detractors"]
    )


@dataclass(frozen=True)
class MonthlyNps:
    month: datetime.date
    result: NpsResult


def list_nps_by_month(*, survey: Survey | None = None) -> list[MonthlyNps]:
    """The NPS of each month with answers (in the active time zone), oldest first."""
    responses = SurveyResponse.objects.all()
    if survey is not None:
        responses = responses.filter(survey=survey)
    rows = (
        responses.annotate(month=TruncMonth("answered_at"))
        .values("month")
        .annotate(**_nps_counts())
        .order_by("month")
    )
    return [
        MonthlyNps(
            month=row["month"].date()
            if isinstance(row["month"], datetime.datetime)
            else row["month"],
            result=NpsResult(
                promoters=row["promoters"], passives=row["passives"], detractors=row["detractors"]
            ),
        )
        for row in rows
    ]


def list_surveys() -> QuerySet[Survey]:
    """Every survey, newest first, with how many were asked and answered, and how."""
    return Survey.objects.annotate(
        asked=Count("recipients", distinct=True),
        answered=Count("responses", distinct=True),
        promoters=Count("responses", filter=Q(responses__score__gte=9), distinct=True),
        passives=Count("responses", filter=Q(responses__score__in=(7, 8)), distinct=True),
        detractors=Count("responses", filter=Q(responses__score__lte=6), distinct=True),
    ).order_by("-created_at", "-id")


def nps_of_survey(survey: Survey) -> NpsResult:
    """The NPS of a survey loaded through ``list_surveys``/``get_survey``."""
    return NpsResult(
        promoters=getattr(survey, "promoters", 0),
        passives=getattr(survey, "passives", 0),
        detractors=getattr(survey, "detractors", 0),
    )


def get_overall_nps() -> NpsResult:
    """The NPS of every answer to every survey."""
    return nps_of(SurveyResponse.objects.all())


def get_survey(*, pk: int) -> Survey:
    return list_surveys().get(pk=pk)


def list_survey_responses(
    *, survey: Survey, with_comment: bool = False
) -> QuerySet[SurveyResponse]:
    """A survey's answers, newest first, with who gave them."""
    responses = SurveyResponse.objects.filter(survey=survey).select_related("contact")
    if with_comment:
        responses = responses.exclude(comment="")
    return responses.order_by("-answered_at", "-id")


def get_recipient(*, uuid_hex: str) -> SurveyRecipient:
    """The invitation a survey link names; raises SurveyRecipient.DoesNotExist."""
    try:
        value = uuid_module.UUID(hex=uuid_hex)
    except ValueError:
        raise SurveyRecipient.DoesNotExist from None
    return SurveyRecipient.objects.select_related("survey", "contact").get(uuid=value)


def has_answered(*, recipient: SurveyRecipient) -> bool:
    return SurveyResponse.objects.filter(recipient=recipient).exists()
