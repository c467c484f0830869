"""The dbt project's guard rails (``python -m warehouse.conventions``), run in CI.

The real project passes; a copy with a badly named, undocumented, untested model fails and
names it; each rule is also pinned on a small hand-made manifest. The dashboard's exposures
are checked against the SQL the dashboard really runs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard_support import page_metrics
from warehouse.conventions import (
    check_key_figures,
    check_manifest,
    check_warehouse,
    is_personal_column,
    key_figure_ids,
    parse_manifest,
)
from warehouse.settings import DBT_PROJECT_DIR, PROJECT_ROOT, REFERENCE_DIR

DASHBOARD = PROJECT_ROOT / "dashboard"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return parse_manifest(DBT_PROJECT_DIR)


def test_the_project_follows_the_conventions(manifest: dict[str, Any]) -> None:
    violations = check_manifest(manifest, key_figure_ids())
    assert not violations, "\n".join(map(str, violations))
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert {"dim_person_history", "mart_pool_movements"} <= {m["name"] for m in models}


def test_every_column_the_published_warehouse_has_is_documented(
        manifest: dict[str, Any], sample_warehouse: Path) -> None:
    violations = check_warehouse(manifest, sample_warehouse)
    assert not violations, "\n".join(map(str, violations))


def _copy_project(root: Path) -> Path:
    """dbt_project/ and the reference seeds it reads (``../seeds/reference``), nothing built."""
    project = root / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project,
                    ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", "*.duckdb*"))
    shutil.copytree(REFERENCE_DIR, root / "seeds" / "reference")
    return project


def test_a_badly_named_undocumented_model_fails_the_check_and_is_named(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    (project / "models" / "marts" / "reporting" / "pool_by_sector.sql").write_text(
        "select sector, count(*) as persons\nfrom {{ source('landing', 'talent_pool') }}\ngroup by sector\n",
        encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "warehouse.conventions", "--project-dir", str(project)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert process.returncode == 1, process.stdout + process.stderr
    lines = process.stdout.strip().splitlines()
    assert lines and all(line.startswith("pool_by_sector ") for line in lines), lines
    text = process.stdout
    for expected in ("dim_、fct_ 或 mart_", "only staging models may read sources", "缺少模型描述",
                     "no primary-key test", "dashboard_explore"):
        assert expected in text, (expected, text)


# --- each rule on a hand-made manifest -----------------------------------------------------------

def _model(name: str, path: str, *, depends: tuple[str, ...] = (), columns: dict[str, str] | None = None,
           description: str = "描述。说明") -> dict[str, Any]:
    columns = {"id": "键。说明"} if columns is None else columns
    return {"unique_id": f"model.p.{name}", "name": name, "resource_type": "model", "package_name": "p",
            "original_file_path": path, "description": description, "depends_on": {"nodes": list(depends)},
            "columns": {c: {"name": c, "description": d, "constraints": []} for c, d in columns.items()},
            "constraints": [], "schema": "main", "alias": name}


def _test(kind: str, model: str, column: str | None = None, severity: str = "ERROR",
          **arguments: Any) -> dict[str, Any]:
    uid = f"test.p.{kind}_{model}_{column}"
    return {"unique_id": uid, "name": uid.split(".")[-1], "resource_type": "test", "package_name": "p",
            "test_metadata": {"name": kind, "kwargs": arguments}, "column_name": column,
            "attached_node": f"model.p.{model}",
            "config": {"enabled": True, "severity": severity}, "depends_on": {"nodes": [f"model.p.{model}"]}}


def _manifest(models: list[dict[str, Any]], tests: list[dict[str, Any]] | None = None,
              exposures: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    if tests is None:
        tests = [t for m in models for t in (_test("unique", m["name"], "id"), _test("not_null", m["name"], "id"))]
    nodes = {n["unique_id"]: n for n in [*models, *tests]}
    return {"metadata": {"project_name": "p"}, "nodes": nodes,
            "sources": {"source.p.landing.pool": {"source_name": "landing"},
                        "source.p.other.pool": {"source_name": "other"}},
            "exposures": {e["unique_id"]: e for e in exposures or []}}


def _messages(manifest: dict[str, Any]) -> list[str]:
    return [str(v) for v in check_manifest(manifest)]


def test_a_clean_hand_made_project_passes() -> None:
    models = [_model("stg_landing__pool", "models/staging/landing/stg_landing__pool.sql",
                     depends=("source.p.landing.pool", "seed.p.ref_lists")),
              _model("int_pool", "models/intermediate/int_pool.sql", depends=("model.p.stg_landing__pool",)),
              _model("dim_pool", "models/marts/core/dim_pool.sql", depends=("model.p.int_pool",)),
              _model("mart_pool", "models/marts/reporting/mart_pool.sql", depends=("model.p.dim_pool",))]
    assert _messages(_manifest(models)) == []


@pytest.mark.parametrize(("name", "path"), [
    ("pool", "models/staging/landing/pool.sql"),
    ("stg_other__pool", "models/staging/landing/stg_other__pool.sql"),
    ("stg_landing_pool", "models/staging/landing/stg_landing_pool.sql"),
    ("stg_landing__pool", "models/staging/stg_landing__pool.sql"),
    ("pool_history", "models/intermediate/pool_history.sql"),
    ("pool_counts", "models/marts/reporting/pool_counts.sql"),
    ("Mart_Pool", "models/marts/reporting/Mart_Pool.sql"),
    ("mart_pool", "models/reporting/mart_pool.sql"),
])
def test_a_model_named_against_its_folder_is_reported(name: str, path: str) -> None:
    messages = _messages(_manifest([_model(name, path)]))
    assert messages and all(m.startswith(f"{name} ({path}): ") for m in messages), messages


def test_layering_staging_reads_sources_intermediate_no_marts_marts_no_sources() -> None:
    models = [_model("stg_landing__pool", "models/staging/landing/stg_landing__pool.sql",
                     depends=("source.p.other.pool", "model.p.int_pool")),
              _model("int_pool", "models/intermediate/int_pool.sql",
                     depends=("model.p.dim_pool", "source.p.landing.pool")),
              _model("dim_pool", "models/marts/core/dim_pool.sql", depends=("source.p.landing.pool",))]
    messages = "\n".join(_messages(_manifest(models)))
    assert "stg_landing__pool" in messages and "not model int_pool" in messages
    assert "must read source landing, not other" in messages
    assert "int_pool (models/intermediate/int_pool.sql): 中间层模型不能读取数据集市模型 dim_pool" in messages
    assert messages.count("only staging models may read sources (landing.pool)") == 2


def test_undocumented_models_and_columns_are_reported() -> None:
    model = _model("mart_pool", "models/marts/reporting/mart_pool.sql", description=" ",
                   columns={"id": "键。说明", "persons": ""})
    messages = _messages(_manifest([model]))
    assert any("model has no description" in m for m in messages)
    assert any("column persons has no description" in m for m in messages)
    bare = _model("mart_bare", "models/marts/reporting/mart_bare.sql", columns={})
    assert any("no column is described" in m for m in _messages(_manifest([bare], tests=[])))


@pytest.mark.parametrize(("tests", "ok"), [
    ([_test("unique", "mart_pool", "id"), _test("not_null", "mart_pool", "id")], True),
    ([_test("unique_combination", "mart_pool")], True),
    ([_test("row_checks", "mart_pool", unique=["id"], not_null=["x", "id"])], True),
    ([_test("row_checks", "mart_pool", unique=["id"], not_null=["x"])], False),
    ([_test("row_checks", "mart_pool", unique_combination=["snapshot_date", "id"])], True),
    ([_test("row_checks", "mart_pool", relationships={"id": {"to": "ref('x')", "field": "id"}})], False),
    ([_test("row_checks", "mart_pool", not_null=["id"]), _test("unique", "mart_pool", "id")], True),
    ([_test("unique", "mart_pool", "id")], False),
    ([_test("unique", "mart_pool", "id"), _test("not_null", "mart_pool", "other")], False),
    ([_test("unique", "mart_pool", "id", severity="warn"), _test("not_null", "mart_pool", "id")], False),
    ([_test("accepted_values", "mart_pool", "id"), _test("not_null", "mart_pool", "id")], False),
])
def test_a_model_needs_a_primary_key_test(tests: list[dict[str, Any]], ok: bool) -> None:
    model = _model("mart_pool", "models/marts/reporting/mart_pool.sql")
    missing = any("no primary-key test" in m for m in _messages(_manifest([model], tests)))
    assert missing is not ok


@pytest.mark.parametrize(("column", "personal"), [
    ("姓名", True), ("身份证号", True), ("person_name", True), ("id_number", True), ("full_name", True),
    ("name", True), ("id_card", True), ("cadre_name_zh", True), ("公民身份号码", True),
    ("person_key", False), ("list_name", False), ("region_name", False), ("class_id", False),
    ("org_name", False), ("figure_id", False), ("tenure_id", False), ("list_names", False),
])
def test_personal_column_names(column: str, personal: bool) -> None:
    assert is_personal_column(column) is personal


def test_a_mart_with_a_name_column_is_reported_but_staging_may_have_one() -> None:
    models = [_model("stg_landing__pool", "models/staging/landing/stg_landing__pool.sql",
                     depends=("source.p.landing.pool",), columns={"id": "键。说明", "full_name": "姓名。说明"}),
              _model("fct_pool", "models/marts/core/fct_pool.sql", depends=("model.p.stg_landing__pool",),
                     columns={"id": "键。说明", "姓名": "姓名。说明"})]
    messages = _messages(_manifest(models))
    assert len(messages) == 1 and messages[0].startswith("fct_pool ") and "姓名" in messages[0]


def test_every_mart_must_be_on_the_explore_exposure_and_pages_read_only_marts() -> None:
    models = [_model("int_pool", "models/intermediate/int_pool.sql"),
              _model("dim_pool", "models/marts/core/dim_pool.sql", depends=("model.p.int_pool",)),
              _model("mart_pool", "models/marts/reporting/mart_pool.sql", depends=("model.p.dim_pool",))]
    explore = {"unique_id": "exposure.p.dashboard_explore", "name": "dashboard_explore", "label": "自助分析",
               "description": "自助分析。", "original_file_path": "models/exposures.yml",
               "meta": {"lists_every_mart": True}, "depends_on": {"nodes": ["model.p.dim_pool", "model.p.int_pool"]}}
    messages = _messages(_manifest(models, exposures=[explore]))
    assert any(m.startswith("mart_pool ") and "dashboard_explore" in m for m in messages), messages
    assert any(m.startswith("dashboard_explore ") and "not int_pool" in m for m in messages), messages
    assert not any(m.startswith("dim_pool ") for m in messages), messages


# --- exposures = what the dashboard shows -------------------------------------------------------

SIDEBAR = {"dim_list", "dim_region", "dim_snapshot"}  # every page's filters and snapshot list
PAGE_MARTS = {"quality": {"mart_ingest_quality"}}  # marts a page reads directly, beside its metrics


def test_exposures_list_exactly_the_metrics_and_marts_each_page_reads(manifest: dict[str, Any]) -> None:
    marts = {n["name"] for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")}
    declared = {e["name"].removeprefix("dashboard_"): {uid.split(".")[-1] for uid in e["depends_on"]["nodes"]}
                for e in manifest["exposures"].values()}
    expected = {}
    for page in sorted((DASHBOARD / "app_pages").glob("*.py")):
        shown = page_metrics(page)
        assert shown is not None, f"{page.name} declares no METRICS"
        assert set(shown) <= {m["name"] for m in manifest["metrics"].values()}, page.name
        expected[page.stem] = SIDEBAR | set(shown) | PAGE_MARTS.get(page.stem, set())
    expected["explore"] |= marts  # the marts tab of 自助分析 lists every mart
    assert declared == expected
    assert {e["label"] for e in manifest["exposures"].values()} >= {
        "总览", "人才库构成", "三年趋势", "班子配备", "培训", "数据质量", "自助分析"}
    for exposure in manifest["exposures"].values():
        page = exposure["name"].removeprefix("dashboard_")
        assert exposure["type"] == "dashboard" and exposure["owner"]["name"] == "市委统战部"
        assert exposure["url"] == "http://127.0.0.1:8501/" + ("" if page == "overview" else page)


def test_a_key_figure_must_be_a_metric_with_label_description_and_unit() -> None:
    metrics = {"metric.p.pool_total": {"name": "pool_total", "label": "人才库党外干部人才总数",
                                       "description": "在库人数。", "config": {"meta": {"unit": "人"}}},
               "metric.p.pool_female": {"name": "pool_female", "label": "其中女性", "description": " ",
                                        "config": {"meta": {"unit": "人"}}}}
    found = [str(v) for v in check_key_figures({"metrics": metrics}, ["pool_total", "pool_female", "teams_total"])]
    assert len(found) == 2
    assert any(v.startswith("pool_female") and "口径" in v for v in found), found
    assert any(v.startswith("teams_total") and "没有同名指标" in v for v in found), found
    assert set(key_figure_ids()) >= {"pool_total", "fit_rate_complex"} and len(key_figure_ids()) == 30
