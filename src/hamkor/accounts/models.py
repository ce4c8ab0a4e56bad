"""Users, teams, roles, API tokens with their call log, and the two-factor policy."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Manager")
    SALES = "sales", _("Sales")
    OPERATIONS = "operations", _("Operations")
    FINANCE = "finance", _("Finance")
    SUPPORT = "support", _("Support")


# Roles that see every record, not only their own and their team's.
SEE_ALL_ROLES = frozenset({Role.ADMIN, Role.MANAGER})


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.SALES)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in SEE_ALL_ROLES


class TeamOwned(models.Model):
    """A record that belongs to a user and a team: the unit of visibility in every app."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the secret is shown once.

    ``apps`` limits the token to some API areas (see ``accounts.api_access``); empty means all.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE
    )
    apps = models.JSONField(_("API areas"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class TwoFactorRequirement(models.Model):
    """One row per role whose members must sign in with a second factor."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("two-factor requirement")
        verbose_name_plural = _("two-factor requirements")
        ordering = ["role"]

    def __str__(self) -> str:
        return str(self.get_role_display())


class ApiCallLog(models.Model):
    """One authenticated API request: written once, never updated, pruned after retention."""

    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("token"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("status"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at", "-id"]
        indexes = [
            # The owner's "last 50 calls of this token", and pruning by age.
            models.Index(fields=["token", "-at"], name="accounts_apicall_token_at"),
            models.Index(fields=["at"], name="accounts_apicall_at"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status_code}"
