"""RFM scoring rules: quintile scores from a distribution, and the R/F map to named groups.

Pure functions, no database: the services feed them values and store what they return.

Scores (documented in docs/analytics.md): for a metric where more is better, a value ``v``
among ``n`` customers, ``below`` of them with a smaller value and ``equal`` with the same,
sits at the mid-rank percentile ``p = (below + equal / 2) / n`` and scores
``1 + floor(5 p)`` (1 to 5). Ties always share a score; a lone customer scores 3.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hamkor.analytics.models import RfmGroup

V = TypeVar("V", int, Decimal)

SCORES = 5


def score_table(values: Sequence[V]) -> dict[V, int]:
    """Each distinct value's score among ``values`` (mid-rank quintile, ties share)."""
    counts = Counter(values)
    total = len(values)
    scores: dict[V, int] = {}
    below = 0
    for value in sorted(counts):
        equal = counts[value]
        # 1 + floor(5 * (below + equal / 2) / total), in integers.
        scores[value] = min(SCORES, 1 + (SCORES * (2 * below + equal)) // (2 * total))
        below += equal
    return scores


def bounds_of(scores: dict[V, int]) -> list[V | None]:
    """The lowest value scoring at least 2, 3, 4 and 5 (None where no value does)."""
    bounds: list[V | None] = []
    for level in range(2, SCORES + 1):
        reaching = [value for value, score in scores.items() if score >= level]
        bounds.append(min(reaching) if reaching else None)
    return bounds


def score_with(value: V, bounds: Sequence[V | None]) -> int:
    """Score one value against stored boundaries; 3 (the middle) when there are none yet."""
    if not bounds:
        return 3
    return 1 + sum(1 for bound in bounds if bound is not None and value >= bound)


# Rows: recency 5 (bought most recently) down to 1; columns: frequency 1 to 5.
_GRID: dict[int, tuple[RfmGroup, ...]] = {
    5: (RfmGroup.NEW,) + (RfmGroup.POTENTIAL,) * 2 + (RfmGroup.CHAMPIONS,) * 2,
    4: (RfmGroup.PROMISING,) + (RfmGroup.POTENTIAL,) * 2 + (RfmGroup.LOYAL,) * 2,
    3: (RfmGroup.NEED_ATTENTION,) * 3 + (RfmGroup.LOYAL,) * 2,
    2: (RfmGroup.HIBERNATING,) * 2 + (RfmGroup.AT_RISK,) * 2 + (RfmGroup.CANT_LOSE,),
    1: (RfmGroup.LOST,) * 2 + (RfmGroup.AT_RISK,) * 2 + (RfmGroup.CANT_LOSE,),
}


def group_for(recency: int, frequency: int) -> RfmGroup:
    """The named group of a recency and frequency score (monetary does not move groups)."""
    return _GRID[recency][frequency - 1]


EXPLANATIONS: dict[str, Promise] = {
    RfmGroup.CHAMPIONS: _("Bought recently and often: your best customers."),
    RfmGroup.LOYAL: _("Buys often; reward them and ask for referrals."),
    RfmGroup.POTENTIAL: _("Recent customers who came back: a loyalty offer may keep them."),
    RfmGroup.NEW: _("Made a first purchase recently: help them buy a second time."),
    RfmGroup.PROMISING: _("Bought recently but only once so far."),
    RfmGroup.NEED_ATTENTION: _("Has not bought for a while: a reminder may bring them back."),
    RfmGroup.AT_RISK: _("Used to buy regularly but has not bought for a long time."),
    RfmGroup.CANT_LOSE: _("One of the most frequent buyers, now silent: contact them in person."),
    RfmGroup.HIBERNATING: _("Bought rarely and long ago."),
    RfmGroup.LOST: _("Bought once or twice, long ago: the least likely to return."),
}
