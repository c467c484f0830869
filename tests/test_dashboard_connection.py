"""The dashboard's reads on a real published warehouse: the connection that survives publishes,
the metric layer behind every number, the marts browser, and what is never read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard import connection, marts, metrics
from tests.dashboard_support import DASHBOARD_DIR, copy_warehouse, key_figures, published_sample
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import ScopeError


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    return published_sample(request)


@pytest.fixture(autouse=True)
def _point_at(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CADRES_WAREHOUSE", str(warehouse))
    yield


def test_warehouse_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CADRES_WAREHOUSE", str(tmp_path / "x.duckdb"))
    assert connection.warehouse_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("CADRES_WAREHOUSE")
    assert connection.warehouse_path() == connection.REPO_ROOT / "data" / "cadres.duckdb"
    with pytest.raises(connection.WarehouseMissing):
        connection.file_identity(tmp_path / "missing.duckdb")


def test_no_landing_staging_or_personal_columns_are_read() -> None:
    """No landing, staging or intermediate table, no name or ID column, in any dashboard module:
    names and masked ID numbers reach the 人员名单 page only through ``warehouse.personal``."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in DASHBOARD_DIR.rglob("*.py"))
    tables = set(re.findall(r"\b(main|meta|landing)\.([a-z_]+)", sources))
    assert not {t for t in tables if t[0] == "landing"}
    assert all(not name.startswith(("stg_", "int_")) for _, name in tables)
    for column in ("姓名", "身份证号", "id_number", "person_name"):
        assert column not in sources


def test_no_page_writes_its_own_sql() -> None:
    """Pages ask the metric layer (or the marts browser, or the run records); none holds SQL."""
    for page in (DASHBOARD_DIR / "app_pages").glob("*.py"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"\bselect\b.+\bfrom\b", text, re.IGNORECASE | re.DOTALL), page.name
        assert "connection.query" not in text, page.name


def test_a_new_publish_is_read_without_a_restart(warehouse: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is replaced, not edited: the next query sees the new file and lets the old go."""
    served = copy_warehouse(warehouse, tmp_path / "served")
    monkeypatch.setenv("CADRES_WAREHOUSE", str(served))
    before = metrics.figures(Scope(), ["pool_total"])[0].value
    attached = connection._current
    assert attached is not None

    new = copy_warehouse(warehouse, tmp_path / "build")
    with duckdb.connect(str(new)) as writer:
        writer.execute("delete from main.fct_pool_snapshot where person_key = (select min(person_key) "
                       "from main.fct_pool_snapshot where is_latest_snapshot) and is_latest_snapshot")
        writer.execute("checkpoint")
    os.replace(new, served)  # what warehouse.publish does

    after = metrics.figures(Scope(), ["pool_total"])[0].value
    assert after == before - 1
    assert connection._current is not attached and attached.retired
    with pytest.raises(duckdb.ConnectionException):
        attached.host.execute("select 1")  # the old inode is closed, its disk space freed


def test_reading_takes_no_write_lock(warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the dashboard has the file open, another process can still open it read-only."""
    served = copy_warehouse(warehouse, tmp_path / "served")
    monkeypatch.setenv("CADRES_WAREHOUSE", str(served))
    metrics.options()
    code = ("import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('select count(*) from main.dim_snapshot').fetchone()[0])")
    result = subprocess.run([sys.executable, "-c", code, str(served)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0


def test_snapshots_newest_first_and_an_older_one_changes_the_figures() -> None:
    snapshots = metrics.options().snapshots
    assert list(snapshots) == sorted(snapshots, reverse=True) and len(snapshots) >= 2
    assert isinstance(snapshots[0], date)
    oldest = metrics.figures(Scope(snapshot=snapshots[-1]), ["pool_total"])[0].value
    latest = metrics.figures(Scope(), ["pool_total"])[0].value
    assert oldest < latest


def test_unknown_scope_values_are_refused_and_values_never_enter_the_sql() -> None:
    with pytest.raises(ScopeError, match="火星"):
        metrics.query(["pool_total"], scope=Scope(regions=("火星",)))
    hostile = Scope(regions=("市中区' or 1=1 --",), sectors=("体制外\"; drop table x; --",),
                    snapshot=metrics.latest())
    result = metrics.reader().query(["pool_total"], scope=hostile)  # unchecked: bound, so it matches nothing
    assert result.value("pool_total") == 0


def test_explore_marts_tab_reads_any_mart_and_nothing_else(warehouse: Path) -> None:
    """The analysts' tab lists the marts from the catalog (no staging, no seeds) and refuses other names."""
    catalog = marts.mart_catalog()
    tables = set(catalog["table_name"])
    assert {"fct_pool_person_snapshot", "fct_team_snapshot", "dim_snapshot"} <= tables
    assert not {t for t in tables if t.startswith(("stg_", "int_", "ref_"))}
    assert catalog["comment"].null_count() == 0
    latest = metrics.at_snapshot(Scope())
    by_sex = marts.explore(latest, "fct_pool_person_snapshot", "sex", marts.MEASURE_PERSONS)
    pool_total = key_figures(warehouse)["pool_total"].value
    assert by_sex["value"].sum() == pool_total  # the latest snapshot only, each person once
    narrowed = marts.explore(metrics.at_snapshot(Scope(regions=("市中区",))), "fct_pool_person_snapshot", "sex",
                             marts.MEASURE_ROWS)
    assert 0 < narrowed["value"].sum() < pool_total
    for bad in (("landing.talent_pool", "姓名", marts.MEASURE_ROWS), ("stg_landing__talent_pool", "sex", "rows"),
                ("fct_pool_person_snapshot", "person_key", marts.MEASURE_ROWS),
                ("fct_pool_person_snapshot", "sex; drop table x", marts.MEASURE_ROWS),
                ("fct_pool_person_snapshot", "sex", "birth_year")):
        with pytest.raises(ValueError):
            marts.explore(latest, *bad)
