import factory

from hamkor.accounts.models import Role
from hamkor.webforms.models import Submission, WebForm
from tests.accounts.factories import UserFactory

FIELDS = [
    {"key": "first_name", "required": True},
    {"key": "last_name", "required": False},
    {"key": "email", "required": False},
    {"key": "phone", "required": False},
    {"key": "message", "required": False},
]


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class WebFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebForm

    name = factory.Sequence(lambda n: f"Contact us {n}")
    fields = factory.LazyFunction(lambda: [dict(f) for f in FIELDS])
    thank_you_text = "Thank you! We will call you back."
    owner = factory.SubFactory(UserFactory)
    created_by = factory.SubFactory(ManagerFactory)
    rate_limit = 100


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    form = factory.SubFactory(WebFormFactory)
    data = factory.LazyFunction(lambda: {"first_name": "Aziza", "email": "aziza@example.com"})
