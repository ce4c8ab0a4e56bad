import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from hamkor.accounts.models import ApiToken, User
from hamkor.accounts.services import authenticate_token, create_user, issue_token, revoke_token
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_issue_token_stores_only_a_hash_and_authenticates():
    user = UserFactory()

    issued = issue_token(user=user, name="web shop")

    stored = ApiToken.objects.get()
    assert issued.secret not in (stored.key_hash, stored.prefix)
    assert authenticate_token(issued.secret) == user
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_token_no_longer_authenticates():
    user = UserFactory()
    issued = issue_token(user=user, name="old")

    revoke_token(token=issued.token, actor=user)

    assert authenticate_token(issued.secret) is None


def test_token_of_deactivated_user_does_not_authenticate():
    user = UserFactory()
    issued = issue_token(user=user, name="x")
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert authenticate_token(issued.secret) is None


def test_issue_token_needs_a_name():
    with pytest.raises(ValidationError):
        issue_token(user=UserFactory(), name="  ")


def test_create_user_admin_role_gets_admin_site_access():
    user = create_user(username="otabek", password="s3cret-pass-123", role="admin")

    assert user.is_staff and user.is_superuser
    assert user.check_password("s3cret-pass-123")


def test_create_user_refuses_unknown_role_and_duplicate_name():
    create_user(username="malika", password="pw-123456789", role="support")

    with pytest.raises(ValidationError):
        create_user(username="x", password="pw-123456789", role="wizard")
    with pytest.raises(ValidationError):
        create_user(username="malika", password="pw-123456789", role="support")


def test_token_create_command_prints_a_working_token(capsys):
    user = UserFactory(username="rustam")

    call_command("token", "create", "rustam", "--name", "script")

    secret = capsys.readouterr().out.strip()
    assert authenticate_token(secret) == user


def test_token_create_command_for_unknown_user_fails_with_message():
    with pytest.raises(CommandError, match="No active user"):
        call_command("token", "create", "nobody")


def test_createuser_command_with_role_and_team(capsys):
    call_command(
        "createuser", "aziz", "--role", "finance", "--team", "Bishkek", "--password", "pw-123456789"
    )

    user = User.objects.get(username="aziz")
    assert user.role == "finance"
    assert user.team is not None and user.team.name == "Bishkek"
