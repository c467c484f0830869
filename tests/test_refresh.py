"""End to end: the sample refreshes into the article's figures; failures publish nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb

from tests.conftest import dbt_workers, run_cadres
from tests.rawkit import appointment, person, write_raw
from warehouse.personal.store import store_path
from warehouse.sample.expected import EXPECTED_FIGURES
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope
from warehouse.settings import SAMPLE_RAW_DIR


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sample_figures_are_the_articles(sample_warehouse: Path) -> None:
    result = run_cadres("figures", "--warehouse", str(sample_warehouse), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["as_of"] == "2018-04-30"
    figures = payload["figures"]
    for figure_id, expected in EXPECTED_FIGURES.items():
        value = figures[figure_id]
        if isinstance(expected, tuple):
            operator, bound = expected
            assert operator == ">=" and value >= bound, (figure_id, value, expected)
        else:
            assert value == expected, (figure_id, value, expected)


def test_figures_table_is_chinese(sample_warehouse: Path) -> None:
    result = run_cadres("figures", "--warehouse", str(sample_warehouse))
    assert result.returncode == 0
    assert "人才库党外干部人才总数" in result.stdout and "900 人" in result.stdout


def test_sample_rejects_are_explained(sample_warehouse: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        reasons = [r[0] for r in connection.execute("SELECT reason FROM landing.rejects").fetchall()]
        log = connection.execute("SELECT as_of_date, tests_passed FROM meta.refresh_log").fetchone()
    assert any("中共党员" in r for r in reasons)
    assert any("校验位" in r for r in reasons)
    assert any("免职时间早于任职时间" in r for r in reasons)
    assert any("班次编号" in r for r in reasons)
    assert str(log[0]) == "2018-04-30" and log[1] > 50
    listing = run_cadres("rejects", "--warehouse", str(sample_warehouse), "--reason", "中共党员")
    assert listing.returncode == 0 and "中共党员" in listing.stdout and "第" in listing.stdout


def test_a_bad_file_leaves_the_published_warehouse_byte_identical(
    sample_warehouse: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "cadres.duckdb"
    shutil.copy(sample_warehouse, warehouse)
    before = _digest(warehouse)
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    (raw / "appointments.xlsx").write_text("<html>not a workbook</html>", encoding="utf-8")
    result = run_cadres("refresh", "--raw", str(raw), "--warehouse", str(warehouse))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "appointments.xlsx" in last_line
    assert _digest(warehouse) == before
    assert not list(tmp_path.glob(".cadres.build-*"))
    # dbt, started to parse while the exports were read, ended with the refresh
    assert dbt_workers(tmp_path) == []


def test_a_failing_dbt_test_publishes_nothing(sample_warehouse: Path, tmp_path: Path) -> None:
    """Two teams with the same code and type pass ingest only once; a wrong region code in the
    pool cannot be made, so instead break a dbt expectation: a raw folder with no leadership
    teams row for one region fails the 36-teams test and must not publish."""
    warehouse = tmp_path / "cadres.duckdb"
    shutil.copy(sample_warehouse, warehouse)
    shutil.copy(store_path(sample_warehouse), store_path(warehouse))  # the restricted store beside it
    before = _digest(warehouse), _digest(store_path(warehouse))
    raw = write_raw(tmp_path / "raw", pool={"2018-04-30": {"党外知识分子": [person(1)]}},
                    leadership_teams=[])
    result = run_cadres("refresh", "--raw", str(raw), "--warehouse", str(warehouse))
    assert result.returncode != 0, result.stdout
    last = result.stderr.strip().splitlines()[-1]
    # the check is named, though dim_team's row-level checks run as one folded test
    assert "dbt" in last and "dim_team.dim_team_has_36_teams" in last, last
    # the build's store was written (the ingest passed) and thrown away with the build
    assert (_digest(warehouse), _digest(store_path(warehouse))) == before


def test_refresh_publishes_a_new_warehouse_with_the_term_start_setting(tmp_path: Path) -> None:
    """A 政治安排 on 2017-01-01 counts since a term starting 2016-11-01, not since 2017-06-01."""
    arranged = appointment(2, 任用类别="政治安排", 班子类别="政协", 职务名称="政协委员",
                           任职时间="2017-01-01", 选拔任用方式="", 岗位类型="", 人岗相适="")
    raw = write_raw(tmp_path / "raw", appointments=[appointment(1), arranged])
    warehouse = tmp_path / "out" / "cadres.duckdb"
    result = run_cadres("refresh", "--raw", str(raw), "--warehouse", str(warehouse),
                        env={"CADRES_TERM_START": "2017-06-01"})
    assert result.returncode == 0, result.stderr
    assert "各文件导入情况" in result.stdout and "dbt 检查" in result.stdout
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        logged = connection.execute("SELECT term_start FROM meta.refresh_log").fetchone()[0]
    with open_reader(warehouse) as reader:
        figures = {f.figure_id: f.value for f in reader.figures(Scope())}
    assert figures["pool_total"] == 1
    assert str(logged) == "2017-06-01"
    assert figures["arranged_since_term"] == 0
    assert len(figures) == 30
