"""Segment rules compiled as semi-joins (``pk IN (…)``) select exactly the contacts the
per-contact EXISTS probes select, for tricky rule sets, and the live count caps honestly."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.analytics.models import RfmGroup
from hamkor.contacts.models import CustomFieldDefinition, Entity, FieldType
from hamkor.contacts.selectors import visible
from hamkor.marketing.rules import clean_rules
from hamkor.marketing.selectors import count_matching, count_matching_up_to, matching_contacts
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import ContactFactory, TagFactory
from tests.marketing.factories import ConsentFactory, ManagerFactory, RfmScoreFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db

VIP = {"field": "tag", "value": ["vip"]}
NOT_VIP = {"field": "tag", "op": "not_in", "value": ["vip"]}
EMAIL = {"field": "consent", "value": "email"}
NO_EMAIL = {"field": "consent", "op": "not_granted", "value": "email"}
CHAMPIONS = {"field": "rfm_group", "value": [RfmGroup.CHAMPIONS]}
NOT_CHAMPIONS = {"field": "rfm_group", "op": "not_in", "value": [RfmGroup.CHAMPIONS]}
NEVER_BOUGHT = {"field": "order_count", "op": "lte", "value": 0}
BOUGHT = {"field": "order_count", "op": "gte", "value": 1}
NOBODY = {"field": "tag", "value": ["nobody"]}


def _all(*rules):
    return {"match": "all", "rules": list(rules)}


def _any(*rules):
    return {"match": "any", "rules": list(rules)}


# rule set -> the people (see ``people``) it selects.
CASES = {
    "no rules": (_all(), "abcdg"),
    "any with an empty group": (_any(_all(), NOBODY), "abcdg"),
    "nothing": (_all(NOBODY), ""),
    "any of nothing": (_any(NOBODY, {"field": "rfm_group", "value": ["hibernating"]}), ""),
    "tag, two values, no duplicates": (_all({"field": "tag", "value": ["vip", "cake"]}), "acg"),
    "not tagged": (_all(NOT_VIP), "bcd"),
    "consent": (_all(EMAIL), "ag"),
    "no consent (withdrawn, other channel or none)": (_all(NO_EMAIL), "bcd"),
    "rfm group": (_all(CHAMPIONS), "a"),
    "not in rfm group (no score included)": (_all(NOT_CHAMPIONS), "bcdg"),
    "lifetime value at most 1M (no score is zero)": (
        _all({"field": "lifetime_value", "op": "lte", "value": "1000000"}),
        "bcdg",
    ),
    "lifetime value at least 1M": (
        _all({"field": "lifetime_value", "op": "gte", "value": "1000000"}),
        "ad",
    ),
    "rfm monetary": (_all({"field": "rfm_monetary", "op": "gte", "value": 4}), "a"),
    "bought": (_all(BOUGHT), "ab"),
    "never bought (a cancelled order does not count)": (_all(NEVER_BOUGHT), "cdg"),
    "bought twice": (_all({"field": "order_count", "op": "gte", "value": 2}), "a"),
    "bought at most once": (_all({"field": "order_count", "op": "lte", "value": 1}), "bcdg"),
    "nested any inside all": (
        _all({"field": "city", "value": ["tashkent"]}, _any(VIP, EMAIL)),
        "a",
    ),
    "nested all inside any": (
        _any(_all(VIP, CHAMPIONS), _all(NO_EMAIL, NEVER_BOUGHT)),
        "acd",
    ),
    "negations in an any group": (_any(NOT_VIP, NOT_CHAMPIONS), "bcdg"),
    "three deep with a column and negations": (
        _all(
            _any(
                {"field": "language", "value": ["ru"]},
                _all(NO_EMAIL, {"field": "rfm_group", "value": [RfmGroup.LOST]}),
            ),
            NOT_CHAMPIONS,
        ),
        "cd",
    ),
    "custom field with any of relations": (
        _all(
            {"field": "custom", "key": "size", "op": "gte", "value": "40"},
            _any({"field": "tag", "value": ["cake"]}, BOUGHT),
        ),
        "ag",
    ),
    "custom field equal, negated relation": (
        _all({"field": "custom", "key": "size", "value": 38}, NOT_VIP),
        "b",
    ),
}


@pytest.fixture
def people():
    """Five active contacts a, b, c, d, g and an archived one (x) that matches everything."""
    CustomFieldDefinition.objects.create(
        entity=Entity.CONTACT, key="size", label="Size", field_type=FieldType.NUMBER
    )
    vip, cake = TagFactory(name="vip"), TagFactory(name="cake")
    product = ProductFactory()
    a = ContactFactory(city="Tashkent", language="ru", custom_fields={"size": 44})
    b = ContactFactory(city="tashkent", language="uz", custom_fields={"size": 38})
    c = ContactFactory(city="Bukhara", language="ru")
    d = ContactFactory(city="Osh", language="ky")
    g = ContactFactory(city="Osh", language="uz", custom_fields={"size": 40})
    x = ContactFactory(city="Tashkent", language="ru", archived_at=timezone.now())
    for contact, tags in ((a, [vip]), (c, [cake]), (g, [vip, cake]), (x, [vip])):
        contact.tags.add(*tags)
    ConsentFactory(contact=a, channel="email", granted=True)
    ConsentFactory(contact=b, channel="email", granted=False)
    ConsentFactory(contact=d, channel="sms", granted=True)
    ConsentFactory(contact=g, channel="email", granted=True)
    ConsentFactory(contact=x, channel="email", granted=True)
    RfmScoreFactory(
        contact=a, group=RfmGroup.CHAMPIONS, monetary=5, lifetime_value=Decimal("5000000")
    )
    RfmScoreFactory(contact=b, group=RfmGroup.AT_RISK, monetary=2)
    RfmScoreFactory(contact=d, group=RfmGroup.LOST, monetary=1, lifetime_value=Decimal("1000000"))
    RfmScoreFactory(contact=x, group=RfmGroup.CHAMPIONS, monetary=5)
    OrderFactory(contact=a, lines=[(product, 1)])
    OrderFactory(contact=a, lines=[(product, 1)], status="paid")
    OrderFactory(contact=b, lines=[(product, 1)])
    OrderFactory(contact=d, lines=[(product, 1)], status="cancelled")
    OrderFactory(contact=x, lines=[(product, 1)])
    return {"a": a, "b": b, "c": c, "d": d, "g": g, "x": x}


def _members(rules, *, semi_joins, viewer=None):
    queryset = matching_contacts(rules=clean_rules(rules), semi_joins=semi_joins)
    if viewer is not None:
        queryset = visible(queryset, viewer)
    return sorted(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize(("rules", "expected"), CASES.values(), ids=CASES.keys())
def test_semi_joins_select_the_same_members_as_exists(people, rules, expected):
    wanted = sorted(people[name].pk for name in expected)

    by_semi_join = _members(rules, semi_joins=True)
    by_exists = _members(rules, semi_joins=False)

    assert by_semi_join == wanted
    assert by_exists == wanted


def test_bought_product_is_the_same_either_way(people):
    product = ProductFactory()
    old = OrderFactory(
        contact=people["c"],
        lines=[(product, 1)],
        ordered_at=timezone.now() - datetime.timedelta(days=200),
    )
    OrderFactory(contact=people["g"], lines=[(product, 1)])
    rules = _all({"field": "bought_product", "value": [product.pk], "days": 90})

    assert old.contact_id not in _members(rules, semi_joins=True)
    assert _members(rules, semi_joins=True) == [people["g"].pk]
    assert _members(rules, semi_joins=False) == [people["g"].pk]


def test_both_plans_keep_to_what_a_sales_user_may_see(people):
    team = TeamFactory()
    seller = UserFactory(role=Role.SALES, team=team)
    type(people["a"]).objects.filter(pk=people["a"].pk).update(team=team)
    type(people["b"]).objects.filter(pk=people["b"].pk).update(owner=seller, team=None)
    rules = _any(VIP, NO_EMAIL)  # a, b, c, d, g for a manager

    assert _members(rules, semi_joins=True, viewer=seller) == sorted(
        [people["a"].pk, people["b"].pk]
    )
    assert _members(rules, semi_joins=False, viewer=seller) == sorted(
        [people["a"].pk, people["b"].pk]
    )
    assert count_matching(viewer=seller, rules=clean_rules(rules)) == 2
    assert count_matching_up_to(viewer=seller, rules=clean_rules(rules)) == (2, False)


def test_count_matching_up_to_says_when_it_stopped(people):
    rules = clean_rules(_all(NOT_CHAMPIONS))  # b, c, d, g
    manager = ManagerFactory()

    assert count_matching_up_to(viewer=manager, rules=rules, cap=4) == (4, False)
    assert count_matching_up_to(viewer=manager, rules=rules, cap=3) == (3, True)
    assert count_matching(viewer=manager, rules=rules) == 4


def test_live_count_says_more_than_past_the_cap(people, monkeypatch):
    monkeypatch.setattr("hamkor.marketing.selectors.EDIT_COUNT_CAP", 2)
    client = Client()
    client.force_login(ManagerFactory())

    capped = client.post("/marketing/segments/count/", {"language": ["ru", "uz"]})
    exact = client.post("/marketing/segments/count/", {"language": ["ky"]})

    assert "more than 2 contacts" in capped.content.decode()
    assert "1 matching contact" in exact.content.decode()
