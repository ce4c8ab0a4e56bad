"""Reads for users, teams, tokens and the API call log."""

from __future__ import annotations

from django.db.models import QuerySet

from hamkor.accounts.models import ApiCallLog, ApiToken, Role, User

# Calls shown per token to its owner, and on the administrators' page.
TOKEN_CALLS_SHOWN = 50
ALL_CALLS_SHOWN = 200


def list_tokens(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def get_token(*, user: User, pk: int) -> ApiToken:
    """One of the user's own tokens (DoesNotExist for anyone else's)."""
    return ApiToken.objects.get(user=user, pk=pk)


def is_access_admin(user: User) -> bool:
    """Administrators manage the two-factor policy and see every API call."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def list_token_calls(*, token: ApiToken) -> list[ApiCallLog]:
    """The token's latest calls, newest first (the owner's view)."""
    return list(ApiCallLog.objects.filter(token=token).order_by("-at", "-id")[:TOKEN_CALLS_SHOWN])


def list_api_calls(*, viewer: User, username: str = "", prefix: str = "") -> list[ApiCallLog]:
    """The latest calls of every token, for administrators; filtered by user or token prefix."""
    if not is_access_admin(viewer):
        return []
    calls = ApiCallLog.objects.select_related("token", "user").order_by("-at", "-id")
    if username:
        calls = calls.filter(user__username=username)
    if prefix:
        calls = calls.filter(token__prefix__startswith=prefix)
    return list(calls[:ALL_CALLS_SHOWN])


def list_users() -> QuerySet[User]:
    """Active users, for owner pickers."""
    return User.objects.filter(is_active=True).select_related("team").order_by("username")


def list_assignable_users(*, viewer: User) -> QuerySet[User]:
    """Users the viewer may make owner of a record: anyone for managers, else their team."""
    users = list_users()
    if viewer.sees_everything:
        return users
    if viewer.team_id is None:
        return users.filter(pk=viewer.pk)
    return users.filter(team_id=viewer.team_id)
