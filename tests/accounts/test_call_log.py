from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hamkor.accounts.models import ApiCallLog, Role, TokenScope
from hamkor.accounts.services import issue_token, prune_api_calls
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"


def _client(secret, **headers):
    return Client(headers={"Authorization": f"Bearer {secret}", **headers})


def test_an_api_call_is_logged_with_its_token():
    user = UserFactory()
    issued = issue_token(user=user, name="shop")

    response = _client(issued.secret).get(CONTACTS, REMOTE_ADDR="192.0.2.7")

    call = ApiCallLog.objects.get()
    assert response.status_code == 200
    assert (call.token, call.user, call.method, call.path) == (issued.token, user, "GET", CONTACTS)
    assert (call.status_code, call.ip) == (200, "192.0.2.7")
    assert call.duration_ms >= 0


def test_a_refused_call_is_logged_with_its_status():
    issued = issue_token(user=UserFactory(), name="bi", scope=TokenScope.READ)

    _client(issued.secret).post(CONTACTS, data="{}", content_type="application/json")

    assert list(ApiCallLog.objects.values_list("method", "status_code")) == [("POST", 403)]


def test_calls_without_a_known_token_are_not_logged():
    Client().get(CONTACTS)
    Client(headers={"Authorization": "Bearer hmk_nope"}).get(CONTACTS)

    assert not ApiCallLog.objects.exists()


def test_logging_a_call_costs_one_insert():
    issued = issue_token(user=UserFactory(), name="shop")
    client = _client(issued.secret)
    client.get(CONTACTS)  # marks the token used; later calls within a minute do not

    with CaptureQueriesContext(connection) as queries:
        client.get(CONTACTS)

    log_queries = [q["sql"] for q in queries.captured_queries if "accounts_apicalllog" in q["sql"]]
    assert len(log_queries) == 1
    assert log_queries[0].startswith("INSERT")


def test_owner_sees_the_latest_calls_of_a_token(client):
    user = UserFactory()
    issued = issue_token(user=user, name="shop")
    _client(issued.secret).get(CONTACTS + "?q=karim")
    client.force_login(user)

    page = client.get(reverse("accounts:token_calls", args=[issued.token.pk]))

    assert page.status_code == 200
    assert "GET /api/v1/contacts" in page.content.decode()


def test_someone_elses_token_calls_are_404(client):
    issued = issue_token(user=UserFactory(), name="theirs")
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:token_calls", args=[issued.token.pk]))

    assert response.status_code == 404


def test_administrators_see_every_call_and_others_do_not(client):
    seller = UserFactory(username="jasur")
    issued = issue_token(user=seller, name="shop")
    _client(issued.secret).get(CONTACTS)
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True))

    page = client.get(reverse("accounts:api_calls"), {"username": "jasur"})
    client.force_login(seller)
    refused = client.get(reverse("accounts:api_calls"))

    assert issued.token.prefix in page.content.decode()
    assert refused.status_code == 403


def test_prune_deletes_calls_past_retention(settings):
    settings.HAMKOR_API_LOG_RETENTION_DAYS = 30
    issued = issue_token(user=UserFactory(), name="shop")
    client = _client(issued.secret)
    client.get(CONTACTS)
    client.get(CONTACTS)
    old = ApiCallLog.objects.order_by("id").first()
    ApiCallLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))

    deleted = prune_api_calls()

    assert deleted == 1
    assert not ApiCallLog.objects.filter(pk=old.pk).exists()
    assert ApiCallLog.objects.count() == 1


def test_nightly_job_prunes_old_calls_and_login_records(client):
    from axes.models import AccessLog

    from hamkor.accounts.tasks import prune_access_logs_nightly

    user = UserFactory()
    issued = issue_token(user=user, name="shop")
    _client(issued.secret).get(CONTACTS)
    client.post(reverse("login"), {"username": user.username, "password": "correct horse battery"})
    long_ago = timezone.now() - timedelta(days=365)
    ApiCallLog.objects.update(at=long_ago)
    AccessLog.objects.update(attempt_time=long_ago)

    prune_access_logs_nightly.call_local()

    assert not ApiCallLog.objects.exists()
    assert not AccessLog.objects.exists()
