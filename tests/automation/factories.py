import factory

from hamkor.automation.models import Rule, Trigger, WebhookEndpoint
from hamkor.automation.services.spec import verb_for
from hamkor.messaging.models import MessageTemplate


class RuleFactory(factory.django.DjangoModelFactory):
    """A switched-on rule; give trigger, trigger_params, conditions and actions."""

    class Meta:
        model = Rule

    name = factory.Sequence(lambda n: f"Rule {n}")
    trigger = Trigger.RECORD_CREATED
    trigger_params = factory.LazyFunction(lambda: {"record": "contact"})
    conditions = factory.LazyFunction(list)
    actions = factory.LazyFunction(lambda: [{"type": "add_tag", "tag": "new"}])
    enabled = True
    owner = None
    verb = factory.LazyAttribute(lambda o: verb_for(o.trigger, o.trigger_params))


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    name = factory.Sequence(lambda n: f"Webhook {n}")
    url = "http://127.0.0.1:9/hook"
    secret = "s3cret-s3cret-s3cret"
    is_active = True
    events = factory.LazyFunction(list)


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageTemplate

    key = "birthday-greeting"
    name = "Birthday greeting"
    language = "en"
    channel = ""
    body = "Happy birthday, {{ contact.first_name }}!"
