import pytest

from hamkor.accounts.services import issue_token
from tests.audit.factories import AuditEventFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/audit/events"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user, name='test').secret}"}


def test_api_lists_events_with_filters(client, admin):
    AuditEventFactory(
        verb="deal.won",
        target_type="sales.deal",
        target_id="5",
        data={"changed": {"stage": ["proposal", "won"]}},
    )
    AuditEventFactory(verb="contact.created")

    answer = client.get(API, {"verb": "deal.won"}, **_auth(admin))

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    assert body["items"][0]["target_id"] == "5"
    assert body["items"][0]["data"] == {"changed": {"stage": ["proposal", "won"]}}


def test_api_pages_with_next(client, admin):
    for number in range(3):
        AuditEventFactory(target_id=str(number))

    # Issuing the token is an event too: only the contact ones are paged here.
    query = {"limit": 2, "verb": "contact.updated"}
    first = client.get(API, query, **_auth(admin)).json()
    second = client.get(API, {**query, "after": first["next"]}, **_auth(admin)).json()

    assert [item["target_id"] for item in first["items"]] == ["2", "1"]
    assert [item["target_id"] for item in second["items"]] == ["0"]
    assert second["next"] is None


def test_api_refuses_non_admins_with_a_detail(client, manager):
    answer = client.get(API, **_auth(manager))

    assert answer.status_code == 403
    assert answer.json()["detail"] == "Only administrators can read the audit log."


def test_api_refuses_a_backwards_date_range(client, admin):
    answer = client.get(API, {"date_from": "2026-03-05", "date_to": "2026-03-01"}, **_auth(admin))

    assert answer.status_code == 422
    assert answer.json()["errors"] == {"date_to": ["The end date is before the start date."]}


def test_api_refuses_unknown_parameters(client, admin):
    answer = client.get(API, {"verbb": "x"}, **_auth(admin))

    assert answer.status_code == 422
    assert "verbb" in answer.json()["detail"]
