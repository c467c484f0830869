"""Small-cell suppression as an attacker reads it: from the visible cells and the exact totals of
every row and column (worse than what a leader sees), no hidden count can be worked out."""

from __future__ import annotations

import functools
import itertools
from datetime import date

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from warehouse.accounts import Account, Role
from warehouse.accounts.suppression import hidden_cells, suppress
from warehouse.accounts.visibility import Cells, Visibility
from warehouse.semantic.catalog import Catalog, Cell, Metric, SemanticModel
from warehouse.semantic.comparison import Change, Compared
from warehouse.semantic.reader import Figure

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


def _catalog() -> Catalog:
    """A pool with the meta dbt's YAML gives it: a headline total, a sensitive figure, a partition
    (身份类别) of the total, and a count of public posts."""
    pool = SemanticModel("pool_memberships", "人才库", {}, None, (), entity="pool_membership")
    posts = SemanticModel("tenures", "任职", {}, None, (), entity="tenure")
    found = Catalog("{}", models={"pool_memberships": pool, "tenures": posts})

    def metric(name: str, model: str = "pool_memberships", **meta: object) -> None:
        found.metrics[name] = Metric(name, name, "", "人", "simple", (model,), **meta)  # type: ignore[arg-type]

    metric("pool_total", headline=True)
    metric("pool_ethnic_minority", sensitive=True)
    metric("pool_female")
    for sector in ("gov", "institution", "outside"):
        metric(f"pool_sector_{sector}", partition="sector")
    metric("chairs", "tenures")
    return found


LEADER = Visibility(Account("boss", Role.LEADER))
CARDS = {"pool_total": 30, "pool_ethnic_minority": 2, "pool_female": 3, "pool_sector_gov": 3,
         "pool_sector_institution": 12, "pool_sector_outside": 15, "chairs": 2}


def test_a_card_is_hidden_under_a_narrowing_scope_and_with_the_smallest_other_card_of_its_partition() -> None:
    # under a region filter every card is a cell of region × its attribute; the total is exact;
    # 党政机关 3 would be 30 − 12 − 15, so the smallest other sector card goes with it
    assert LEADER.hidden_figures(CARDS, _catalog(), narrowed=True) == {
        "pool_ethnic_minority", "pool_female", "pool_sector_gov", "pool_sector_institution"}
    # city-wide a one-attribute card is exact unless its attribute is sensitive
    assert LEADER.hidden_figures(CARDS, _catalog(), narrowed=False) == {"pool_ethnic_minority"}
    # as in a breakdown, a count is hidden with it before a 0 is (however large the count)
    assert LEADER.hidden_figures({"pool_sector_gov": 3, "pool_sector_institution": 0, "pool_sector_outside": 27},
                                 _catalog(), narrowed=True) == {"pool_sector_gov", "pool_sector_outside"}
    assert Visibility(Account("ana", Role.ANALYST)).hidden_figures(CARDS, _catalog(), narrowed=True) == set()


def test_a_partition_missing_from_the_figures_asked_is_completed_or_hidden_whole() -> None:
    # a page showing one sector card must pick the same partner a page with all three picks
    asked = {"pool_sector_gov": 3, "pool_sector_institution": 12}
    rest = {"pool_sector_outside": 15}
    assert LEADER.hidden_figures(asked, _catalog(), True, fetch=lambda names: {n: rest[n] for n in names}) == {
        "pool_sector_gov", "pool_sector_institution"}
    assert LEADER.hidden_figures({"pool_sector_gov": 3, "pool_sector_outside": 15}, _catalog(), True) == {
        "pool_sector_gov", "pool_sector_outside"}  # no way to ask the rest: every card of it here


def test_a_change_from_or_to_a_hidden_count_is_hidden_and_series_rows_are_suppressed_per_snapshot() -> None:
    def figure(name: str, value: float) -> Figure:
        return Figure(name, name, value, "人", "")

    def change(kind: str, now: float, before: float) -> Change:
        return Change(kind, date(2025, 12, 31), before, now - before, None)

    # 其中女性 is 9 now, 3 a year before: its card shows 9, but "+6" would give the 3 away
    compared = [Compared(figure("pool_total", 40), change("较上年同期", 40, 31), change("较年初", 40, 35)),
                Compared(figure("pool_female", 9), change("较上年同期", 9, 3), change("较年初", 9, 8))]
    total, female = LEADER.shown_compared(compared, _catalog(), narrowed=True)
    assert female.figure.value == 9 and female.prior_year.delta is None and female.prior_year.before is None
    assert female.year_start.delta == 1 and total.prior_year.delta == 9
    series = pl.DataFrame({"snapshot_date": [1, 2], "pool_total": [8, 12], "pool_female": [3, 6]})
    assert LEADER.shown_rows(series, _catalog(), narrowed=True)["pool_female"].to_list() == [None, 6]


def test_a_card_is_hidden_exactly_when_its_breakdown_hides_its_cell_even_as_a_partner() -> None:
    # at a region, 年龄段 has a 60后 of 2: the breakdown hides it and, as its partner, the smallest
    # other row, 80后 (6). The 其中“80后” card is that row: it is hidden too, though 6 ≥ 5, or
    # the exact total minus the shown rows would give the 60后 away.
    catalog = _catalog()
    catalog.metrics["pool_born_1980s"] = Metric("pool_born_1980s", "其中“80后”", "", "人", "simple",
                                                ("pool_memberships",),
                                                cell=Cell("pool_membership__generation", "80后"))
    now, before = date(2026, 6, 30), date(2025, 12, 31)
    generation = ["60后", "70后", "80后", "90后"]
    breakdown = pl.DataFrame({"metric_time__day": [now] * 4 + [before] * 4,
                              "pool_membership__generation": generation * 2,
                              "pool_total": [2, 20, 6, 12, 0, 20, 7, 12]})
    asked: list[tuple[str, str]] = []

    def ask(total: str, dimension: str) -> pl.DataFrame:
        asked.append((total, dimension))
        return breakdown

    page = LEADER.shown(breakdown.filter(pl.col("metric_time__day") == now),
                        ["pool_membership__generation"], {"pool_total": "人"}, narrowed=True)
    assert page.filter(pl.col("pool_total").is_null())["pool_membership__generation"].to_list() == ["60后", "80后"]
    cells = Cells(ask, now)
    assert LEADER.hidden_figures({"pool_total": 40, "pool_born_1980s": 6}, catalog, True, cells=cells) == {
        "pool_born_1980s"}
    # a year before 60后 was 0: nothing hidden, so the card shows; the change from it is hidden
    # because the card is hidden now; the breakdown was asked once for both snapshots
    assert LEADER.hidden_figures({"pool_born_1980s": 7}, catalog, True, cells=cells, when=before) == set()
    compared = [Compared(Figure("pool_born_1980s", "其中“80后”", 6, "人", ""),
                         Change("较上年同期", before, 7, -1, None), Change("较年初", before, 7, -1, None))]
    [card] = LEADER.shown_compared(compared, catalog, True, cells=cells)
    assert card.figure.hidden == "<5" and card.figure.value is None and card.prior_year.delta is None
    series = pl.DataFrame({"snapshot_date": [before, now], "pool_born_1980s": [7, 6]})
    assert LEADER.shown_rows(series, catalog, True, cells=cells)["pool_born_1980s"].to_list() == [7, None]
    assert asked == [("pool_total", "pool_membership__generation")]
    # without the breakdown (or city-wide, where a one-way 年龄段 is exact) the card's own rule
    assert LEADER.hidden_figures({"pool_born_1980s": 6}, catalog, True) == set()
    assert LEADER.hidden_figures({"pool_born_1980s": 6}, catalog, False, cells=Cells(ask, now)) == set()
    assert Visibility(Account("ana", Role.ANALYST)).hidden_figures(
        {"pool_born_1980s": 6}, catalog, True, cells=cells) == set()
