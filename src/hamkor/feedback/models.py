"""Announcements with comments and reactions, the suggestions board and NPS surveys.

An announcement is written once, in one language, or for every language (``language``
empty): a customer sees the posts for everyone plus those in their own language. That keeps
a short news item cheap to publish while letting a shop write a Russian and an Uzbek version
of an important one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.contacts.models import Contact, Language
from hamkor.core.models import TimeStampedModel


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Announcement(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # Empty: shown to every customer, whatever their language.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        blank=True,
        help_text=_("Leave empty to show the post to every customer."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="feedback_news_published"),
        ]

    def __str__(self) -> str:
        return self.title


class ReactionKind(models.TextChoices):
    LIKE = "like", _("Like")
    LOVE = "love", _("Love")
    CELEBRATE = "celebrate", _("Celebrate")
    CONFUSED = "confused", _("Confused")


# What each reaction shows as; the label above is what screen readers announce.
REACTION_EMOJI = {
    ReactionKind.LIKE: "👍",
    ReactionKind.LOVE: "❤️",
    ReactionKind.CELEBRATE: "🎉",
    ReactionKind.CONFUSED: "😕",
}


class Reaction(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="reactions"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("reaction"), max_length=16, choices=ReactionKind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "contact", "kind"], name="feedback_reaction_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.contact_id}"


class Comment(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="comments"
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=2000)
    # Moderation: a hidden comment stays for staff but leaves the portal.
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:50]


class CommentReply(TimeStampedModel):
    """A staff member's answer to a customer's comment, shown beneath it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("answer"), max_length=4000)

    class Meta:
        verbose_name = _("staff answer")
        verbose_name_plural = _("staff answers")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:50]


class SuggestionStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("suggestion status", "New")
    UNDER_REVIEW = "under_review", _("Under review")
    PLANNED = "planned", _("Planned")
    DONE = "done", pgettext_lazy("suggestion status", "Done")
    DECLINED = "declined", _("Declined")


class Suggestion(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        Contact, verbose_name=_("suggested by"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.NEW,
    )
    public_answer = models.TextField(_("public answer"), max_length=4000, blank=True)
    # Moderation: a hidden idea stays on the staff board but leaves the portal (not its author's).
    is_public = models.BooleanField(_("shown on the portal"), default=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="feedback_idea_status")]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="votes")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "contact"], name="feedback_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id}:{self.contact_id}"


class SuggestionStatusChange(models.Model):
    """One status change: the unit customers are told about, once each."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(max_length=16, choices=SuggestionStatus.choices)
    new_status = models.CharField(max_length=16, choices=SuggestionStatus.choices)
    answer = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"


class SurveyTrigger(models.TextChoices):
    GROUP = "group", _("Sent to a group of contacts")
    AFTER_ORDER = "after_order", _("Sent after an order is paid")


class Survey(TimeStampedModel):
    """An NPS question (0–10) with an optional comment."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("name"), max_length=200)
    trigger = models.CharField(
        _("sent"), max_length=16, choices=SurveyTrigger.choices, default=SurveyTrigger.GROUP
    )
    # Who a group survey goes to, written like an automation segment:
    # ``tag=vip&stage=customer&source=Instagram`` (saved segments replace it, issue 7).
    segment = models.CharField(_("contacts"), max_length=500, blank=True)
    delay_days = models.PositiveSmallIntegerField(
        _("days after payment"),
        default=3,
        help_text=_("How long after an order is paid the survey goes out."),
    )
    cooldown_days = models.PositiveSmallIntegerField(
        _("days between surveys"),
        default=90,
        help_text=_("A customer gets at most one survey in this many days."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SurveyRecipient(models.Model):
    """One invitation: a contact asked once (``key``), answering through a signed link."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(
        "sales.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "<survey>:contact:<id>" for a group, "<survey>:order:<id>" after an order.
    key = models.CharField(max_length=100, unique=True)
    send_after = models.DateTimeField(_("sent after"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey recipient")
        verbose_name_plural = _("survey recipients")
        ordering = ["-send_after", "-id"]
        indexes = [models.Index(fields=["contact", "send_after"], name="feedback_rcpt_contact")]

    def __str__(self) -> str:
        return self.key


class SurveyResponse(models.Model):
    recipient = models.OneToOneField(
        SurveyRecipient, on_delete=models.CASCADE, related_name="response"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=10), name="feedback_score_0_10"
            )
        ]
        indexes = [models.Index(fields=["survey", "answered_at"], name="feedback_answer_survey")]

    def __str__(self) -> str:
        return f"{self.score}"
