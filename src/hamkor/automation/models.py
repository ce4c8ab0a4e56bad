"""Automation rules, their runs, and signed outgoing webhooks with a delivery log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkor.core.models import TimeStampedModel


class Trigger(models.TextChoices):
    RECORD_CREATED = "record_created", _("A record is created")
    FIELD_CHANGED = "field_changed", _("A field changes")
    DEAL_STAGE_CHANGED = "deal_stage_changed", _("A deal moves to another stage")
    ORDER_PAID = "order_paid", _("An order is paid")
    TICKET_STATUS_CHANGED = "ticket_status_changed", _("A ticket's status changes")
    INTERACTION_LOGGED = "interaction_logged", _("An interaction is logged")
    EVENT = "event", _("Any recorded event")
    DATE_REACHED = "date_reached", _("A date is reached")
    NO_INTERACTION = "no_interaction", _("No interaction for a number of days")
    ACTIVITY_OVERDUE = "activity_overdue", _("An activity is overdue")


# Triggers checked by the periodic task rather than by recorded events.
TIME_TRIGGERS = frozenset({Trigger.DATE_REACHED, Trigger.NO_INTERACTION, Trigger.ACTIVITY_OVERDUE})


# The ready-made rules' texts as shipped (English, in the data migration), shown in the
# viewer's language until someone renames the rule.
READY_MADE_TEXTS = {
    "Birthday greeting": _("Birthday greeting"),
    "Follow-up after a first visit": _("Follow-up after a first visit"),
    "No contact in 60 days: re-engage": _("No contact in 60 days: re-engage"),
    "On a customer's birthday, from 09:00 their time, send a greeting by SMS (the message "
    "template “birthday-greeting” if there is one, else the text below).": _(
        "On a customer's birthday, from 09:00 their time, send a greeting by SMS (the message "
        "template “birthday-greeting” if there is one, else the text below)."
    ),
    "When a customer visits for the first time, plan a follow-up for their owner in two days.": _(
        "When a customer visits for the first time, plan a follow-up for their owner in two days."
    ),
    "When nobody has talked to a customer for 60 days, plan a call for their owner.": _(
        "When nobody has talked to a customer for 60 days, plan a call for their owner."
    ),
}


class Rule(TimeStampedModel):
    """When something happens (trigger) to a record that fits (conditions), do (actions).

    ``trigger_params``, ``conditions`` and ``actions`` are validated by
    ``automation.services.spec``; ``verb`` is the audit verb the trigger
    listens to (empty for time triggers), kept so an event finds its rules by index.
    """

    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=255, blank=True)
    trigger = models.CharField(_("trigger"), max_length=32, choices=Trigger.choices)
    trigger_params = models.JSONField(_("trigger settings"), default=dict, blank=True)
    verb = models.CharField(max_length=64, blank=True, editable=False)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    enabled = models.BooleanField(_("switched on"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Ready-made rules carry a key so shipping them again never duplicates them.
    key = models.SlugField(_("key"), max_length=60, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("automation rule")
        verbose_name_plural = _("automation rules")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["enabled", "verb"], name="automation_rule_verb")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name, translated when it is a ready-made rule's original one."""
        return str(READY_MADE_TEXTS.get(self.name, self.name)) if self.key else self.name

    @property
    def display_description(self) -> str:
        if not self.key:
            return self.description
        return str(READY_MADE_TEXTS.get(self.description, self.description))

    @property
    def is_time_triggered(self) -> bool:
        return self.trigger in TIME_TRIGGERS


class RunStatus(models.TextChoices):
    OK = "ok", _("Done")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class RuleRun(models.Model):
    """One firing of a rule for one trigger occurrence; ``key`` makes a retry a no-op."""

    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="runs"
    )
    # "event:<audit event id>", "birthday:<contact>:<year>", "idle:<contact>:<since>", ...
    key = models.CharField(_("occurrence"), max_length=120)
    event_id = models.BigIntegerField(_("event"), null=True, blank=True)
    target_type = models.CharField(_("record type"), max_length=64)
    target_id = models.CharField(_("record id"), max_length=64)
    target_label = models.CharField(_("record"), max_length=255, blank=True)
    status = models.CharField(_("result"), max_length=16, choices=RunStatus.choices)
    message = models.CharField(_("message"), max_length=500, blank=True)
    # One entry per action: {"action": type, "status": ok|failed|skipped, "message": text}.
    steps = models.JSONField(_("steps"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("rule run")
        verbose_name_plural = _("rule runs")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "key"], name="automation_run_once"),
        ]
        indexes = [models.Index(fields=["rule", "-started_at"], name="automation_run_rule")]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.key} {self.status}"


class RoundRobin(models.Model):
    """Who got the last assignment handed out in turn; the next one goes to the next user."""

    key = models.CharField(max_length=120, unique=True)
    last_user_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.last_user_id}"


class WebhookEndpoint(TimeStampedModel):
    """An address outside that gets a signed JSON POST for chosen events."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"),
        max_length=128,
        help_text=_("The receiver checks X-Hamkor-Signature with this secret."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Audit verbs such as "contact.created"; "*" for every event. Rules may call it too.
    events = models.JSONField(_("events"), default=list, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Will retry")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One payload for one endpoint, with every attempt's outcome; the body never changes."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    key = models.CharField(_("occurrence"), max_length=160)
    event = models.CharField(_("event"), max_length=64)
    body = models.TextField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    next_retry_at = models.DateTimeField(_("next retry"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "key"], name="automation_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_retry_at"], name="automation_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="automation_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} {self.event} {self.status}"
