"""The web process's short middleware list for /f/ (hamkor.webforms.handler)."""

import io
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from hamkor.webforms.handler import PublicFormHandler, public_middleware, with_public_forms
from hamkor.webforms.models import Submission
from tests.webforms.conftest import PublicClientHandler
from tests.webforms.factories import WebFormFactory

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
)


def _clients():
    full = Client()
    public = Client()
    public.handler = PublicClientHandler(enforce_csrf_checks=False)
    return full, public


def test_the_short_list_leaves_out_sessions_users_and_csrf(settings):
    kept = public_middleware()

    assert "django.contrib.sessions.middleware.SessionMiddleware" in settings.MIDDLEWARE
    assert not any("session" in path or "auth" in path.lower() for path in kept)
    assert "django.middleware.csrf.CsrfViewMiddleware" not in kept
    assert "django.middleware.security.SecurityMiddleware" in kept
    assert "django.middleware.locale.LocaleMiddleware" in kept
    # django-csp's middleware is replaced by one that builds the same header once.
    assert "csp.middleware.CSPMiddleware" not in kept
    assert "hamkor.webforms.handler.FixedPolicyMiddleware" in kept
    # The swap made while building the chain is undone.
    PublicFormHandler()
    assert "django.contrib.sessions.middleware.SessionMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize("method", ["get", "post"])
def test_public_answers_carry_the_same_security_headers(db, method):
    form = WebFormFactory(allowed_origins="https://shop.example.com")
    data = {"first_name": "Aziza", "email": "aziza@example.com"}
    answers = []
    for client in _clients():
        call = getattr(client, method)
        answers.append(
            call(
                f"/f/{form.uuid}/",
                data if method == "post" else None,
                HTTP_ACCEPT="application/json" if method == "post" else "text/html",
                HTTP_ORIGIN="https://shop.example.com",
            )
        )
    full, public = answers

    assert full.status_code == public.status_code == (201 if method == "post" else 200)
    for header in SECURITY_HEADERS:
        assert public.get(header), header
        assert public[header] == full[header], header
    assert public["Access-Control-Allow-Origin"] == "https://shop.example.com"


def test_public_answers_set_no_session_or_csrf_cookie(db):
    form = WebFormFactory()
    _full, public = _clients()

    answer = public.get(f"/f/{form.uuid}/")

    assert answer.status_code == 200
    assert not answer.cookies


def test_the_hosted_form_speaks_the_visitors_language(db):
    form = WebFormFactory()
    _full, public = _clients()

    page = public.get(f"/f/{form.uuid}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert '<html lang="ru">' in page


@pytest.fixture
def real_handler_signals():
    """Let a bare WSGI handler run inside the test's transaction, as Django's client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _environ(method, path, body=b"", **headers):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    environ.update({f"HTTP_{key.upper()}": value for key, value in headers.items()})
    return environ


def test_the_router_sends_form_posts_to_the_public_handler_and_the_rest_on(
    db, settings, real_handler_signals
):
    settings.ALLOWED_HOSTS = ["testserver"]
    form = WebFormFactory()
    seen = []

    def rest(environ, start_response):
        seen.append(environ["PATH_INFO"])
        start_response("204 No Content", [])
        return [b""]

    application = with_public_forms(rest)
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    body = b"first_name=Aziza&email=aziza%40example.com"
    answer = application(
        _environ("POST", f"/f/{form.uuid}/", body, accept="application/json"), start_response
    )
    content = b"".join(answer)
    answer.close()
    application(_environ("GET", "/contacts/"), start_response)

    assert statuses == ["201 Created", "204 No Content"]
    assert b'"ok": true' in content
    assert Submission.objects.get(form=form).data["email"] == "aziza@example.com"
    assert Submission.objects.get(form=form).ip == "203.0.113.9"
    assert seen == ["/contacts/"]
