import factory
from django.utils import timezone

from hamkor.feedback.models import (
    Announcement,
    Comment,
    Suggestion,
    Survey,
    SurveyRecipient,
    SurveyResponse,
    Vote,
)
from tests.contacts.factories import ContactFactory


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    title = factory.Sequence(lambda n: f"News {n}")
    body = "We now bake sugar-free cakes."
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    announcement = factory.SubFactory(AnnouncementFactory)
    contact = factory.SubFactory(ContactFactory)
    body = "Lovely!"


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    contact = factory.SubFactory(ContactFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    description = "Please."


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    suggestion = factory.SubFactory(SuggestionFactory)
    contact = factory.SubFactory(ContactFactory)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Survey {n}")
    trigger = "group"
    segment = "stage=customer"


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyRecipient

    survey = factory.SubFactory(SurveyFactory)
    contact = factory.SubFactory(ContactFactory)
    key = factory.Sequence(lambda n: f"test:{n}")
    send_after = factory.LazyFunction(timezone.now)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    recipient = factory.SubFactory(RecipientFactory)
    survey = factory.LazyAttribute(lambda o: o.recipient.survey)
    contact = factory.LazyAttribute(lambda o: o.recipient.contact)
    score = 10
