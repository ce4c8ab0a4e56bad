import factory
from django.utils import timezone

from hamkor.contacts.models import ChannelConsent
from hamkor.messaging.models import ContactMessagingPrefs, MessageTemplate
from tests.contacts.factories import ContactFactory


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelConsent

    contact = factory.SubFactory(ContactFactory)
    channel = "email"
    granted = True
    method = "written"
    recorded_at = factory.LazyFunction(timezone.now)


class PrefsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMessagingPrefs

    contact = factory.SubFactory(ContactFactory)


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageTemplate

    key = "greeting"
    name = "Greeting"
    language = "en"
    channel = ""
    body = "Hello {{ contact.first_name }}!"


def consenting_contact(*channels: str, **kwargs):
    """A contact who agreed to messages on the given channels."""
    contact = ContactFactory(**kwargs)
    for channel in channels:
        ConsentFactory(contact=contact, channel=channel)
    return contact
