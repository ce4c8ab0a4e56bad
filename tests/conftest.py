"""Shared fixtures. The database under test comes from HAMKOR_DATABASE_URL (SQLite by default)."""

import os

import pytest

pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2's deliberate slowness buys nothing in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def require_service(available: bool, reason: str) -> None:
    """Skip with a printed reason when a real service is missing; under CI that is a failure."""
    if available:
        return
    if os.environ.get("HAMKOR_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_url() -> str:
    """A real Redis (HAMKOR_TEST_REDIS_URL), reachable and flushed, or a skip/fail."""
    url = os.environ.get("HAMKOR_TEST_REDIS_URL", "")
    require_service(bool(url), "no Redis: set HAMKOR_TEST_REDIS_URL=redis://127.0.0.1:6379/15")
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as error:
        require_service(False, f"Redis at {url} does not answer: {error}")
    client.flushdb()
    yield url
    client.flushdb()
