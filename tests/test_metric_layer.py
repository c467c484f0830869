"""The metric layer from the command line: `cadres figures` for any scope, `cadres metrics`.

Every figure comes from dbt's semantic layer (MetricFlow compiles the SQL from the definitions
stored in the published file); these tests check what a steward or a leader sees at the
terminal, and that a scope a figure does not apply to says so instead of answering city-wide.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import cadres_in_process, run_cadres
from warehouse.semantic import compiler
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope


def _persons(warehouse: Path, snapshot: str, region: str) -> int:
    """Independent count: persons of one region in one snapshot of the pool fact."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute("select count(*) from main.fct_pool_person_snapshot "
                                  "where snapshot_date = ? and region_name = ?", [snapshot, region]).fetchone()[0]


def test_figures_for_a_region_at_an_older_snapshot(sample_warehouse: Path) -> None:
    result = run_cadres("figures", "--warehouse", str(sample_warehouse), "--region", "市中区",
                        "--snapshot", "2016-12-31", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["as_of"] == "2016-12-31"
    assert payload["scope"] == {"regions": ["市中区"], "sectors": [], "lists": [], "snapshot": "2016-12-31"}
    figures = payload["figures"]
    assert len(figures) == 30
    assert figures["pool_total"] == _persons(sample_warehouse, "2016-12-31", "市中区") > 0
    # classes are counted city-wide: under a region filter they are empty, with the reason
    assert figures["progressive_classes"] is None and "全市" in payload["notes"]["progressive_classes"]
    # persons are counted in their region at that snapshot, so the region's count is smaller
    city = json.loads(cadres_in_process("figures", "--warehouse", str(sample_warehouse), "--snapshot", "2016-12-31",
                                 "--json").stdout)["figures"]
    assert figures["pool_total"] < city["pool_total"]
    assert city["progressive_classes"] is not None


def test_a_list_filter_leaves_team_figures_empty_with_a_reason(sample_warehouse: Path) -> None:
    result = cadres_in_process("figures", "--warehouse", str(sample_warehouse), "--list", "民主党派代表人士")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[2:] if line.strip()}
    assert "范围：名单：民主党派代表人士" in result.stdout.splitlines()[0]
    assert "—（班子指标按班子所在地区统计" in lines["市县两级人大、政府、政协领导班子"]
    assert lines["人才库党外干部人才总数"].endswith(" 人")


@pytest.mark.parametrize(("flags", "named"), [
    (("--region", "火星"), ["火星", "市中区", "乐山高新区"]),
    (("--snapshot", "2017-01-01"), ["2017-01-01", "2018-04-30", "2015-12-31"]),
    (("--snapshot", "abc"), ["abc", "YYYY-MM-DD"]),
    (("--list", "不存在的名单"), ["不存在的名单", "党外知识分子"]),
])
def test_bad_scope_values_are_named_with_the_allowed_ones(sample_warehouse: Path, flags: tuple[str, ...],
                                                           named: list[str]) -> None:
    result = cadres_in_process("figures", "--warehouse", str(sample_warehouse), *flags)
    assert result.returncode == 1
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert all(word in result.stderr for word in named), result.stderr
    assert "Traceback" not in result.stderr


def test_metrics_lists_every_metric_with_label_and_kou_jing(sample_warehouse: Path) -> None:
    listed = run_cadres("metrics", "--warehouse", str(sample_warehouse), "--json")
    assert listed.returncode == 0, listed.stderr
    metrics = {m["metric"]: m for m in json.loads(listed.stdout)}
    with open_reader(sample_warehouse) as reader:
        assert set(reader.figure_ids) <= set(metrics)
    assert metrics["pool_female"]["label"] == "其中女性" and "女" in metrics["pool_female"]["description"]
    assert "pool_membership__region" in metrics["pool_total"]["dimensions"]
    text = cadres_in_process("metrics", "--warehouse", str(sample_warehouse)).stdout
    assert "口径：" in text and "人才库党外干部人才总数" in text


def test_metrics_query_slices_any_metric(sample_warehouse: Path) -> None:
    result = run_cadres("metrics", "query", "pool_total", "pool_female", "--by", "pool_membership__sex",
                        "--where", "pool_membership__region=市中区", "--warehouse", str(sample_warehouse), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    rows = {r["pool_membership__sex"]: r for r in payload["rows"]}
    assert set(rows) == {"男", "女"}
    latest = str(date(2018, 4, 30))
    assert sum(r["pool_total"] for r in rows.values()) == _persons(sample_warehouse, latest, "市中区")
    assert rows["男"]["pool_female"] == 0 and rows["女"]["pool_female"] == rows["女"]["pool_total"]
    assert payload["labels"]["pool_membership__sex"] == "性别"
    csv = cadres_in_process("metrics", "query", "tenures", "--by", "tenure__start_year", "--csv",
                     "--warehouse", str(sample_warehouse))
    assert csv.returncode == 0 and csv.stdout.splitlines()[0] == "任职年份,任职条数"
    for bad, word in ((("no_such_metric",), "no_such_metric"), (("pool_total", "--by", "tenure__rank"), "tenure__rank"),
                      (("pool_total", "--where", "pool_membership__sex"), "维度=值")):
        # the first in a real process: one line on stderr and an exit code, never a traceback
        run = run_cadres if word == "no_such_metric" else cadres_in_process
        failed = run("metrics", "query", *bad, "--warehouse", str(sample_warehouse))
        assert failed.returncode == 1 and word in failed.stderr and "Traceback" not in failed.stderr


def test_compiled_sql_is_cached_per_query_shape(sample_warehouse: Path) -> None:
    """One compilation per shape: other values of the same filters reuse the statement."""
    with open_reader(sample_warehouse) as reader:
        reader.figures(Scope(regions=("市中区",)), ["pool_total", "trainees"])
        cached = compiler.cached_statements()
        for region in reader.options.regions:
            reader.figures(Scope(regions=(region,)), ["pool_total", "trainees"])
        reader.figures(Scope(regions=("市中区", "沙湾区"), snapshot=date(2015, 12, 31)), ["pool_total", "trainees"])
        assert compiler.cached_statements() == cached


def test_time_dimensions_are_dates_so_day_truncation_can_be_dropped(sample_warehouse: Path) -> None:
    """The compiler drops MetricFlow's ``DATE_TRUNC('day', column)`` so a snapshot filter reaches
    the table scan; that is only the same number when every time dimension is a DATE column."""
    with open_reader(sample_warehouse) as reader:
        manifest = json.loads(reader.catalog.manifest_json)
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        for model in manifest["semantic_models"]:
            table = model["node_relation"]["alias"]
            for dimension in model["dimensions"]:
                if dimension["type"] != "time":
                    continue
                column = dimension.get("expr") or dimension["name"]
                kind = connection.execute(f'select typeof("{column}") from main."{table}" limit 1').fetchone()
                assert kind is None or kind[0] == "DATE", (table, column, kind)


def test_a_list_filter_counts_a_person_on_two_chosen_lists_once(sample_warehouse: Path) -> None:
    """The pool is one row per person with their lists: choosing two lists counts a person on
    both once, while the per-list count counts them on each."""
    with open_reader(sample_warehouse) as reader:
        lists = reader.options.lists[:2]
        scope = Scope(lists=lists, snapshot=reader.options.latest)
        total = reader.query(["pool_total"], scope=scope).value("pool_total")
        per_list = reader.query(["pool_list_members"], ["list_membership__list_name"], scope).frame
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        persons, memberships = connection.execute(
            "select count(distinct person_key), count(*) from main.fct_pool_membership "
            "where snapshot_date = ? and list_name in (?, ?)", [scope.snapshot, *lists]).fetchone()
    assert total == persons
    assert set(per_list["list_membership__list_name"]) == set(lists)
    assert per_list["pool_list_members"].sum() == memberships


def test_several_snapshots_in_one_statement_equal_each_asked_alone(sample_warehouse: Path) -> None:
    """总览 asks a figure and its 较上年同期 / 较年初 snapshots in one statement grouped by date;
    each must equal the single-snapshot answer, also where a semantic model has no row at a
    snapshot (乐山高新区 has no leadership team: MetricFlow leaves those metrics empty after its
    join, the single query says 0)."""
    with open_reader(sample_warehouse) as reader:
        snapshots = list(reader.options.snapshots)
        scopes = (Scope(), Scope(regions=("乐山高新区",)), Scope(regions=("市中区", "沙湾区"), lists=("党外知识分子",)))
        for scope in scopes:
            together = reader.figures_at(scope, snapshots)
            for when in snapshots:
                alone = reader.figures(Scope(scope.regions, scope.sectors, scope.lists, when))
                assert together[when] == alone, (scope, when)
        empty = reader.figures_at(Scope(regions=("乐山高新区",)), snapshots[:1], ["teams_total"])
        assert empty[snapshots[0]][0].value == 0
