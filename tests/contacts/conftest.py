"""Who is signed in for the contacts web tests, and the other team they must not reach."""

import pytest

from hamkor.accounts.models import Role
from tests.accounts.factories import TeamFactory, UserFactory


@pytest.fixture
def user(client):
    user = UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))
    client.force_login(user)
    return user


@pytest.fixture
def stranger():
    """A sales user of another team, owning records the signed-in user must not reach."""
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))
