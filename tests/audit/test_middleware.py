from django.test import RequestFactory

from hamkor.audit.middleware import AuditOriginMiddleware, request_origin
from hamkor.audit.receivers import worker_started
from hamkor.core.audit import Origin, current_origin, set_process_origin


def test_request_origin_of_an_api_call():
    request = RequestFactory().post(
        "/api/v1/contacts", REMOTE_ADDR="2001:db8::1", HTTP_USER_AGENT="curl/8"
    )

    assert request_origin(request) == Origin(
        via="api", ip="2001:db8::1", user_agent="curl/8", request="POST /api/v1/contacts"
    )


def test_request_origin_drops_an_address_that_is_not_one():
    request = RequestFactory().get("/contacts/", REMOTE_ADDR="not-an-ip")

    assert request_origin(request).ip is None


def test_middleware_sets_the_origin_only_while_the_request_runs():
    seen = []
    middleware = AuditOriginMiddleware(lambda request: seen.append(current_origin()))

    middleware(RequestFactory().get("/contacts/", REMOTE_ADDR="192.0.2.1"))

    assert (seen[0].via, seen[0].ip) == ("web", "192.0.2.1")
    assert current_origin().via == "cli"


def test_worker_start_marks_the_process_as_the_worker():
    try:
        worker_started()

        assert current_origin() == Origin(via="worker")
    finally:
        set_process_origin(Origin(via="cli"))
