"""The dbt project on hand-made landing data: figures by hand, docs, unit tests, privacy.

One `dbt build` per test session against `dbt_project/scripts/make_dev_landing.py`'s rows, in a
temporary folder (database, target and logs), so runs in parallel do not collide.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pytest

from warehouse.semantic.catalog import Catalog
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import SemanticReader

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
MART_PREFIXES = ("dim_", "fct_", "mart_")


def _load_dev_landing() -> ModuleType:
    path = DBT_PROJECT_DIR / "scripts" / "make_dev_landing.py"
    spec = importlib.util.spec_from_file_location("make_dev_landing", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dev_landing = _load_dev_landing()


@dataclass(frozen=True)
class Build:
    database: Path
    target: Path
    process: subprocess.CompletedProcess[str]

    def json(self, name: str) -> dict[str, Any]:
        return json.loads((self.target / name).read_text(encoding="utf-8"))

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.database), read_only=True)

    @contextlib.contextmanager
    def reader(self) -> Iterator[SemanticReader]:
        """The metric layer over this build, as the dashboard and ``cadres figures`` read it."""
        catalog = Catalog.from_json((self.target / "semantic_manifest.json").read_text(encoding="utf-8"))
        with self.connect() as connection:
            yield SemanticReader(lambda sql, params: connection.sql(sql, params=params or None).pl(), catalog)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("dbt")
    database = dev_landing.build(root / "cadres.duckdb")
    target = root / "target"
    env = {**os.environ, "CADRES_DBT_DATABASE": str(database),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    process = subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", "build",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target", "build", "--target-path", str(target), "--log-path", str(root / "logs")],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )
    return Build(database, target, process)


def test_build_is_green(build: Build) -> None:
    assert build.process.returncode == 0, build.process.stdout[-5000:]
    statuses = {r["unique_id"]: r["status"] for r in build.json("run_results.json")["results"]}
    bad = {node: status for node, status in statuses.items()
           if status not in ("success", "pass")}
    assert not bad


def test_key_figures_equal_the_hand_computed_ones(build: Build) -> None:
    """Every figure of contract §10, as the metric layer computes it, equals the hand count."""
    with build.reader() as reader:
        assert reader.options.latest == date(2018, 4, 30)
        figures = reader.figures(Scope())
    assert len(figures) == len(dev_landing.EXPECTED_FIGURES)
    assert {f.figure_id: f.value for f in figures} == pytest.approx(dev_landing.EXPECTED_FIGURES, abs=1e-12)
    assert all(f.label and f.unit and f.description for f in figures)


def test_pool_figures_are_computed_at_every_snapshot(build: Build) -> None:
    pool = list(dev_landing.EXPECTED_POOL_2017)
    with build.reader() as reader:
        at_2017 = reader.figures(Scope(snapshot=date(2017, 12, 31)), pool)
        flows = reader.series(["pool_total", "pool_entered", "pool_left"], Scope())
    assert {f.figure_id: f.value for f in at_2017} == dev_landing.EXPECTED_POOL_2017
    # the first snapshot has no previous one (nothing entered or left); then P3 P4 P5 came, P7 left
    assert flows.rows() == [(date(2017, 12, 31), 4, 0, 0), (date(2018, 4, 30), 6, 3, 1)]


def test_persons_leave_the_pool_and_outsiders_are_kept(build: Build) -> None:
    keys = {name: _person_key(person[0]) for name, person in dev_landing.PERSONS.items()}
    with build.connect() as connection:
        people = {row[0]: row[1:] for row in connection.execute(
            "SELECT person_key, is_in_pool, left_pool_date, is_in_pool_source, sector "
            "FROM dim_person").fetchall()}
    assert len(people) == len(dev_landing.PERSONS)
    assert people[keys["P7"]][:3] == (False, date(2018, 4, 30), True)
    assert people[keys["P8"]][:3] == (False, None, False)
    # first-sheet-wins: P1's list-1 row (党政机关) beats the list-2 row that comes first
    assert people[keys["P1"]] == (True, None, True, "党政机关")


def test_every_model_seed_source_and_column_is_documented(build: Build) -> None:
    manifest = build.json("manifest.json")
    nodes = [node for node in manifest["nodes"].values()
             if node["resource_type"] in ("model", "seed") and node["package_name"] == "cadres"]
    nodes += list(manifest["sources"].values())
    assert len([n for n in nodes if n["resource_type"] == "model"]) >= 30
    undocumented = []
    with build.connect() as connection:
        for node in nodes:
            if not node["description"].strip():
                undocumented.append(node["unique_id"])
            schema = node["schema"]
            table = node.get("identifier") or node["alias"]
            actual = [r[0] for r in connection.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ?", [schema, table]).fetchall()]
            assert actual, node["unique_id"]
            documented = {name: column["description"] for name, column in node["columns"].items()}
            undocumented += [f"{node['unique_id']}.{column}" for column in actual
                             if not documented.get(column, "").strip()]
    assert not undocumented


def test_mart_descriptions_start_with_a_chinese_label(build: Build) -> None:
    manifest = build.json("manifest.json")
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"].startswith(MART_PREFIXES):
            for text in [node["description"]] + [c["description"] for c in node["columns"].values()]:
                assert "\u4e00" <= text[0] <= "\u9fff" and "。" in text, (node["name"], text)


def test_unit_tests_ran_and_passed(build: Build) -> None:
    results = build.json("run_results.json")["results"]
    unit = {r["unique_id"].split(".")[-1]: r["status"] for r in results
            if r["unique_id"].startswith("unit_test.")}
    for name in ("team_of_a_tenure",
                 "sitting_and_since_term_are_as_at_each_snapshot",
                 "highest_sitting_rank_decides_department_level",
                 "political_arrangement_never_sits_on_a_team",
                 "three_year_window_excludes_its_start_and_includes_the_snapshot",
                 "as_of_window_and_term_start",
                 "first_sheet_wins_in_contract_order",
                 "same_id_twice_on_one_sheet_first_row_counts",
                 "left_the_pool_at_the_first_snapshot_lacking_them",
                 "comparison_snapshots_are_a_year_before_and_the_year_start"):
        assert unit.get(name) == "pass", (name, unit)


def test_no_names_or_id_numbers_in_any_mart(build: Build) -> None:
    secrets = {value for id_number, name, _, _ in dev_landing.PERSONS.values()
               for value in (id_number, name)}
    secrets |= {"51110219850312012X", "51110219850312", "周某", "吴某"}  # rejected rows
    with build.connect() as connection:
        tables = [r[0] for r in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE'").fetchall() if r[0].startswith(MART_PREFIXES)]
        assert len(tables) >= 15
        for table in tables:
            columns = [r[0] for r in connection.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = ?", [table]).fetchall()]
            assert not {"id_number", "full_name", "身份证号", "姓名"} & set(columns), table
            for column in columns:
                values = connection.execute(
                    f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM main."{table}"').fetchall()
                leaked = [v[0] for v in values
                          if v[0] is not None and any(secret in v[0] for secret in secrets)]
                assert not leaked, (table, column, leaked)


def test_mart_descriptions_are_duckdb_comments(build: Build) -> None:
    with build.connect() as connection:
        comment = connection.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = 'fct_team_snapshot'").fetchone()
        column_comments = connection.execute(
            "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'dim_person' "
            "AND comment IS NULL").fetchone()
    assert comment is not None and comment[0].startswith("领导班子事实")
    assert column_comments == (0,)



def _person_key(id_number: str) -> str:
    return dev_landing.person_key(id_number)


def test_folded_row_checks_name_each_check_that_fails(build: Build, tmp_path: Path) -> None:
    """A model's row-level checks run as one ``row_checks`` test (issue 12); broken rows make it
    fail with one row per broken check, and the refresh's message names those checks."""
    from warehouse.dbt import DbtResult
    from warehouse.refresh import _failure_message  # the message a steward reads

    nodes = build.json("manifest.json")["nodes"].values()
    test_id = next(n["unique_id"] for n in nodes if n["resource_type"] == "test"
                   and n.get("test_metadata", {}).get("name") == "row_checks"
                   and n["attached_node"] == "model.cadres.dim_person")
    folded = next(r for r in build.json("run_results.json")["results"] if r["unique_id"] == test_id)
    assert folded["status"] == "pass" and folded["failures"] == 0
    broken = tmp_path / build.database.name
    broken.write_bytes(build.database.read_bytes())
    with duckdb.connect(str(broken)) as connection:
        connection.execute("UPDATE dim_person SET sex = '未知' WHERE person_key = "
                           "(SELECT min(person_key) FROM dim_person)")
        connection.execute("UPDATE dim_person SET person_key = (SELECT min(person_key) FROM dim_person)"
                           " WHERE person_key = (SELECT max(person_key) FROM dim_person)")
        connection.execute("UPDATE dim_person SET ethnicity = '无此民族' WHERE person_id = "
                           "(SELECT min(person_id) FROM dim_person WHERE ethnicity IS NOT NULL)")
        failed = connection.sql(folded["compiled_code"]).fetchall()
    assert sorted(failed) == [("accepted_values(sex)", 1), ("relationships(ethnicity)", 1),
                              ("unique(person_key)", 1)]
    message = _failure_message(DbtResult(1, [{**folded, "status": "fail", "failures": 2}], []),
                               build.target / "manifest.json", broken)
    assert "出问题的模型：dim_person" in message
    assert "dim_person.accepted_values(sex)" in message and "dim_person.unique(person_key)" in message


def test_a_refresh_that_stops_before_the_build_ends_its_dbt_process(tmp_path: Path) -> None:
    """A refresh starts dbt to parse while it reads the exports (issue 12). When the exports are
    bad, leaving the worker's block must end dbt at once, before it has opened the database."""
    from warehouse.dbt import DbtWorker, dbt_environment

    common = ["--target", "build", "--target-path", str(tmp_path / "target"),
              "--log-path", str(tmp_path / "logs")]
    with DbtWorker(["parse", *common], ["build", *common], dbt_environment(Path("never.duckdb")),
                   cwd=tmp_path):
        time.sleep(0.5)  # dbt is importing or parsing
    found = subprocess.run(["pgrep", "-f", f"dbt_worker.*{tmp_path}"], capture_output=True, text=True)
    assert found.stdout.split() == []
    assert not (tmp_path / "never.duckdb").exists()


def test_a_parse_that_fails_is_reported_by_the_build(tmp_path: Path) -> None:
    """dbt cannot parse (here: no such target): the worker ends early; ``build`` returns dbt's
    exit status 2 and the output that says why, for the refresh's error message."""
    from warehouse.dbt import DbtWorker, dbt_environment

    common = ["--target", "no_such_target", "--target-path", str(tmp_path / "target"),
              "--log-path", str(tmp_path / "logs")]
    with DbtWorker(["parse", *common], ["build", *common], dbt_environment(Path("never.duckdb")),
                   cwd=tmp_path) as worker:
        result = worker.build(run_results=tmp_path / "target" / "run_results.json")
    assert result.returncode == 2 and result.results == []
    assert any("no_such_target" in line for line in result.output_tail), result.output_tail


def test_a_folded_grain_check_fails_on_a_repeated_row(build: Build, tmp_path: Path) -> None:
    """``unique_combination`` inside ``row_checks`` keeps the grain test's meaning: a row
    repeated on the grain fails it (and its repeated surrogate key fails ``unique``)."""
    nodes = build.json("manifest.json")["nodes"].values()
    test_id = next(n["unique_id"] for n in nodes if n["resource_type"] == "test"
                   and n.get("test_metadata", {}).get("name") == "row_checks"
                   and n["attached_node"] == "model.cadres.fct_pool_membership")
    folded = next(r for r in build.json("run_results.json")["results"] if r["unique_id"] == test_id)
    assert folded["status"] == "pass"
    broken = tmp_path / build.database.name
    broken.write_bytes(build.database.read_bytes())
    with duckdb.connect(str(broken)) as connection:
        connection.execute("INSERT INTO fct_pool_membership SELECT * FROM fct_pool_membership LIMIT 1")
        failed = connection.sql(folded["compiled_code"]).fetchall()
    assert sorted(failed) == [("unique(membership_key)", 1),
                              ("unique_combination(snapshot_date, person_key, list_id)", 1)]
