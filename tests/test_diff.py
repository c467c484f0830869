"""The refresh's diff of persons and tenures (warehouse.diff.read_changes) on two hand-written
warehouse files, without a dbt build: DuckDB compares them, and only the differences come back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from warehouse.diff import Changes, read_changes

_POOL = "CREATE TABLE main.fct_pool_membership (list_name VARCHAR, person_key VARCHAR, is_latest_snapshot BOOLEAN)"
_TENURES = ("CREATE TABLE main.fct_appointment_tenure (person_key VARCHAR, org_name VARCHAR, "
            "post_title VARCHAR, start_date DATE, end_date DATE)")


def _file(path: Path, pool: list[tuple[str, str, bool]] | None,
          tenures: list[tuple[str, str | None, str | None, str, str | None]] | None) -> Path:
    with duckdb.connect(str(path)) as connection:
        if pool is not None:
            connection.execute(_POOL)
        if pool:
            connection.executemany("INSERT INTO main.fct_pool_membership VALUES (?, ?, ?)", pool)
        if tenures is not None:
            connection.execute(_TENURES)
        if tenures:
            connection.executemany("INSERT INTO main.fct_appointment_tenure VALUES (?, ?, ?, ?, ?)", tenures)
    return path


def _changes(old: Path, new: Path) -> Changes:
    with duckdb.connect(str(new), read_only=True) as connection:
        connection.execute("ATTACH ? AS published_warehouse (READ_ONLY)", [str(old)])
        return read_changes(connection, "published_warehouse", new.stem)


def test_persons_and_tenures_that_differ(tmp_path: Path) -> None:
    old = _file(tmp_path / "old.duckdb",
                pool=[("党外知识分子", "k1", True), ("党外知识分子", "k2", True),
                      ("民主党派代表人士", "k3", True), ("党外知识分子", "k9", False)],
                tenures=[("k1", "乐山市政府", "副市长", "2017-01-05", None),
                         ("k2", None, "委员", "2016-12-01", None),
                         ("k3", "市政协", "副主席", "2017-03-01", None),
                         ("k4", "市人大", "副主任", "2015-01-01", "2016-01-01")])
    new = _file(tmp_path / "new.duckdb",
                pool=[("党外知识分子", "k1", True), ("党外知识分子", "k5", True), ("党外知识分子", "k4", True),
                      ("民主党派代表人士", "k3", True), ("党外知识分子", "k2", False)],
                tenures=[("k1", "乐山市政府", "副市长", "2017-01-05", "2018-03-01"),  # ended
                         ("k2", None, "委员", "2016-12-01", None),  # unchanged (no organisation)
                         ("k4", "市人大", "副主任", "2015-01-01", "2016-01-01"),
                         ("k5", "市政府", "局长", "2018-01-01", None)])  # added; k3's is gone
    changes = _changes(old, new)
    # k2 left the latest snapshot (still in an older one); k9 was never in the latest
    assert changes.entered == {"党外知识分子": ["k4", "k5"]}
    assert changes.left == {"党外知识分子": ["k2"]}
    assert changes.tenures_added == [("k5", "市政府", "局长", date(2018, 1, 1))]
    assert changes.tenures_removed == [("k3", "市政协", "副主席", date(2017, 3, 1))]
    assert changes.tenures_ended == [("k1", "乐山市政府", "副市长", date(2017, 1, 5))]


def test_a_file_without_the_marts_compares_as_empty(tmp_path: Path) -> None:
    old = _file(tmp_path / "old.duckdb", pool=None, tenures=None)
    new = _file(tmp_path / "new.duckdb", pool=[("宗教界代表人士", "k1", True)],
                tenures=[("k1", "市政协", "委员", "2017-01-01", None)])
    changes = _changes(old, new)
    assert changes.entered == {"宗教界代表人士": ["k1"]} and changes.left == {}
    assert changes.tenures_added == [("k1", "市政协", "委员", date(2017, 1, 1))]
    assert changes.tenures_removed == [] and changes.tenures_ended == []
    reverse = _changes(new, old)
    assert reverse.left == {"宗教界代表人士": ["k1"]} and reverse.entered == {}
    assert reverse.tenures_removed == [("k1", "市政协", "委员", date(2017, 1, 1))]


def test_lists_come_in_the_contract_order(tmp_path: Path) -> None:
    old = _file(tmp_path / "old.duckdb", pool=[], tenures=[])
    new = _file(tmp_path / "new.duckdb",
                pool=[("非公有制经济代表人士", "k1", True), ("副科级以上党外干部", "k2", True),
                      ("党外知识分子", "k3", True)], tenures=[])
    assert list(_changes(old, new).entered) == ["副科级以上党外干部", "党外知识分子", "非公有制经济代表人士"]
