import factory
from django.utils import timezone

from hamkor.activities.models import Channel, Direction, Interaction
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    contact = factory.SubFactory(ContactFactory)
    channel = Channel.PHONE
    direction = Direction.OUT
    subject = factory.Sequence(lambda n: f"Call {n}")
    occurred_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)
