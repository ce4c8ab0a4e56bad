from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _try(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _fail(client, username, times, ip="10.0.0.1"):
    return [_try(client, username, "wrong-guess", ip).status_code for _ in range(times)]


def test_login_locks_after_the_failure_limit_with_a_clear_message(client, settings):
    UserFactory(username="rustam")

    statuses = _fail(client, "rustam", settings.HAMKOR_LOGIN_FAILURE_LIMIT)
    locked = _try(client, "rustam", PASSWORD)

    assert statuses[:-1] == [200] * (settings.HAMKOR_LOGIN_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert "Try again in 15 minutes" in locked.content.decode()
    assert 'name="username"' in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_ends_when_the_lockout_time_has_passed(client, settings):
    UserFactory(username="rustam")
    _fail(client, "rustam", settings.HAMKOR_LOGIN_FAILURE_LIMIT)
    # As if the lockout minutes had gone by.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - timedelta(minutes=settings.HAMKOR_LOGIN_LOCKOUT_MINUTES + 1)
    )

    response = _try(client, "rustam", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_lockout_is_per_username_and_address(client, settings):
    UserFactory(username="rustam")
    UserFactory(username="malika")
    _fail(client, "rustam", settings.HAMKOR_LOGIN_FAILURE_LIMIT)

    other_address = _try(client, "rustam", PASSWORD, ip="10.0.0.2")
    client.post(reverse("logout"))
    other_user = _try(client, "malika", PASSWORD)

    assert other_address.status_code == 302
    assert other_user.status_code == 302


def test_successful_login_resets_the_failure_count(client, settings):
    UserFactory(username="rustam")
    limit = settings.HAMKOR_LOGIN_FAILURE_LIMIT
    _fail(client, "rustam", limit - 1)
    _try(client, "rustam", PASSWORD)
    client.post(reverse("logout"))

    statuses = _fail(client, "rustam", limit - 1)

    assert statuses == [200] * (limit - 1)
    assert _try(client, "rustam", PASSWORD).status_code == 302


def test_limit_follows_the_setting(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="rustam")

    assert _fail(client, "rustam", 2) == [200, 429]


def test_test_client_login_still_works(client):
    # Client.login authenticates without a request; the lockout lets it through.
    UserFactory(username="rustam")

    assert client.login(username="rustam", password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200
