"""Guard rails of the dbt project, checked in CI: ``python -m warehouse.conventions``.

Every model must

* be named for its folder: ``staging/<source>/stg_<source>__<entity>``,
  ``intermediate/**/int_<name>``, ``marts/**/dim_|fct_|mart_<name>``;
* respect the layers: only staging reads sources, staging reads nothing but sources and
  seeds, intermediate never reads marts;
* have a description, and so must each of its columns (``--warehouse`` also compares the
  columns the database really has with the documented ones);
* have a primary-key test: ``unique`` and ``not_null`` on one column (dbt's tests or the
  model's ``row_checks``), or ``unique_combination`` on its grain (its own test or in
  ``row_checks``), at error severity;
* (marts) carry no column that looks like a name or an ID number, and be read by the
  自助分析 exposure, which lists every mart (``meta.lists_every_mart``);

and every key figure of contract §10 (``seeds/reference/ref_key_figures.csv``) must be a metric
of the semantic layer, with a Chinese label, a description (its 口径) and a unit.

The manifest comes from ``dbt parse`` into a temporary target folder (``--manifest`` reads an
existing one instead). Prints one line per violation, ``<model> (<file>): <中文> / <English>``,
and exits 1 when there is any (2 when the project cannot even be parsed).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warehouse.dbt import dbt_command
from warehouse.settings import DBT_PROJECT_DIR

LAYERS = ("staging", "intermediate", "marts")
MART_PREFIXES = ("dim_", "fct_", "mart_")
MART_EXCEPTIONS: frozenset[str] = frozenset()
PRIMARY_KEY_COMBINATION_TESTS = frozenset({"unique_combination", "unique_combination_of_columns"})
# One test per model that folds its row-level checks (dbt_project/tests/generic/row_checks.sql).
ROW_CHECKS_TEST = "row_checks"
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")

# Columns that would put a person's name or ID number into a mart. ``person_key`` (md5 of the
# ID number) is the only person column a mart may have; ``list_name``, ``class_id`` … are fine.
_PERSONAL_EXACT = frozenset({
    "name", "full_name", "person_name", "real_name", "cadre_name", "member_name",
    "id_number", "id_no", "id_card", "id_card_number", "idcard", "identity_number", "id_code",
    "national_id", "citizen_id", "resident_id", "ssn",
})
_PERSONAL_PATTERN = re.compile(
    r"(姓名|名字|身份证|证件号|公民身份号码)|(^|_)(full|person|real|cadre)_?name($|_)|(^|_)id_?(number|no|card)($|_)",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: the node it concerns, and the message in Chinese and English."""

    node: str
    path: str
    chinese: str
    english: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.node}{where}: {self.chinese} / {self.english}"


def is_personal_column(name: str) -> bool:
    """Whether a column name looks like a person's name or ID number."""
    return name.lower() in _PERSONAL_EXACT or bool(_PERSONAL_PATTERN.search(name))


def layer_of(node: dict[str, Any]) -> str | None:
    """``staging``, ``intermediate`` or ``marts`` from the model's folder; None elsewhere."""
    parts = Path(node["original_file_path"]).parts
    if len(parts) >= 3 and parts[0] == "models" and parts[1] in LAYERS:
        return parts[1]
    return None


def is_mart(node: dict[str, Any]) -> bool:
    return node.get("resource_type") == "model" and layer_of(node) == "marts"


# --- reading the project ----------------------------------------------------------------------

def parse_manifest(project_dir: Path = DBT_PROJECT_DIR, target_path: Path | None = None) -> dict[str, Any]:
    """``dbt parse`` the project into ``target_path`` (a temporary folder by default)."""
    with tempfile.TemporaryDirectory(prefix="cadres-conventions-") as scratch:
        target = target_path or Path(scratch) / "target"
        env = dict(os.environ)
        env.update({
            # the build target's database must be named, though parsing never opens it
            "CADRES_DBT_DATABASE": str(Path(scratch) / "parse.duckdb"),
            "DBT_PROFILES_DIR": str(project_dir),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_VERSION_CHECK": "false",
            "DO_NOT_TRACK": "1",
        })
        env.pop("DBT_PROJECT_DIR", None)
        process = subprocess.run(
            dbt_command(["parse", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
                         "--target", "build", "--target-path", str(target),
                         "--log-path", str(Path(scratch) / "logs")]),
            cwd=project_dir, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace",
        )
        manifest_file = target / "manifest.json"
        if process.returncode != 0 or not manifest_file.exists():
            tail = "\n".join((process.stdout + process.stderr).strip().splitlines()[-15:])
            raise RuntimeError(f"dbt parse 失败 / dbt parse failed:\n{tail}")
        return json.loads(manifest_file.read_text(encoding="utf-8"))


def _own(manifest: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    project = manifest.get("metadata", {}).get("project_name")
    return sorted((node for node in manifest["nodes"].values()
                   if node["resource_type"] == resource_type
                   and (project is None or node["package_name"] == project)),
                  key=lambda node: node["unique_id"])


# --- the rules ---------------------------------------------------------------------------------

def _violation(node: dict[str, Any], chinese: str, english: str) -> Violation:
    return Violation(node["name"], node.get("original_file_path", ""), chinese, english)


def check_naming(model: dict[str, Any]) -> Iterable[Violation]:
    name, layer = model["name"], layer_of(model)
    parts = Path(model["original_file_path"]).parts
    if not SNAKE_CASE.match(name):
        yield _violation(model, "模型名应为小写蛇形命名", "model name must be lower snake_case")
    if layer is None:
        yield _violation(model, "模型应放在 models/staging、models/intermediate 或 models/marts 下",
                         "model must live under models/staging, models/intermediate or models/marts")
    elif layer == "staging":
        source = parts[2] if len(parts) == 4 else None
        if source is None:
            yield _violation(model, "暂存模型应放在 models/staging/<来源>/ 下",
                             "staging model must live in models/staging/<source>/")
        elif not re.fullmatch(rf"stg_{re.escape(source)}__[a-z0-9_]+", name):
            yield _violation(model, f"暂存模型应命名为 stg_{source}__<实体>",
                             f"staging model must be named stg_{source}__<entity>")
    elif layer == "intermediate":
        if not name.startswith("int_"):
            yield _violation(model, "中间层模型应以 int_ 开头", "intermediate model must be named int_<name>")
    elif not name.startswith(MART_PREFIXES) and name not in MART_EXCEPTIONS:
        yield _violation(model, "数据集市模型应以 dim_、fct_ 或 mart_ 开头",
                         "mart model must be named dim_<name>, fct_<name> or mart_<name>")


def check_layering(model: dict[str, Any], manifest: dict[str, Any]) -> Iterable[Violation]:
    layer = layer_of(model)
    upstream = model["depends_on"]["nodes"]
    sources = [uid for uid in upstream if uid.startswith("source.")]
    models = [manifest["nodes"][uid] for uid in upstream if uid.startswith("model.") and uid in manifest["nodes"]]
    if layer == "staging":
        for other in models:
            yield _violation(model, f"暂存模型只能读取来源和种子表，不能读取模型 {other['name']}",
                             f"staging model may read only sources and seeds, not model {other['name']}")
        parts = Path(model["original_file_path"]).parts
        folder = parts[2] if len(parts) == 4 else None
        for uid in sources:
            read = manifest["sources"].get(uid, {}).get("source_name")
            if folder and read not in (None, folder):
                yield _violation(model, f"暂存模型只能读取来源 {folder}，不能读取 {read}",
                                 f"staging model in {folder}/ must read source {folder}, not {read}")
        return
    for uid in sources:
        yield _violation(model, f"只有暂存模型可以直接读取来源（{uid.split('.', 2)[-1]}），请改读 stg_ 模型",
                         f"only staging models may read sources ({uid.split('.', 2)[-1]}); read the stg_ model")
    if layer == "intermediate":
        for other in models:
            if layer_of(other) == "marts":
                yield _violation(model, f"中间层模型不能读取数据集市模型 {other['name']}",
                                 f"intermediate model must not read mart {other['name']}")


def check_documentation(model: dict[str, Any]) -> Iterable[Violation]:
    if not model.get("description", "").strip():
        yield _violation(model, "缺少模型描述", "model has no description")
    columns = model.get("columns", {})
    if not columns:
        yield _violation(model, "没有在 yml 中描述任何列", "no column is described in the yml")
    for name, column in columns.items():
        if not column.get("description", "").strip():
            yield _violation(model, f"列 {name} 缺少描述", f"column {name} has no description")


def _tests_by_model(manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    tests: dict[str, list[dict[str, Any]]] = {}
    for test in _own(manifest, "test"):
        if not test.get("test_metadata") or not test["config"].get("enabled", True):
            continue
        if str(test["config"].get("severity", "error")).lower() != "error":
            continue
        attached = test.get("attached_node") or next(
            (uid for uid in test["depends_on"]["nodes"] if uid.startswith("model.")), None)
        if attached:
            tests.setdefault(attached, []).append(test)
    return tests


def has_primary_key_test(model: dict[str, Any], tests: list[dict[str, Any]]) -> bool:
    """``unique`` + ``not_null`` on one column (as dbt's own tests or as checks of the model's
    ``row_checks`` test), or a ``unique_combination`` on the model (its own test or a check of
    ``row_checks``)."""
    unique, not_null = set(), set()
    for test in tests:
        kind = test["test_metadata"]["name"]
        if kind in PRIMARY_KEY_COMBINATION_TESTS:
            return True
        column = test.get("column_name")
        if kind == "unique" and column:
            unique.add(column)
        elif kind == "not_null" and column:
            not_null.add(column)
        elif kind == ROW_CHECKS_TEST:
            arguments = test["test_metadata"].get("kwargs", {})
            if arguments.get("unique_combination"):
                return True
            unique.update(arguments.get("unique") or [])
            not_null.update(arguments.get("not_null") or [])
    constraints = [c for c in model.get("constraints", []) if c.get("type") == "primary_key"]
    constraints += [c for column in model.get("columns", {}).values() for c in column.get("constraints", [])
                    if c.get("type") == "primary_key"]
    return bool(unique & not_null) or bool(constraints)


def check_primary_key(model: dict[str, Any], tests: list[dict[str, Any]]) -> Iterable[Violation]:
    if not has_primary_key_test(model, tests):
        yield _violation(model, "缺少主键测试（同一列上的 unique 和 not_null，或 unique_combination）",
                         "no primary-key test (unique and not_null on one column, or unique_combination)")


def check_personal_columns(model: dict[str, Any], columns: Iterable[str] | None = None) -> Iterable[Violation]:
    for name in sorted(columns if columns is not None else model.get("columns", {})):
        if is_personal_column(name):
            yield _violation(model, f"数据集市不得含姓名或身份证号类的列：{name}（人员只用 person_key）",
                             f"a mart must not carry a name or ID-number column: {name} (use person_key)")


def check_exposures(manifest: dict[str, Any], marts: list[dict[str, Any]]) -> Iterable[Violation]:
    exposures = sorted(manifest.get("exposures", {}).values(), key=lambda e: e["unique_id"])
    for exposure in exposures:
        where = exposure.get("original_file_path", "")
        name = exposure["name"]
        if not exposure.get("description", "").strip() or not exposure.get("label"):
            yield Violation(name, where, "看板页面（exposure）缺少描述或中文名（label）",
                            "exposure has no description or label")
        for uid in exposure["depends_on"]["nodes"]:
            if uid.startswith("metric.") and uid in manifest.get("metrics", {}):
                continue
            node = manifest["nodes"].get(uid)
            if node is None or not is_mart(node):
                yield Violation(name, where, f"看板页面只能读取指标和数据集市，不能读取 {uid.split('.')[-1]}",
                                f"a dashboard page may read only metrics and marts, not {uid.split('.')[-1]}")
    explorers = [e for e in exposures if e.get("meta", {}).get("lists_every_mart")]
    for exposure in explorers:
        read = set(exposure["depends_on"]["nodes"])
        for mart in marts:
            if mart["unique_id"] not in read:
                yield _violation(mart, f"未列入看板页面 {exposure.get('label') or exposure['name']} 的 depends_on"
                                       f"（{exposure.get('original_file_path', '')}）",
                                 f"missing from depends_on of exposure {exposure['name']}")


def check_key_figures(manifest: dict[str, Any], figure_ids: Iterable[str]) -> Iterable[Violation]:
    """Every figure of contract §10 is a metric with a label, a description and a unit."""
    metrics = {m["name"]: m for m in manifest.get("metrics", {}).values()}
    for figure_id in figure_ids:
        metric = metrics.get(figure_id)
        where = "seeds/reference/ref_key_figures.csv"
        if metric is None:
            yield Violation(figure_id, where, "关键指标在语义层中没有同名指标（models/marts/metrics/*.yml）",
                            "key figure is not a metric of the semantic layer")
        elif not metric.get("label") or not metric.get("description", "").strip() \
                or not (metric.get("config") or {}).get("meta", {}).get("unit"):
            yield Violation(figure_id, metric.get("original_file_path", where),
                            "指标缺少中文名（label）、口径（description）或单位（config.meta.unit）",
                            "metric has no label, description or unit")


def key_figure_ids() -> list[str]:
    path = DBT_PROJECT_DIR.parent / "seeds" / "reference" / "ref_key_figures.csv"
    with path.open(encoding="utf-8") as file:
        return [row["figure_id"] for row in csv.DictReader(file)]


def check_manifest(manifest: dict[str, Any], figure_ids: Iterable[str] = ()) -> list[Violation]:
    """Every rule that the manifest alone can decide."""
    models = _own(manifest, "model")
    tests = _tests_by_model(manifest)
    violations: list[Violation] = []
    for model in models:
        violations += check_naming(model)
        violations += check_layering(model, manifest)
        violations += check_documentation(model)
        violations += check_primary_key(model, tests.get(model["unique_id"], []))
        if is_mart(model):
            violations += check_personal_columns(model)
    violations += check_exposures(manifest, [m for m in models if is_mart(m)])
    violations += check_key_figures(manifest, figure_ids)
    return violations


def check_warehouse(manifest: dict[str, Any], warehouse: Path) -> list[Violation]:
    """Columns the database really has: each documented, none personal in a mart. Models that
    are not in the database (not built there yet) are skipped."""
    import duckdb

    violations: list[Violation] = []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        actual: dict[tuple[str, str], list[str]] = {}
        for schema, table, column in connection.execute(
                "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
                "WHERE database_name = current_database() ORDER BY column_index").fetchall():
            actual.setdefault((schema, table), []).append(column)
    for model in _own(manifest, "model"):
        columns = actual.get((model["schema"], model.get("alias") or model["name"]))
        if columns is None:
            continue
        documented = {name for name, column in model.get("columns", {}).items()
                      if column.get("description", "").strip()}
        for column in columns:
            if column not in documented:
                violations.append(_violation(model, f"列 {column} 在数据库中存在，但 yml 中没有描述",
                                             f"column {column} exists in the database but is not described"))
        if is_mart(model):
            violations += check_personal_columns(model, set(columns) - set(model.get("columns", {})))
    return violations


def check_project(project_dir: Path = DBT_PROJECT_DIR, *, manifest_path: Path | None = None,
                  warehouse: Path | None = None) -> list[Violation]:
    """All violations of the project (parsed now unless a manifest is given), sorted."""
    manifest = (json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path
                else parse_manifest(project_dir))
    violations = check_manifest(manifest, key_figure_ids())
    if warehouse is not None:
        violations += check_warehouse(manifest, warehouse)
    return sorted(set(violations))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m warehouse.conventions",
        description="检查 dbt 项目的命名、分层、描述、主键测试和隐私约定 / check the dbt project's conventions")
    parser.add_argument("--project-dir", type=Path, default=DBT_PROJECT_DIR, help="dbt 项目文件夹")
    parser.add_argument("--manifest", type=Path, help="已有的 manifest.json（默认先运行 dbt parse）")
    parser.add_argument("--warehouse", type=Path,
                        help="同时核对该 DuckDB 文件中模型的实际列（如开发副本或已发布的数据仓库）")
    args = parser.parse_args(argv)
    try:
        violations = check_project(args.project_dir.resolve(), manifest_path=args.manifest,
                                   warehouse=args.warehouse)
    except (RuntimeError, OSError) as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return 2
    for violation in violations:
        print(violation)
    if violations:
        print(f"{len(violations)} 处不符合约定 / {len(violations)} convention violation(s)", file=sys.stderr)
        return 1
    print("dbt 项目符合约定 / the dbt project follows the conventions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
