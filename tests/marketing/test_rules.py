"""Segment rules: every kind of filter, nesting, bad input, frozen vs dynamic, scoping."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.analytics.models import RfmGroup
from hamkor.contacts.models import CustomFieldDefinition, Entity, FieldType
from hamkor.marketing.rules import clean_rules
from hamkor.marketing.selectors import (
    count_matching,
    count_segment_members,
    list_segment_members,
)
from hamkor.marketing.services import SegmentInput, create_segment, freeze_segment
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory, SourceFactory, TagFactory
from tests.marketing.factories import ConsentFactory, ManagerFactory, RfmScoreFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _ids(viewer, *rules, match="all"):
    cleaned = clean_rules({"match": match, "rules": list(rules)})
    from hamkor.contacts.selectors import visible
    from hamkor.marketing.selectors import matching_contacts

    return sorted(visible(matching_contacts(rules=cleaned), viewer).values_list("pk", flat=True))


@pytest.fixture
def manager():
    return ManagerFactory()


def test_rules_filter_on_contact_fields(manager):
    source = SourceFactory(name="Instagram")
    tashkent = ContactFactory(city="Tashkent", language="ru", stage="customer", source=source)
    ContactFactory(city="Samarkand", language="ru", stage="customer")
    ContactFactory(city="tashkent", language="uz", stage="lead")

    assert _ids(
        manager, {"field": "city", "value": ["TASHKENT"]}, {"field": "language", "value": ["ru"]}
    ) == [tashkent.pk]
    assert _ids(manager, {"field": "source", "value": [source.pk]}) == [tashkent.pk]
    assert len(_ids(manager, {"field": "stage", "op": "not_in", "value": ["lead"]})) == 2


def test_rules_filter_on_tags_without_duplicating_rows(manager):
    vip, cake = TagFactory(name="vip"), TagFactory(name="cake")
    both = ContactFactory()
    both.tags.add(vip, cake)
    ContactFactory()

    assert _ids(manager, {"field": "tag", "value": ["vip", "cake"]}) == [both.pk]
    assert (
        count_matching(
            viewer=manager,
            rules=clean_rules({"rules": [{"field": "tag", "value": ["vip", "cake"]}]}),
        )
        == 1
    )


def test_rules_filter_on_consent(manager):
    agreed, withdrew = ContactFactory(), ContactFactory()
    ContactFactory()
    ConsentFactory(contact=agreed, channel="sms", granted=True)
    ConsentFactory(contact=withdrew, channel="sms", granted=False)

    assert _ids(manager, {"field": "consent", "value": "sms"}) == [agreed.pk]


def test_rules_filter_on_rfm_group_and_scores(manager):
    champion, at_risk = ContactFactory(), ContactFactory()
    ContactFactory()  # never bought: no score
    RfmScoreFactory(contact=champion, group=RfmGroup.CHAMPIONS, recency=5, monetary=5)
    RfmScoreFactory(contact=at_risk, group=RfmGroup.AT_RISK, recency=1, monetary=4)

    assert _ids(manager, {"field": "rfm_group", "value": ["champions"]}) == [champion.pk]
    assert _ids(manager, {"field": "rfm_monetary", "op": "gte", "value": 4}) == sorted(
        [champion.pk, at_risk.pk]
    )
    assert _ids(manager, {"field": "rfm_recency", "op": "lte", "value": 2}) == [at_risk.pk]


def test_rules_filter_on_lifetime_value_counting_no_score_as_zero(manager):
    rich, poor, never = ContactFactory(), ContactFactory(), ContactFactory()
    RfmScoreFactory(contact=rich, lifetime_value=Decimal("5000000"))
    RfmScoreFactory(contact=poor, lifetime_value=Decimal("100000"))

    assert _ids(manager, {"field": "lifetime_value", "op": "gte", "value": "1000000"}) == [rich.pk]
    assert _ids(manager, {"field": "lifetime_value", "op": "lte", "value": "100000"}) == sorted(
        [poor.pk, never.pk]
    )


def test_rules_filter_on_purchases(manager):
    cake, tea = ProductFactory(), ProductFactory()
    recent, old, twice = ContactFactory(), ContactFactory(), ContactFactory()
    OrderFactory(contact=recent, lines=[(cake, 1)])
    OrderFactory(
        contact=old, lines=[(cake, 1)], ordered_at=timezone.now() - datetime.timedelta(days=200)
    )
    OrderFactory(contact=twice, lines=[(tea, 1)])
    OrderFactory(contact=twice, lines=[(tea, 1)])
    OrderFactory(contact=twice, lines=[(cake, 1)], status="cancelled")

    bought = {"field": "bought_product", "value": [cake.pk], "days": 90}
    assert _ids(manager, bought) == [recent.pk]
    assert _ids(manager, {"field": "order_count", "op": "gte", "value": 2}) == [twice.pk]
    assert _ids(manager, {"field": "order_count", "op": "lte", "value": 1}) == sorted(
        [recent.pk, old.pk]
    )
    assert _ids(manager, {"field": "order_count", "op": "gte", "value": 1}) == sorted(
        [recent.pk, old.pk, twice.pk]
    )
    assert _ids(manager, {"field": "order_count", "op": "lte", "value": 0}) == []


def test_rules_filter_on_custom_fields(manager):
    CustomFieldDefinition.objects.create(
        entity=Entity.CONTACT, key="size", label="Size", field_type=FieldType.NUMBER
    )
    big, small = (
        ContactFactory(custom_fields={"size": 44}),
        ContactFactory(custom_fields={"size": 38}),
    )

    assert _ids(manager, {"field": "custom", "key": "size", "op": "gte", "value": "40"}) == [big.pk]
    assert _ids(manager, {"field": "custom", "key": "size", "value": 38}) == [small.pk]


def test_rules_nest_any_inside_all(manager):
    vip = TagFactory(name="vip")
    tashkent_vip = ContactFactory(city="Tashkent")
    tashkent_vip.tags.add(vip)
    tashkent_ru = ContactFactory(city="Tashkent", language="ru")
    ContactFactory(city="Bukhara", language="ru")

    rules = [
        {"field": "city", "value": ["Tashkent"]},
        {
            "match": "any",
            "rules": [{"field": "tag", "value": ["vip"]}, {"field": "language", "value": ["ru"]}],
        },
    ]
    assert _ids(manager, *rules) == sorted([tashkent_vip.pk, tashkent_ru.pk])


def test_rules_filter_on_created_date(manager):
    old = ContactFactory()
    type(old).objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC)
    )
    new = ContactFactory()

    assert _ids(manager, {"field": "created", "op": "before", "value": "2025-12-31"}) == [old.pk]
    assert _ids(manager, {"field": "created", "op": "within_days", "value": 7}) == [new.pk]


@pytest.mark.parametrize(
    "rules",
    [
        {"rules": [{"field": "shoe_size", "value": [1]}]},
        {"rules": [{"field": "language", "value": ["fr"]}]},
        {"rules": [{"field": "city", "op": "gte", "value": ["x"]}]},
        {"rules": [{"field": "order_count", "op": "gte", "value": "many"}]},
        {"rules": [{"field": "created", "op": "after", "value": "yesterday"}]},
        {"rules": [{"field": "custom", "key": "nope", "value": 1}]},
        {"match": "some", "rules": []},
        {"rules": [{"rules": [{"rules": [{"rules": []}]}]}]},
    ],
)
def test_clean_rules_refuses_bad_rules(rules):
    with pytest.raises(ValidationError) as error:
        clean_rules(rules)

    assert "rules" in error.value.message_dict


def test_segment_members_are_scoped_to_the_viewer():
    seller = UserFactory(role=Role.SALES)
    mine = ContactFactory(owner=seller, city="Tashkent")
    ContactFactory(city="Tashkent")  # another team's
    segment = create_segment(
        actor=ManagerFactory(),
        values=SegmentInput(
            name="Tashkent", rules={"rules": [{"field": "city", "value": ["Tashkent"]}]}
        ),
    )

    assert [c.pk for c in list_segment_members(viewer=seller, segment=segment)] == [mine.pk]
    assert count_segment_members(viewer=ManagerFactory(), segment=segment) == 2


def test_frozen_segment_keeps_its_members_while_dynamic_one_follows_changes(manager):
    first = ContactFactory(city="Tashkent")
    rules = {"rules": [{"field": "city", "value": ["Tashkent"]}]}
    dynamic = create_segment(actor=manager, values=SegmentInput(name="Dynamic", rules=rules))
    frozen = create_segment(actor=manager, values=SegmentInput(name="Frozen", rules=rules))
    frozen = freeze_segment(segment=frozen, actor=manager)

    second = ContactFactory(city="Tashkent")
    first.city = "Bukhara"
    first.save()

    assert [c.pk for c in list_segment_members(viewer=manager, segment=dynamic)] == [second.pk]
    assert [c.pk for c in list_segment_members(viewer=manager, segment=frozen)] == [first.pk]


def test_archived_contacts_are_never_members(manager):
    ContactFactory(archived_at=timezone.now())

    assert count_matching(viewer=manager, rules=clean_rules({})) == 0
