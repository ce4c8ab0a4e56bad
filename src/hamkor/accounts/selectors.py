"""Reads for users, teams and tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from hamkor.accounts.models import ApiToken, User


def list_tokens(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def get_token(*, user: User, pk: int) -> ApiToken:
    return ApiToken.objects.get(user=user, pk=pk)


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
