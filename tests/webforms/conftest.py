import pytest
from django.test.client import ClientHandler

from hamkor.webforms.handler import PublicMiddlewareMixin
from tests.webforms.factories import ManagerFactory


class PublicClientHandler(PublicMiddlewareMixin, ClientHandler):
    """The test client's handler with the middleware the web process uses for /f/."""


@pytest.fixture
def manager(client):
    user = ManagerFactory()
    client.force_login(user)
    return user


@pytest.fixture(params=["full middleware", "public middleware"])
def public_client(request, client):
    """A test client for /f/: once through settings.MIDDLEWARE, once through the short list
    hamkor.config.wsgi serves /f/ with (hamkor.webforms.handler), so both answer alike."""
    if request.param == "public middleware":
        client.handler = PublicClientHandler(enforce_csrf_checks=False)
    return client


@pytest.fixture
def post_form(public_client, django_capture_on_commit_callbacks):
    """Post to a form's public endpoint the way a website does; queued jobs run inline."""

    def post(form, data, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return public_client.post(f"/f/{form.uuid}/", data, **headers)

    return post
