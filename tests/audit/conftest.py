import pytest

from hamkor.accounts.models import Role
from tests.accounts.factories import UserFactory


@pytest.fixture
def admin(db):
    return UserFactory(username="boss", role=Role.ADMIN)


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role=Role.MANAGER)


@pytest.fixture
def seller(db):
    return UserFactory(username="seller", role=Role.SALES)
