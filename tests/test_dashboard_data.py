"""The dashboard's data layer on a real published warehouse.

Unfiltered views read dbt's reporting marts; filtered views aggregate the core facts with the
same definitions. These tests pin the two paths together, so a change to a definition in dbt
that the dashboard's filtered SQL does not follow fails here, not in front of a leader.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.dashboard_support import DASHBOARD_DIR, copy_warehouse, key_figures, published_sample, use_dashboard_modules

use_dashboard_modules()
import data  # noqa: E402
import labels  # noqa: E402

MART_DIMENSIONS = ("sex", "generation", "ethnic_group", "affiliation", "education", "rank", "sector", "region",
                   "field", "readiness", "list")


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    return published_sample(request)


@pytest.fixture(autouse=True)
def _point_at(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CADRES_WAREHOUSE", str(warehouse))
    yield


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(pl.all())


def test_warehouse_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CADRES_WAREHOUSE", str(tmp_path / "x.duckdb"))
    assert data.warehouse_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("CADRES_WAREHOUSE")
    assert data.warehouse_path() == data.REPO_ROOT / "data" / "cadres.duckdb"
    with pytest.raises(data.WarehouseMissing):
        data.file_identity(tmp_path / "missing.duckdb")


def test_pool_figures_filtered_path_matches_the_mart() -> None:
    mart = data.pool_figures_by_snapshot(data.Filters(), use_mart=True)
    computed = data.pool_figures_by_snapshot(data.Filters(), use_mart=False)
    assert_frame_equal(_sorted(mart), _sorted(computed), check_dtypes=False)
    latest = mart.filter(pl.col("snapshot_date") == pl.col("snapshot_date").max())
    figures = key_figures(data.warehouse_path())
    for figure_id, value in zip(latest["figure_id"], latest["value"], strict=True):
        assert figures[figure_id][1] == value


@pytest.mark.parametrize("dimension", MART_DIMENSIONS)
def test_composition_filtered_path_matches_the_mart(dimension: str) -> None:
    mart = data.composition_by_snapshot(data.Filters(), dimension, use_mart=True)
    computed = data.composition_by_snapshot(data.Filters(), dimension, use_mart=False)
    assert_frame_equal(_sorted(mart), _sorted(computed), check_dtypes=False)
    latest = mart.filter(pl.col("snapshot_date") == pl.col("snapshot_date").max())
    single = data.composition(data.Filters(), dimension).select(value="value_1", persons="persons")
    assert_frame_equal(_sorted(latest.select("value", "persons")), _sorted(single), check_dtypes=False)


def test_flows_training_appointments_fit_filtered_paths_match_the_marts() -> None:
    everything = data.Filters()
    assert_frame_equal(_sorted(data.pool_flows(everything, use_mart=True)),
                       _sorted(data.pool_flows(everything, use_mart=False)), check_dtypes=False)
    persons = ["start_year", "training_type", "host_level", "participants", "completed_participants",
               "participants_placed_after"]
    mart = data.training_by_year(everything, use_mart=True).filter(pl.col("participants") > 0)
    assert_frame_equal(_sorted(mart.select(persons)),
                       _sorted(data.training_by_year(everything, use_mart=False).select(persons)), check_dtypes=False)
    assert_frame_equal(_sorted(data.appointments_by_year(everything, use_mart=True)),
                       _sorted(data.appointments_by_year(everything, use_mart=False)), check_dtypes=False)
    assert_frame_equal(data.fit_rates(everything, use_mart=True), data.fit_rates(everything, use_mart=False),
                       check_dtypes=False)
    assert_frame_equal(data.team_coverage(everything, use_mart=True), data.team_coverage(everything, use_mart=False),
                       check_dtypes=False)


def test_team_and_placement_figures_agree_with_key_figures() -> None:
    figures = {k: v[1] for k, v in key_figures(data.warehouse_path()).items()}
    coverage = data.team_coverage(data.Filters(), use_mart=False)
    assert coverage.height == figures["teams_total"]
    assert coverage.filter(pl.col("nonparty_members") > 0).height == figures["teams_with_nonparty"]
    county = coverage.filter(pl.col("is_county_level") & (pl.col("team_type") == "政协"))
    assert county.filter(pl.col("nonparty_vice_chairs") >= 3).height == figures["county_cppcc_with_3_nonparty"]
    assert county["nonparty_members"].sum() / county["approved_seats"].sum() == pytest.approx(
        figures["county_cppcc_nonparty_share"])
    chairs = data.party_chair_counts(data.Filters()).row(0, named=True)
    assert chairs["chairs"] == figures["democratic_party_chairs"]
    assert chairs["department_level"] == figures["democratic_party_chairs_department_level"]
    assert data.funnel(data.Filters())["in_pool"][0] == figures["pool_total"]


def test_filters_partition_the_pool() -> None:
    """Every region, sector and list filter narrows the pool; regions add up to the whole."""
    options = data.filter_options()
    total = data.pool_figures_by_snapshot(data.Filters()).filter(
        (pl.col("figure_id") == "pool_total") & (pl.col("snapshot_date") == pl.col("snapshot_date").max()))["value"][0]
    by_region = 0.0
    for region in options["region"]:
        frame = data.pool_figures_by_snapshot(data.Filters(regions=(region,)))
        by_region += frame.filter((pl.col("figure_id") == "pool_total")
                                  & (pl.col("snapshot_date") == pl.col("snapshot_date").max()))["value"][0]
    assert by_region == total
    for key, field in (("sector", "sectors"), ("list", "lists")):
        for value in options[key]:
            chosen = data.Filters(**{field: (value,)})
            assert data.funnel(chosen)["in_pool"][0] <= total
            assert not data.classes(chosen).is_empty() or data.funnel(chosen)["trained"][0] == 0


def test_every_view_answers_under_every_filter() -> None:
    """No page query fails for any combination of the filters (incl. an earlier snapshot)."""
    snapshots = data.snapshots()
    combos = [data.Filters(), data.Filters(regions=("市中区", "乐山高新区")), data.Filters(sectors=("体制外",)),
              data.Filters(lists=("民主党派代表人士",)), data.Filters(snapshot=snapshots[-1]),
              data.Filters(regions=("乐山市本级",), sectors=("党政机关",), lists=("副科级以上党外干部",),
                           snapshot=snapshots[1])]
    for chosen in combos:
        data.pool_figures_by_snapshot(chosen)
        data.funnel(chosen)
        for dimension in data.DIMENSION_SQL:
            data.composition(chosen, dimension)
            data.composition_by_snapshot(chosen, dimension)
        data.composition(chosen, "list", "generation")
        data.pool_flows(chosen)
        data.training_by_year(chosen)
        data.appointments_by_year(chosen)
        data.team_coverage(chosen)
        data.fit_rates(chosen)
        data.party_chairs(chosen)
        for year in data.city_placement_years(chosen)[:1]:
            data.city_placements(chosen, year)
        data.classes(chosen)
        data.training_totals(chosen, ("递进培训班",), recent_only=True)
        data.training_by_type(chosen)


def test_user_values_are_bound_never_spliced() -> None:
    hostile = data.Filters(regions=("市中区' or 1=1 --",), sectors=("体制外\"; drop table x; --",))
    assert data.funnel(hostile)["in_pool"][0] == 0
    with pytest.raises(ValueError):
        data.composition(data.Filters(), "sex; drop table main.key_figures")


def test_only_marts_and_run_records_are_read() -> None:
    """No landing or staging table, no name or ID column, in any statement of the dashboard."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in DASHBOARD_DIR.rglob("*.py"))
    tables = set(re.findall(r"\b(main|meta|landing)\.([a-z_]+)", sources))
    assert not {t for t in tables if t[0] == "landing"}
    assert all(not name.startswith(("stg_", "int_", "ref_")) for _, name in tables)
    for column in ("姓名", "身份证号", "id_number", "person_name"):
        assert column not in sources


def test_a_new_publish_is_read_without_a_restart(warehouse: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is replaced, not edited: the next query sees the new file and lets the old go."""
    served = copy_warehouse(warehouse, tmp_path / "served")
    monkeypatch.setenv("CADRES_WAREHOUSE", str(served))
    before = data.key_figures().filter(pl.col("figure_id") == "pool_total")["value"][0]
    attached = data._current
    assert attached is not None

    new = copy_warehouse(warehouse, tmp_path / "build")
    with duckdb.connect(str(new)) as connection:
        connection.execute("update main.key_figures set value = value + 1 where figure_id = 'pool_total'")
        connection.execute("checkpoint")
    os.replace(new, served)  # what warehouse.publish does

    after = data.key_figures().filter(pl.col("figure_id") == "pool_total")["value"][0]
    assert after == before + 1
    assert data._current is not attached and attached.retired
    with pytest.raises(duckdb.ConnectionException):
        attached.host.execute("select 1")  # the old inode is closed, its disk space freed


def test_reading_takes_no_write_lock(warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the dashboard has the file open, another process can still open it read-only."""
    served = copy_warehouse(warehouse, tmp_path / "served")
    monkeypatch.setenv("CADRES_WAREHOUSE", str(served))
    data.snapshots()
    code = ("import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('select count(*) from main.key_figures').fetchone()[0])")
    result = subprocess.run([sys.executable, "-c", code, str(served)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0


def test_snapshot_filter_changes_the_view() -> None:
    snapshots = data.snapshots()
    assert snapshots == sorted(snapshots, reverse=True) and len(snapshots) >= 2
    earliest = data.Filters(snapshot=snapshots[-1])
    assert data.funnel(earliest)["in_pool"][0] < data.funnel(data.Filters())["in_pool"][0]
    assert isinstance(snapshots[0], date)


def test_every_column_has_a_chinese_header() -> None:
    """Downloads and tables translate every column; a new column needs its header in labels."""
    everything = data.Filters()
    frames = [data.pool_figures_by_snapshot(everything), data.funnel(everything), data.pool_flows(everything),
              data.training_by_year(everything), data.appointments_by_year(everything),
              data.team_coverage(everything), data.fit_rates(everything), data.party_chairs(everything),
              data.party_chair_counts(everything), data.classes(everything), data.training_by_type(everything),
              data.training_totals(everything), data.ingest_files(), data.ingest_reasons(), data.refresh_log(),
              data.dbt_problems(), data.dbt_summary(), data.key_figures(),
              data.city_placements(everything, data.city_placement_years(everything)[0])]
    missing = {c for frame in frames for c in frame.columns} - set(labels.COLUMNS)
    assert not missing, missing


def test_explore_reads_any_mart_and_nothing_else() -> None:
    """自助分析 lists the marts from the catalog (no staging, no seeds) and refuses other names."""
    catalog = data.mart_catalog()
    tables = set(catalog["table_name"])
    assert {"key_figures", "fct_pool_person_snapshot", "mart_team_coverage"} <= tables
    assert not {t for t in tables if t.startswith(("stg_", "int_", "ref_"))}
    assert catalog["comment"].null_count() == 0
    everything = data.Filters()
    by_sex = data.explore(everything, "fct_pool_person_snapshot", "sex", data.MEASURE_PERSONS)
    pool_total = key_figures(data.warehouse_path())["pool_total"][1]
    assert by_sex["value"].sum() == pool_total  # the latest snapshot only, each person once
    narrowed = data.explore(data.Filters(regions=("市中区",)), "fct_pool_person_snapshot", "sex", data.MEASURE_ROWS)
    assert 0 < narrowed["value"].sum() < pool_total
    for bad in (("landing.talent_pool", "姓名", data.MEASURE_ROWS), ("stg_landing__talent_pool", "sex", "rows"),
                ("fct_pool_person_snapshot", "person_key", data.MEASURE_ROWS),
                ("fct_pool_person_snapshot", "sex; drop table x", data.MEASURE_ROWS),
                ("fct_pool_person_snapshot", "sex", "birth_year")):
        with pytest.raises(ValueError):
            data.explore(everything, *bad)
