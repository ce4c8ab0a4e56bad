"""RFM scoring rules: quintile boundaries, ties, a lone customer, the R/F group map."""

from decimal import Decimal

from hamkor.analytics.models import RfmGroup
from hamkor.analytics.rfm import bounds_of, group_for, score_table, score_with


def test_score_table_five_distinct_values_get_one_score_each():
    assert score_table([50, 10, 40, 20, 30]) == {10: 1, 20: 2, 30: 3, 40: 4, 50: 5}


def test_score_table_ten_values_split_into_exact_quintiles():
    # Mid-rank percentiles 5 %, 15 %, … 95 %: two values per fifth.
    assert score_table(list(range(1, 11))) == {
        1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 5, 10: 5,
    }  # fmt: skip


def test_score_table_six_values_use_midrank_boundaries():
    # Percentiles 1/12, 3/12, 5/12, 7/12, 9/12, 11/12 → fifths 1, 2, 3, 3, 4, 5.
    assert score_table([1, 2, 3, 4, 5, 6]) == {1: 1, 2: 2, 3: 3, 4: 3, 5: 4, 6: 5}


def test_score_table_ties_share_the_middle_of_their_run():
    # Four tied at the bottom: mid-rank (0 + 4/2) / 5 = 40 % → 3; the top one
    # (4 + 1/2) / 5 = 90 % → 5.
    assert score_table([1, 1, 1, 1, 2]) == {1: 3, 2: 5}


def test_score_table_everyone_equal_scores_three():
    assert score_table([4, 4, 4]) == {4: 3}


def test_score_table_single_customer_scores_three():
    assert score_table([Decimal("150000.00")]) == {Decimal("150000.00"): 3}


def test_bounds_of_are_lowest_values_reaching_each_score():
    scores = score_table(list(range(1, 11)))

    assert bounds_of(scores) == [3, 5, 7, 9]


def test_bounds_of_skipped_scores_share_a_bound():
    assert bounds_of(score_table([1, 1, 1, 1, 2])) == [1, 1, 2, 2]


def test_score_with_places_new_values_between_bounds():
    bounds = [3, 5, 7, 9]

    assert [score_with(value, bounds) for value in (0, 3, 4, 8, 9, 100)] == [1, 2, 2, 4, 5, 5]


def test_score_with_no_bounds_yet_is_the_middle():
    assert score_with(7, []) == 3


def test_group_for_corners_of_the_grid():
    assert group_for(5, 5) == RfmGroup.CHAMPIONS
    assert group_for(5, 1) == RfmGroup.NEW
    assert group_for(4, 1) == RfmGroup.PROMISING
    assert group_for(4, 4) == RfmGroup.LOYAL
    assert group_for(4, 2) == RfmGroup.POTENTIAL
    assert group_for(3, 3) == RfmGroup.NEED_ATTENTION
    assert group_for(2, 3) == RfmGroup.AT_RISK
    assert group_for(1, 5) == RfmGroup.CANT_LOSE
    assert group_for(2, 1) == RfmGroup.HIBERNATING
    assert group_for(1, 1) == RfmGroup.LOST


def test_group_for_every_cell_names_a_group():
    groups = {group_for(r, f) for r in range(1, 6) for f in range(1, 6)}

    assert groups == set(RfmGroup)
