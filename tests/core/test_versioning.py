"""Reading If-Match headers and choosing the version an API write must start from."""

import pytest

from hamkor.core.versioning import expected_from, parse_if_match


@pytest.mark.parametrize(
    ("header", "versions"),
    [
        (None, None),
        ("", None),
        ("*", None),
        (' "3" ', [3]),
        ('W/"3"', [3]),
        ('"3", W/"4"', [3, 4]),
        ('"abc"', []),
        ("3", []),
    ],
)
def test_parse_if_match_reads_strong_weak_and_listed_tags(header, versions):
    assert parse_if_match(header) == versions


def test_expected_from_nothing_sent_skips_the_check():
    assert expected_from(if_match=None, body_version=None, stored=5) is None


def test_expected_from_star_skips_the_check():
    assert expected_from(if_match="*", body_version=None, stored=5) is None


def test_expected_from_header_listing_the_stored_version_expects_it():
    assert expected_from(if_match='"4", "5"', body_version=None, stored=5) == 5


def test_expected_from_stale_header_expects_a_version_that_conflicts():
    assert expected_from(if_match='"4"', body_version=None, stored=5) == 4


def test_expected_from_unreadable_header_expects_a_version_that_never_exists():
    assert expected_from(if_match='"x"', body_version=None, stored=5) == 0


def test_expected_from_body_version_disagreeing_with_a_matching_header_conflicts():
    assert expected_from(if_match='"5"', body_version=4, stored=5) == 4


def test_expected_from_body_version_alone_is_expected():
    assert expected_from(if_match=None, body_version=4, stored=5) == 4
