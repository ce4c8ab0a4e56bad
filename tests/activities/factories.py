import datetime

import factory
from django.utils import timezone

from hamkor.activities.models import Activity, ActivityKind, Channel, Direction, Interaction
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


class ActivityFactory(factory.django.DjangoModelFactory):
    """A planned call tomorrow, owned by the contact's owner."""

    class Meta:
        model = Activity

    kind = ActivityKind.CALL
    subject = factory.Sequence(lambda n: f"Call about order {n}")
    contact = factory.SubFactory(ContactFactory)
    owner = factory.LazyAttribute(lambda o: o.contact.owner if o.contact else UserFactory())
    team = factory.LazyAttribute(lambda o: o.owner.team if o.owner else None)
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    duration_minutes = 30
    created_by = factory.LazyAttribute(lambda o: o.owner)
