from hamkor.webforms.models import RateCounter
from hamkor.webforms.services.ratelimit import forget_old_counters, hit_rate_limit

MINUTE = 29_000_000 * 60  # the start of some minute, in seconds since the epoch


def _posts(at: float, times: int, key: str = "form:10.0.0.1", limit: int = 2) -> list[bool]:
    return [hit_rate_limit(key=key, limit=limit, now=at) for _ in range(times)]


def test_posts_up_to_the_limit_pass_and_the_next_is_refused(db):
    assert _posts(MINUTE + 5, 3) == [False, False, True]


def test_a_burst_across_the_minute_boundary_is_still_refused(db):
    assert _posts(MINUTE + 59.9, 2) == [False, False]

    assert _posts(MINUTE + 60.1, 1) == [True]


def test_the_previous_minute_weighs_less_as_it_slides_out(db):
    _posts(MINUTE + 10, 2)

    # 45 s into the next minute a quarter of the earlier window still counts: 1 + 0.5 = 1.5.
    assert _posts(MINUTE + 60 + 45, 1) == [False]
    # The next post makes it 2 + 0.5, over the limit.
    assert _posts(MINUTE + 60 + 46, 1) == [True]


def test_a_client_quiet_for_a_full_minute_may_post_again(db):
    _posts(MINUTE + 10, 5)

    assert _posts(MINUTE + 120 + 1, 2) == [False, False]


def test_each_key_has_its_own_count(db):
    _posts(MINUTE + 1, 3, key="form:10.0.0.1")

    assert _posts(MINUTE + 2, 1, key="form:10.0.0.2") == [False]


def test_old_windows_are_forgotten_and_recent_ones_kept(db):
    _posts(MINUTE, 1)
    _posts(MINUTE + 20 * 60, 1)

    forgotten = forget_old_counters(now=MINUTE + 20 * 60)

    assert forgotten == 1
    assert list(RateCounter.objects.values_list("minute", flat=True)) == [MINUTE // 60 + 20]
