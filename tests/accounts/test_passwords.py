import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from hamkor.accounts.services import change_password, create_user
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw1", "too short"),
        ("4829173650", "entirely numeric"),
        ("password123", "too common"),
        ("malika1990", "too similar"),
    ],
)
def test_create_user_applies_the_password_rules(password, message):
    with pytest.raises(ValidationError, match=message):
        create_user(username="malika", password=password, first_name="Malika", last_name="Karimova")


def test_createuser_command_explains_a_weak_password():
    with pytest.raises(CommandError, match="too short"):
        call_command("createuser", "aziz", "--password", "short")


def test_change_password_on_the_profile_keeps_the_session(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new secret 42",
            "new_password2": "a brand new secret 42",
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.check_password("a brand new secret 42")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("new", ["12345678901", "abc"])
def test_change_password_refuses_a_weak_one_beside_the_field(client, new):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    user.refresh_from_db()
    assert response.status_code == 400
    assert response.context["password_form"].errors["new_password1"]
    assert user.check_password(PASSWORD)


def test_change_password_needs_the_current_one(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not it", "new_password1": "x" * 3, "new_password2": "x" * 3},
    )

    assert response.context["password_form"].errors["old_password"]


def test_change_password_service_applies_the_minimum_length(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 30},
        }
    ]
    user = UserFactory()

    with pytest.raises(ValidationError, match="at least 30 characters"):
        change_password(user=user, new_password="twenty-five characters ok")


def test_login_cookie_lives_for_the_configured_hours(client, settings):
    UserFactory(username="rustam")

    response = client.post(reverse("login"), {"username": "rustam", "password": PASSWORD})

    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 3600


def test_session_settings_come_from_the_environment():
    env = {
        **os.environ,
        "HAMKOR_SESSION_HOURS": "2",
        "HAMKOR_SESSION_EXPIRE_AT_BROWSER_CLOSE": "1",
        "HAMKOR_PASSWORD_MIN_LENGTH": "14",
        "DJANGO_SETTINGS_MODULE": "hamkor.config.settings",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
        "s.AUTH_PASSWORD_VALIDATORS[1]['OPTIONS']['min_length'])"
    )

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )

    assert result.stdout.split() == ["7200", "True", "14"], result.stderr
