import pytest

from hamkor.accounts.models import Role
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import ContactFactory
from tests.messaging.factories import ConsentFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a block queues on commit (signals, Huey jobs), as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def agent(db):
    """Malika, a support agent of the support team."""
    return UserFactory(
        username="malika", first_name="Malika", role=Role.SUPPORT, team=TeamFactory(name="Support")
    )


@pytest.fixture
def customer(db):
    """Aziza, a customer with an email address who agreed to email messages."""
    contact = ContactFactory(first_name="Aziza", email="aziza@example.com", language="en")
    ConsentFactory(contact=contact, channel="email")
    return contact
