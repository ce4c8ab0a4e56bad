"""Keyset pages and capped counts over real querysets."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hamkor.contacts.models import Contact
from hamkor.core.paging import count_up_to, cursor_page, encode_cursor, keyset_page
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _walk_forward(queryset, limit):
    seen, after = [], ""
    while True:
        page = keyset_page(queryset, limit=limit, after=after)
        seen += [row.pk for row in page.object_list]
        if not page.has_next:
            return seen
        after = page.next_cursor


@pytest.fixture
def namesakes():
    """Seven contacts sharing one name and three others around them: ties in the sort key."""
    ContactFactory(first_name="Aziz", last_name="Aliyev")
    ties = ContactFactory.create_batch(7, first_name="Dilnoza", last_name="Karimova")
    ContactFactory(first_name="Bobur", last_name="Karimov")
    ContactFactory(first_name="Zarina", last_name="Yusupova")
    ContactFactory(first_name="Anvar", last_name="Karimova")
    return ties


@pytest.mark.parametrize(
    "order",
    [
        ("last_name", "first_name", "id"),
        ("-last_name", "-first_name", "-id"),
        ("created_at", "id"),
    ],
)
@pytest.mark.parametrize("limit", [1, 2, 3, 25])
def test_keyset_page_returns_every_row_once_in_order(namesakes, order, limit):
    queryset = Contact.objects.order_by(*order)

    seen = _walk_forward(queryset, limit)

    assert seen == list(queryset.values_list("pk", flat=True))


def test_keyset_page_orders_rows_created_in_the_same_instant_by_id():
    moment = timezone.now().replace(microsecond=123456)
    contacts = ContactFactory.create_batch(5)
    Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(created_at=moment)
    queryset = Contact.objects.order_by("-created_at", "-id")

    seen = _walk_forward(queryset, 2)

    assert seen == sorted((c.pk for c in contacts), reverse=True)


def test_keyset_page_before_returns_the_previous_page(namesakes):
    queryset = Contact.objects.order_by("last_name", "first_name", "id")
    first = keyset_page(queryset, limit=3)
    second = keyset_page(queryset, limit=3, after=first.next_cursor)

    back = keyset_page(queryset, limit=3, before=second.previous_cursor)

    assert back.object_list == first.object_list
    assert not back.has_previous
    assert back.next_cursor == first.next_cursor


def test_keyset_page_first_page_has_no_previous_and_last_has_no_next(namesakes):
    queryset = Contact.objects.order_by("last_name", "first_name", "id")

    first = keyset_page(queryset, limit=6)
    last = keyset_page(queryset, limit=6, after=first.next_cursor)

    assert not first.has_previous and first.has_next
    assert last.has_previous and not last.has_next
    assert len(last.object_list) == 5


def test_keyset_page_with_offset_serves_old_numbered_links(namesakes):
    queryset = Contact.objects.order_by("last_name", "first_name", "id")

    page = keyset_page(queryset, limit=4, offset=4)

    assert page.object_list == list(queryset[4:8])
    assert page.has_previous and page.has_next


def test_keyset_page_with_offset_keeps_the_order_and_the_prefetches(
    namesakes, django_assert_num_queries
):
    queryset = Contact.objects.order_by("-last_name", "first_name", "-id").prefetch_related("tags")

    with django_assert_num_queries(3):  # the keys, their rows, their tags
        page = keyset_page(queryset, limit=4, offset=3)
        [list(row.tags.all()) for row in page.object_list]

    assert [row.pk for row in page.object_list] == [row.pk for row in queryset[3:7]]


@pytest.mark.parametrize("token", ["not a cursor", encode_cursor(["Karimova"]), "W10", "e30"])
def test_keyset_page_refuses_a_bad_cursor(namesakes, token):
    queryset = Contact.objects.order_by("last_name", "first_name", "id")

    with pytest.raises(ValidationError):
        keyset_page(queryset, limit=3, after=token)


def test_keyset_page_refuses_a_cursor_with_a_bad_date():
    queryset = Contact.objects.order_by("created_at", "id")

    with pytest.raises(ValidationError):
        keyset_page(queryset, limit=3, after=encode_cursor(["yesterday", 1]))


def test_keyset_page_needs_an_ordering_ending_with_the_id():
    with pytest.raises(ValueError, match="ending with the id"):
        keyset_page(Contact.objects.order_by("last_name"), limit=3)


def test_count_up_to_counts_exactly_below_the_cap():
    ContactFactory.create_batch(3)

    assert count_up_to(Contact.objects.all(), cap=3) == (3, False)


def test_count_up_to_stops_at_the_cap():
    ContactFactory.create_batch(4)

    assert count_up_to(Contact.objects.all(), cap=3) == (3, True)


def test_cursor_page_refuses_after_with_offset(namesakes):
    queryset = Contact.objects.order_by("last_name", "first_name", "id")
    after = keyset_page(queryset, limit=2).next_cursor

    with pytest.raises(ValidationError) as error:
        cursor_page(queryset, limit=2, offset=2, after=after)

    assert "after" in error.value.message_dict


def test_cursor_page_gives_next_until_the_last_page(namesakes):
    queryset = Contact.objects.order_by("last_name", "first_name", "id")

    first = cursor_page(queryset, limit=8, offset=0, after="")
    second = cursor_page(queryset, limit=8, offset=0, after=first["next"])

    assert first["count"] == 11 and not first["count_capped"]
    assert [c.pk for c in first["items"] + second["items"]] == list(
        queryset.values_list("pk", flat=True)
    )
    assert second["next"] is None


def test_encode_cursor_keeps_microseconds():
    moment = datetime.datetime(2026, 11, 23, 15, 0, 0, 123456, tzinfo=datetime.UTC)

    assert encode_cursor([moment]) != encode_cursor([moment.replace(microsecond=123000)])
