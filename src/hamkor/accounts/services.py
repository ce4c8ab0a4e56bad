"""Writes for users, passwords, teams, API tokens and their call log."""

from __future__ import annotations

import hashlib
import logging
import secrets
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.api_access import API_AREAS
from hamkor.accounts.models import ApiCallLog, ApiToken, Role, Team, TokenScope, User
from hamkor.core.audit import record_event

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "hmk_"  # noqa: S105 - a visible marker, not a secret
# Lifetimes offered when a token is created; None is "never expires".
TOKEN_LIFETIMES_DAYS: tuple[int | None, ...] = (30, 90, 365, None)
# Rows deleted per statement when pruning the call log, so no statement holds locks for long.
PRUNE_BATCH = 5000


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    role: str = Role.SALES,
    team: Team | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a user with a role; admins also get Django admin access."""
    if role not in Role.values:
        raise ValidationError(
            _("Unknown role “%(role)s”. Choose one of: %(roles)s."),
            params={"role": role, "roles": ", ".join(Role.values)},
        )
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            _("A user named “%(name)s” already exists."), params={"name": username}
        )
    user = User(
        username=username,
        role=role,
        team=team,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean()
    user.save()
    record_event(actor=None, verb="user.created", target=user, data={"role": role})
    return user


@transaction.atomic
def change_password(*, user: User, new_password: str) -> User:
    """Set a new password after the password rules (length, common, similar, numeric) pass."""
    password_validation.validate_password(new_password, user=user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record_event(actor=user, verb="user.password_changed", target=user)
    return user


@transaction.atomic
def get_or_create_team(*, name: str) -> Team:
    """Team by name, created on first use."""
    team, _created = Team.objects.get_or_create(name=name.strip())
    return team


@transaction.atomic
def issue_token(
    *,
    user: User,
    name: str,
    scope: str = TokenScope.WRITE,
    apps: Sequence[str] = (),
    expires_in_days: int | None = None,
) -> IssuedToken:
    """Create a token; the returned secret is never stored and cannot be shown again.

    ``apps`` empty means every API area; ``expires_in_days`` None means it never expires.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. “web shop”.")})
    if scope not in TokenScope.values:
        raise ValidationError(
            {
                "scope": _("Unknown scope “%(scope)s”. Choose one of: %(scopes)s.")
                % {"scope": scope, "scopes": ", ".join(TokenScope.values)}
            }
        )
    unknown = sorted(set(apps) - set(API_AREAS))
    if unknown:
        raise ValidationError(
            {
                "apps": _("Unknown API areas: %(unknown)s. Choose from: %(areas)s.")
                % {"unknown": ", ".join(unknown), "areas": ", ".join(API_AREAS)}
            }
        )
    if expires_in_days is not None and expires_in_days <= 0:
        raise ValidationError({"expires_at": _("A token must live at least one day.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:100],
        prefix=secret[:12],
        key_hash=hash_token(secret),
        scope=scope,
        # Kept in the order areas are listed, so equal choices look equal.
        apps=[area for area in API_AREAS if area in set(apps)],
        expires_at=(timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None),
    )
    token.full_clean()
    token.save()
    record_event(
        actor=user,
        verb="token.created",
        target=token,
        data={"name": token.name, "scope": token.scope, "apps": token.apps},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token; revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=actor, verb="token.revoked", target=token)
    return token


def resolve_token(secret: str) -> ApiToken | None:
    """The unrevoked token of an active user with this secret (expired or not), with its user.

    A usable (unexpired) token is marked as used.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.is_expired(now):
        return token
    # Writing on every request would serialise API calls on SQLite; a minute is precise enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def authenticate_token(secret: str) -> User | None:
    """The active user owning this unexpired token, or None."""
    token = resolve_token(secret)
    if token is None or token.is_expired():
        return None
    return token.user


def record_api_call(
    *,
    token: ApiToken,
    method: str,
    path: str,
    status_code: int,
    duration_ms: int,
    ip: str | None,
) -> ApiCallLog | None:
    """Append one row to the API call log: a single INSERT from ids already in memory.

    A failed write is logged and swallowed: the caller already has its answer.
    """
    try:
        return ApiCallLog.objects.create(
            token_id=token.pk,
            user_id=token.user_id,
            method=method[:8],
            path=path[:300],
            status_code=status_code,
            duration_ms=max(0, duration_ms),
            ip=ip,
        )
    except DatabaseError:
        logger.exception("Could not log an API call", extra={"token": token.pk, "path": path})
        return None


def prune_api_calls(*, older_than_days: int | None = None) -> int:
    """Delete call log rows past the retention (HAMKOR_API_LOG_RETENTION_DAYS), in batches."""
    days = settings.HAMKOR_API_LOG_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    while True:
        ids = list(
            ApiCallLog.objects.filter(at__lt=cutoff)
            .order_by("at")
            .values_list("pk", flat=True)[:PRUNE_BATCH]
        )
        if not ids:
            return deleted
        deleted += ApiCallLog.objects.filter(pk__in=ids).delete()[0]


@transaction.atomic
def set_user_language(*, user: User, language: str) -> User:
    """Remember the user's UI language."""
    user.language = language
    user.full_clean(validate_unique=False)
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def set_user_time_zone(*, user: User, time_zone: str) -> User:
    """Remember the user's time zone (an IANA name, or blank for the organisation default)."""
    time_zone = time_zone.strip()
    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise ValidationError(
            {
                "time_zone": _("“%(value)s” is not a time zone; use a name like Asia/Tashkent.")
                % {"value": time_zone}
            }
        )
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    return user
