from unittest import mock

import factory
from django.utils import timezone

from hamkor.core.models import AuditEvent


class AuditEventFactory(factory.django.DjangoModelFactory):
    """An event as record_event would store it; pass created_at=... to date it."""

    class Meta:
        model = AuditEvent

    verb = "contact.updated"
    target_type = "contacts.contact"
    target_id = factory.Sequence(str)
    data = factory.LazyFunction(dict)
    via = "web"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # created_at is auto_now_add and an event cannot be changed once stored: the clock is
        # set for the insert instead.
        created_at = kwargs.pop("created_at", None)
        if created_at is None:
            return super()._create(model_class, *args, **kwargs)
        with mock.patch.object(timezone, "now", return_value=created_at):
            return super()._create(model_class, *args, **kwargs)
