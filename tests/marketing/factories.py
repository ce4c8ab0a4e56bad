import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.analytics.models import RfmGroup, RfmScore
from hamkor.contacts.models import ChannelConsent, ConsentMethod
from hamkor.marketing.models import Campaign, CampaignChannel, Segment
from tests.accounts.factories import UserFactory


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    rules = factory.LazyFunction(lambda: {"match": "all", "rules": []})


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    channel = CampaignChannel.INSTAGRAM
    starts_on = datetime.date(2026, 1, 1)
    cost = Decimal("0")
    currency = "UZS"


class RfmScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RfmScore

    recency = 3
    frequency = 3
    monetary = 3
    group = RfmGroup.NEED_ATTENTION
    last_order_on = datetime.date(2026, 1, 1)
    orders = 1
    lifetime_value = Decimal("100000")
    computed_at = factory.LazyFunction(timezone.now)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelConsent

    channel = "email"
    granted = True
    method = ConsentMethod.WRITTEN
    recorded_at = factory.LazyFunction(timezone.now)
