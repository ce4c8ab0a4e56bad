"""Signing in, out and failing to: each leaves an event saying who and from where."""

import pytest
from django.urls import reverse

from hamkor.core.models import AuditEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
BROWSER = "Mozilla/5.0 (Test)"


def _login(client, username, password, **extra):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT=BROWSER,
        **extra,
    )


def test_login_records_who_and_from_where(client):
    user = UserFactory(username="dilnoza")

    _login(client, "dilnoza", PASSWORD)

    event = AuditEvent.objects.get(verb="user.logged_in")
    assert (event.actor, event.target_id) == (user, str(user.pk))
    assert (event.ip, event.user_agent, event.via) == ("203.0.113.7", BROWSER, "web")
    assert event.request == "POST /login/"


def test_failed_login_records_the_username_but_never_the_password(client):
    user = UserFactory(username="dilnoza")

    _login(client, "dilnoza", "wrong-secret-123")

    event = AuditEvent.objects.get(verb="user.login_failed")
    assert event.actor is None
    assert event.target_id == str(user.pk)
    assert event.data == {"username": "dilnoza"}
    assert event.ip == "203.0.113.7"
    assert "wrong-secret-123" not in str(event.data) + event.user_agent + event.request


def test_failed_login_for_an_unknown_username_has_no_target_id(client):
    _login(client, "nobody-here", "whatever-123")

    event = AuditEvent.objects.get(verb="user.login_failed")
    assert (event.target_type, event.target_id) == ("accounts.user", "")
    assert event.data == {"username": "nobody-here"}


def test_logout_records_an_event(client):
    user = UserFactory(username="dilnoza")
    client.force_login(user)

    client.post(reverse("logout"), REMOTE_ADDR="198.51.100.4")

    event = AuditEvent.objects.get(verb="user.logged_out")
    assert (event.actor, event.ip) == (user, "198.51.100.4")


def test_logout_without_a_session_records_nothing(client):
    client.post(reverse("logout"))

    assert not AuditEvent.objects.filter(verb="user.logged_out").exists()


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client):
    UserFactory(username="dilnoza")

    _login(client, "dilnoza", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert AuditEvent.objects.get(verb="user.logged_in").ip == "203.0.113.7"


def test_forwarded_for_names_the_client_behind_a_trusted_proxy(client, settings):
    settings.HAMKOR_PROXY_COUNT = 1
    UserFactory(username="dilnoza")

    # The client may send its own header; the proxy appends the address it saw.
    _login(client, "dilnoza", PASSWORD, HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.55")

    assert AuditEvent.objects.get(verb="user.logged_in").ip == "192.0.2.55"
