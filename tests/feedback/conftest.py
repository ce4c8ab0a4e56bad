"""Who acts in the feedback tests: a manager who runs the loop, customers on the portal."""

import pytest

from hamkor.accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.messaging.factories import consenting_contact


@pytest.fixture
def manager():
    return UserFactory(role=Role.MANAGER, first_name="Malika", last_name="Y")


@pytest.fixture
def seller():
    return UserFactory(role=Role.SALES)


@pytest.fixture
def aziza():
    """A customer who agreed to email and reads in Russian."""
    return consenting_contact("email", first_name="Aziza", language="ru", email="aziza@example.uz")


@pytest.fixture
def bobur():
    return consenting_contact("email", first_name="Bobur", language="uz", email="bobur@example.uz")


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.HAMKOR_PUBLIC_URL = "https://crm.example.uz"
