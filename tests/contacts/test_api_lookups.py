"""Selectors added for the REST API: references by id and bulk loading of details."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hamkor.accounts.models import Role, User
from hamkor.contacts.models import Source
from hamkor.contacts.selectors import (
    get_assignable_owner,
    get_source,
    list_contacts,
    with_contact_details,
)
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory, SourceFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_get_assignable_owner_allows_a_teammate_to_a_seller():
    seller = UserFactory(team=TeamFactory(name="A"))
    teammate = UserFactory(team=seller.team)

    assert get_assignable_owner(viewer=seller, pk=teammate.pk) == teammate


def test_get_assignable_owner_refuses_another_team_to_a_seller():
    seller = UserFactory(team=TeamFactory(name="A"))
    rival = UserFactory(team=TeamFactory(name="B"))

    with pytest.raises(User.DoesNotExist):
        get_assignable_owner(viewer=seller, pk=rival.pk)


def test_get_assignable_owner_allows_anyone_active_to_a_manager():
    manager = UserFactory(role=Role.MANAGER)
    rival = UserFactory(team=TeamFactory(name="B"))
    gone = UserFactory(is_active=False)

    assert get_assignable_owner(viewer=manager, pk=rival.pk) == rival
    with pytest.raises(User.DoesNotExist):
        get_assignable_owner(viewer=manager, pk=gone.pk)


def test_get_source_finds_retired_sources_too():
    retired = SourceFactory(name="Newspaper", is_active=False)

    assert get_source(pk=retired.pk) == retired
    with pytest.raises(Source.DoesNotExist):
        get_source(pk=retired.pk + 1000)


def _count_page_queries(viewer):
    with CaptureQueriesContext(connection) as queries:
        contacts = list(with_contact_details(list_contacts(viewer=viewer)))
        phones = [p.number for c in contacts for p in c.phones.all()]
        tags = [t.name for c in contacts for t in c.tags.all()]
        companies = [c.company.name for c in contacts if c.company]
    return len(queries), len(phones), len(tags), len(companies)


def test_with_contact_details_loads_a_page_in_a_fixed_number_of_queries():
    owner = UserFactory(role=Role.MANAGER)
    for number in ("+998901111111", "+998902222222", "+998903333333"):
        ContactFactory(owner=owner, phone=number, company=CompanyFactory()).tags.add(
            TagFactory(name="vip")
        )
    small_page = _count_page_queries(owner)
    for number in ("+998904444444", "+998905555555", "+998906666666"):
        ContactFactory(owner=owner, phone=number, company=CompanyFactory()).tags.add(
            TagFactory(name="vip")
        )

    large_page = _count_page_queries(owner)

    assert small_page[1:] == (3, 3, 3)
    assert large_page[1:] == (6, 6, 6)
    # One query per related table, whatever the page size: no query per row.
    assert small_page[0] == large_page[0] <= 8
