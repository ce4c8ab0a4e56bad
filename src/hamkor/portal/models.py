"""One-time login codes and the rows that serialise code requests per address and per IP."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkor.contacts.models import Contact


class LoginChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class LoginCode(models.Model):
    """One request for a login code, whether or not the address belonged to a customer.

    Requests for unknown addresses are stored too (without a contact or code), so the rate
    limits count them alike and cannot tell anyone which addresses exist. Only an HMAC of the
    code is kept.
    """

    address = models.CharField(_("address"), max_length=254)
    channel = models.CharField(_("channel"), max_length=8, choices=LoginChannel.choices)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    code_hash = models.CharField(max_length=128, blank=True)
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)

    class Meta:
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["address", "created_at"], name="portal_code_address"),
            models.Index(fields=["client_ip", "created_at"], name="portal_code_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.address}"


class LoginThrottle(models.Model):
    """A row per address or client IP, locked while a code request is counted and written.

    Locking it makes "count the recent requests, then add one" a single step across any
    number of web processes, so a burst cannot slip past the limit.
    """

    key = models.CharField(max_length=300, unique=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return self.key
