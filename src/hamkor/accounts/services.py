"""Writes for users, teams and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import ApiToken, Role, Team, User
from hamkor.core.audit import record_event

TOKEN_PREFIX = "hmk_"  # noqa: S105 - a visible marker, not a secret


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
    user.set_password(password)
    user.full_clean()
    user.save()
    record_event(actor=None, verb="user.created", target=user, data={"role": role})
    return user


@transaction.atomic
def get_or_create_team(*, name: str) -> Team:
    """Team by name, created on first use."""
    team, _created = Team.objects.get_or_create(name=name.strip())
    return team


@transaction.atomic
def issue_token(*, user: User, name: str) -> IssuedToken:
    """Create a token; the returned secret is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name, e.g. “web shop”."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=secret[:12], key_hash=hash_token(secret))
    token.full_clean()
    token.save()
    record_event(actor=user, verb="token.created", target=token, data={"name": token.name})
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token; revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=actor, verb="token.revoked", target=token)
    return token


def authenticate_token(secret: str) -> User | None:
    """The active user owning this token, or None."""
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
    # Writing on every request would serialise API calls on SQLite; a minute is precise enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


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
