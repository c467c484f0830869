"""Small-cell suppression as an attacker reads it: from the visible cells and the exact totals of
every row and column (worse than what a leader sees), no hidden count can be worked out."""

from __future__ import annotations

import functools
import itertools

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from warehouse.accounts.suppression import hidden_cells, suppress

K = 5
tables = st.integers(1, 3).flatmap(lambda height: st.integers(1, 3).flatmap(
    lambda width: st.lists(st.lists(st.integers(0, 12), min_size=width, max_size=width),
                           min_size=height, max_size=height)))


# What an attacker may know of a table's totals: (row totals, column totals); the grand total
# always. A two-way table is checked against each (all totals is the strongest), a one-way
# breakdown against its grand total (its "row totals" are its cells).
MODELS = ((True, True), (True, False), (False, True), (False, False))


@functools.cache
def _changes(height: int, width: int, rows_known: bool, columns_known: bool) -> tuple[tuple[int, ...], ...]:
    """Every change with entries in {-1, 0, 1} that keeps each known total (and the grand total).

    Two tables that match everything known differ by a change with zero sum on each known line;
    the constraint matrix is totally unimodular, so that change splits into conformal ±1 circuits
    and one of them, applied alone, is another matching table that moves the same cell. Trying
    every ±1 change is therefore complete: a cell no feasible one moves is pinned."""
    found = []
    for change in itertools.product((-1, 0, 1), repeat=height * width):
        grid = [change[i * width:(i + 1) * width] for i in range(height)]
        if sum(change) or not any(change):
            continue
        if rows_known and any(sum(line) for line in grid):
            continue
        if columns_known and any(sum(grid[i][j] for i in range(height)) for j in range(width)):
            continue
        found.append(change)
    return tuple(found)


def _recoverable(counts: list[list[int]], hidden: set[tuple[int, int]], cell: tuple[int, int],
                 model: tuple[bool, bool]) -> bool:
    """True when every non-negative table that matches the visible cells and the totals the
    model knows has the same value at ``cell`` (its interval of possible values is one point)."""
    height, width = len(counts), len(counts[0])
    flat = [n for line in counts for n in line]
    at = cell[0] * width + cell[1]
    movable = {i * width + j for i, j in hidden}
    for change in _changes(height, width, *model):
        if change[at] == 0 or any(d and k not in movable for k, d in enumerate(change)):
            continue
        if all(n + d >= 0 for n, d in zip(flat, change, strict=True)):
            return False
    return True


@settings(max_examples=80, deadline=None)
@given(tables)
@example([[0, 0, 0], [0, 0, 1], [0, 1, 1]])  # a row total of 1 once gave its hidden cell away
@example([[0, 3], [0, 7]])  # the totals alone pin 3 (column 0 is empty): protect what can be
def test_no_hidden_cell_can_be_recovered_from_totals_and_visible_cells(counts: list[list[int]]) -> None:
    hidden = hidden_cells(counts, K)
    assert all((i, j) in hidden for i, line in enumerate(counts) for j, n in enumerate(line) if 0 < n < K)
    everything = {(i, j) for i in range(len(counts)) for j in range(len(counts[0]))}
    for model in MODELS if len(counts[0]) > 1 else ((False, True),):
        for cell in hidden:
            # pinned with the whole table hidden: the totals themselves say it, no cell can help
            if _recoverable(counts, everything, cell, model):
                continue
            assert not _recoverable(counts, hidden, cell, model), (counts, sorted(hidden), cell, model)


def test_a_frame_shows_small_counts_as_null_and_keeps_large_ones_and_zeros() -> None:
    frame = pl.DataFrame({"ethnicity": ["汉族", "彝族", "回族", "藏族"], "pool_total": [880, 3, 0, 17]})
    shown = suppress(frame, ["ethnicity"], ["pool_total"], K)
    # 彝族's 3 is hidden; 17 is the next-smallest non-zero, hidden with it so 880 + 17 + 3 = 900
    # cannot give 3 away; 0 stays
    assert shown["pool_total"].to_list() == [880, None, 0, None]


def test_each_snapshot_is_its_own_table_and_a_time_series_stays_exact() -> None:
    frame = pl.DataFrame({"metric_time__day": ["2017", "2017", "2018", "2018"], "sex": ["男", "女"] * 2,
                          "pool_total": [10, 2, 12, 9]})
    assert suppress(frame, ["metric_time__day", "sex"], ["pool_total"], K)["pool_total"].to_list() == \
        [None, None, 12, 9]
    series = pl.DataFrame({"metric_time__day": ["2017", "2018"], "pool_total": [3, 4]})
    assert suppress(series, ["metric_time__day"], ["pool_total"], K).equals(series)


def test_a_zero_hidden_beside_a_lone_person_is_added_as_a_row_that_reads_under_k() -> None:
    # 丙 has one person (its total, exact under a region filter, is 1): hiding that cell alone
    # says "丙's one person is 彝族"; a hidden 0 beside it (a combination the metric layer did
    # not return) must read "<5" too, or its absence shows it is 0
    frame = pl.DataFrame({"region": ["甲", "甲", "乙", "乙", "丙"],
                          "ethnicity": ["汉族", "彝族", "汉族", "回族", "彝族"], "pool_total": [9, 6, 8, 7, 1]})
    shown = suppress(frame, ["region", "ethnicity"], ["pool_total"], K)
    bing = shown.filter(pl.col("region") == "丙")
    assert bing.height == 2 and bing["pool_total"].null_count() == 2
    assert shown.filter(pl.col("region") == "乙")["pool_total"].to_list() == [8, 7]
