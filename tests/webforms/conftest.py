import pytest

from tests.webforms.factories import ManagerFactory


@pytest.fixture
def manager(client):
    user = ManagerFactory()
    client.force_login(user)
    return user


@pytest.fixture
def post_form(client, django_capture_on_commit_callbacks):
    """Post to a form's public endpoint the way a website does; queued jobs run inline."""

    def post(form, data, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/f/{form.uuid}/", data, **headers)

    return post
