"""The per-address limit holds when many web processes ask for codes at the same moment."""

import pytest
from django.db import connection

from hamkor.portal.errors import CodeRequestThrottled
from hamkor.portal.models import LoginCode
from hamkor.portal.services import MAX_CODES_PER_ADDRESS, parse_login_address, request_login_code
from tests.portal.factories import CustomerFactory
from tests.races import race

REQUESTS = 8


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_code_requests_stay_within_the_address_limit():
    if connection.vendor != "postgresql":
        # The SQLite pass skips it; the PostgreSQL pass (required in CI) runs it.
        pytest.skip("needs PostgreSQL (HAMKOR_DATABASE_URL): SQLite runs one writer at a time")
    CustomerFactory(email="aziza@example.com")
    address = parse_login_address("aziza@example.com")

    sent, throttled, errors = race(
        lambda number: request_login_code(address=address, client_ip=f"10.0.0.{number}"),
        REQUESTS,
        expected=(CodeRequestThrottled,),
    )

    assert errors == []
    assert len(sent) == MAX_CODES_PER_ADDRESS
    assert len(throttled) == REQUESTS - MAX_CODES_PER_ADDRESS
    assert LoginCode.objects.count() == MAX_CODES_PER_ADDRESS
