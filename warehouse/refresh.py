"""One refresh: ingest → land → dbt build → publish, or leave the published file untouched.

Every step writes only to a private build file; the published warehouse changes in one
``os.replace`` after every error-severity dbt test has passed.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from warehouse.dbt import DbtResult, DbtWorker, dbt_environment, keep_parse, restore_parse
from warehouse.diff import Diff, compare, diff_counts, format_diff, read_states, store_diff
from warehouse.errors import FileError, GateRefused, Locked, TestsFailed
from warehouse.gates import FileRows, GateHit, check_gates, format_gates, read_file_rows
from warehouse.history import append_entry, current_user, now_local, raw_files
from warehouse.ingest import FileReport, ingest, land
from warehouse.personal.secret import load_or_create_secret
from warehouse.personal.separate import separate
from warehouse.personal.store import store_path, write_store
from warehouse.publish import build_file, dbt_state_dir, publish, refresh_lock, remove_leftovers
from warehouse.readers import release_freed_memory
from warehouse.semantic.compiler import preload as preload_metricflow
from warehouse.semantic.store import store_semantic_manifest
from warehouse.settings import Settings

Progress = Callable[[str], None]
_DBT_PROGRESS = re.compile(r"\d+ of \d+ (START|OK|PASS|WARN|ERROR|FAIL|SKIP)")


@dataclass
class RefreshSummary:
    """What a refresh did, for the steward's summary and for tests."""

    warehouse: Path
    as_of: date | None = None
    files: list[FileReport] = field(default_factory=list)
    reject_reasons: dict[str, Counter[str]] = field(default_factory=dict)
    warnings: int = 0
    test_counts: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)
    published: bool = False
    checked: bool = False  # `cadres check`: never publishes
    accepted: bool = False  # --accept: publish even when a gate is hit
    file_rows: list[FileRows] = field(default_factory=list)
    diff: Diff | None = None
    gates: list[GateHit] = field(default_factory=list)


def _read_reject_reasons(connection: duckdb.DuckDBPyConnection) -> dict[str, Counter[str]]:
    """Rejections per file and reason category, as the dbt mart defines them (values masked)."""
    rows = connection.execute(
        "SELECT file, coalesce(column_name || '：', '') || reason, sum(reason_rows)::INTEGER "
        "FROM main.mart_ingest_quality WHERE issue_kind = '拒收' GROUP BY ALL"
    ).fetchall()
    reasons: dict[str, Counter[str]] = {}
    for file, reason, count in rows:
        reasons.setdefault(file, Counter())[reason] += count
    return reasons


def _node_type(unique_id: str) -> str:
    return unique_id.split(".", 1)[0]


def _record_run(connection: duckdb.DuckDBPyConnection, settings: Settings,
                summary: RefreshSummary, dbt_result: DbtResult, target: Path) -> None:
    """Write ``meta.refresh_log``, ``meta.dbt_results`` and ``meta.semantic_manifest`` into the
    build file: the metric definitions travel with the data they were built from."""
    connection.execute("CREATE SCHEMA IF NOT EXISTS meta")
    store_semantic_manifest(connection, target / "semantic_manifest.json")
    results = pl.DataFrame(
        [{"unique_id": r["unique_id"], "resource_type": _node_type(r["unique_id"]),
          "name": r["unique_id"].split(".")[-1] if _node_type(r["unique_id"]) != "test"
          else r["unique_id"].split(".")[2],
          "status": r.get("status"), "failures": r.get("failures"),
          "message": r.get("message"), "execution_time": r.get("execution_time")}
         for r in dbt_result.results],
        schema={"unique_id": pl.String, "resource_type": pl.String, "name": pl.String,
                "status": pl.String, "failures": pl.Int64, "message": pl.String,
                "execution_time": pl.Float64},
        orient="row",
    )
    connection.register("dbt_results_frame", results)
    connection.execute("CREATE OR REPLACE TABLE meta.dbt_results AS SELECT * FROM dbt_results_frame")
    connection.unregister("dbt_results_frame")
    connection.execute("CREATE OR REPLACE TABLE meta.refresh_log ("
                       "refreshed_at TIMESTAMP, raw_dir VARCHAR, as_of_date DATE, term_start DATE,"
                       "seconds_ingest DOUBLE, seconds_dbt DOUBLE, tests_passed INTEGER,"
                       "tests_warned INTEGER)")
    connection.execute(
        "INSERT INTO meta.refresh_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [datetime.now(UTC).replace(tzinfo=None), str(settings.raw_dir), summary.as_of,
         settings.term_start, summary.seconds.get("ingest"), summary.seconds.get("dbt"),
         summary.test_counts.get("pass", 0), summary.test_counts.get("warn", 0)],
    )


def _failed_models(failures: list[dict[str, Any]], manifest: Path) -> list[str]:
    """The models behind failed nodes: a failed test names the model it is attached to."""
    nodes: dict[str, Any] = {}
    if manifest.exists():
        nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    models: list[str] = []
    for failure in failures:
        unique_id = failure.get("unique_id", "")
        node = nodes.get(unique_id, {})
        attached = node.get("attached_node") or next(
            (d for d in node.get("depends_on", {}).get("nodes", []) if d.startswith("model.")), None)
        name = (attached or unique_id).split(".")[-1]
        if name not in models:
            models.append(name)
    return models


def _failed_checks(failure: dict[str, Any], built: Path, manifest: Path) -> list[str]:
    """What a failed test checked. A ``row_checks`` test folds a model's row-level checks into
    one query (dbt_project/tests/generic/row_checks.sql) whose rows name the checks that fail;
    run it again on the build file to name them, as dbt's own tests would be named."""
    name = failure.get("unique_id", "").split(".", 2)[-1]
    sql = failure.get("compiled_code")
    if not name.startswith("row_checks_") or not sql or failure.get("status") != "fail":
        return [name]
    try:
        with duckdb.connect(str(built), read_only=True) as connection:
            failed = [row[0] for row in connection.sql(f"select failed_check from ({sql})").fetchall()]
    except duckdb.Error:
        return [name]
    model = _failed_models([failure], manifest)[0]
    return [f"{model}.{check}" for check in failed] or [name]


def _failure_message(dbt_result: DbtResult, manifest: Path, built: Path) -> str:
    failures = dbt_result.failures
    if not failures:
        detail = next((line for line in reversed(dbt_result.output_tail) if "Error" in line), "")
        return f"dbt 运行失败（退出码 {dbt_result.returncode}），未发布：{detail.strip()}"
    checks = "、".join(check for f in failures[:5] for check in _failed_checks(f, built, manifest))
    more = f" 等 {len(failures)} 项" if len(failures) > 5 else ""
    models = "、".join(_failed_models(failures, manifest))
    return f"dbt 检查未通过，未发布。出问题的模型：{models}（{checks}{more}）"


def _show_dbt_line(progress: Progress) -> Callable[[str], None]:
    def show(line: str) -> None:
        if _DBT_PROGRESS.search(line) and " START " not in line:
            progress("  " + line.split(" ", 1)[-1].strip())
    return show


def run_refresh(settings: Settings, progress: Progress = lambda _: None, *, wait: bool = False,
                accept: bool = False, publish_build: bool = True) -> RefreshSummary:
    """Build from ``settings.raw_dir``, diff and gate it against the published warehouse, publish.

    ``publish_build=False`` is ``cadres check``: everything up to publishing, then the build is
    thrown away. A gate hit raises :class:`GateRefused` (after the summary is complete, on the
    exception's ``summary``) unless ``accept``. Every attempt is appended to the history.
    """
    warehouse = settings.warehouse
    summary = RefreshSummary(warehouse, checked=not publish_build, accepted=accept)
    entry: dict[str, Any] = {"started_at": now_local(), "command": "refresh" if publish_build else "check",
                             "user": current_user(), "raw_dir": str(settings.raw_dir),
                             "warehouse": str(warehouse), "term_start": settings.term_start.isoformat(),
                             "accept": accept, "files": raw_files(settings.raw_dir)}
    try:
        with refresh_lock(warehouse, wait=wait):
            for leftover in remove_leftovers(warehouse):
                progress(f"清理上次中断的刷新留下的临时文件：{leftover.name}")
            built = build_file(warehouse)
            built.parent.mkdir(parents=True, mode=0o700)  # the restricted store is built here too
            try:
                _build(settings, built, summary, progress)
                progress("  发布检查：与已发布的数据仓库比较…")
                _gate(settings, built, summary)
                if publish_build and (not summary.gates or accept):
                    started = time.perf_counter()
                    progress("[4/4] 发布数据仓库…")
                    publish(built, warehouse, companions=[(store_path(built), store_path(warehouse))])
                    summary.seconds["publish"] = time.perf_counter() - started
                    summary.published = True
            finally:
                if not summary.published:
                    remove_leftovers(warehouse)
        if summary.gates and not summary.published and not accept:
            refusal = GateRefused(_refusal(summary))
            refusal.summary = summary  # the CLI prints the summary and the diff before the reason
            raise refusal
    except BaseException as error:
        entry.update(outcome=_outcome(error), message=str(error).splitlines()[0] if str(error) else
                     type(error).__name__)
        raise
    else:
        entry["outcome"] = ("checked" if not publish_build
                            else "accepted" if summary.gates else "published")
    finally:
        _record_history(warehouse, entry, summary)
    return summary


def _refusal(summary: RefreshSummary) -> str:
    count, first = len(summary.gates), summary.gates[0].reason
    if summary.checked:
        return f"发布检查未通过 {count} 项（cadres refresh 不会发布）：{first}"
    return f"发布检查未通过 {count} 项，未发布：{first}。核实无误后可用 cadres refresh --accept 发布"


def _outcome(error: BaseException) -> str:
    if isinstance(error, GateRefused):
        return "refused"
    if isinstance(error, FileError):
        return "file_error"
    if isinstance(error, TestsFailed):
        return "tests_failed"
    if isinstance(error, Locked):
        return "locked"
    return "interrupted" if isinstance(error, KeyboardInterrupt) else "error"


def _record_history(warehouse: Path, entry: dict[str, Any], summary: RefreshSummary) -> None:
    """Append the attempt to the history; a history that cannot be written never hides the
    refresh's own outcome (the warehouse is already published or not)."""
    entry["finished_at"] = now_local()
    entry["as_of"] = summary.as_of.isoformat() if summary.as_of else None
    entry["tables"] = [vars(r) | {"snapshot_date": r.snapshot_date and r.snapshot_date.isoformat()}
                       for r in summary.file_rows]
    entry["totals"] = ({key: sum(getattr(r, key) for r in summary.file_rows)
                        for key in ("rows_read", "rows_loaded", "rows_rejected")}
                       if summary.file_rows else None)
    entry["gates"] = [{"gate": hit.gate, "reason": hit.reason} for hit in summary.gates]
    entry["diff"] = diff_counts(summary.diff) if summary.diff else None
    entry["tests"] = dict(summary.test_counts)
    entry["seconds"] = {k: round(v, 2) for k, v in summary.seconds.items()}
    with contextlib.suppress(OSError):
        append_entry(warehouse, entry)


def _gate(settings: Settings, built: Path, summary: RefreshSummary) -> None:
    """Diff the build against the published warehouse, run the gates, store both in ``meta``."""
    old, new, changes = read_states(built, settings.warehouse)
    # the as-of date the dbt models computed: a newest snapshot that gave no one does not count
    summary.as_of = new.as_of or summary.as_of
    summary.diff = compare(old, new, changes)
    summary.file_rows = read_file_rows(built)
    summary.gates = check_gates(settings, summary.file_rows, old, new, summary.diff, date.today())
    with duckdb.connect(str(built)) as connection:
        store_diff(connection, summary.diff)
        gates = pl.DataFrame([{"gate": h.gate, "reason": h.reason, "accepted": summary.accepted}
                              for h in summary.gates],
                             schema={"gate": pl.String, "reason": pl.String, "accepted": pl.Boolean},
                             orient="row")
        connection.register("gates_frame", gates)
        connection.execute("CREATE OR REPLACE TABLE meta.refresh_gates AS SELECT * FROM gates_frame")
        connection.unregister("gates_frame")
        connection.execute("CHECKPOINT")


def _build(settings: Settings, built: Path, summary: RefreshSummary, progress: Progress) -> None:
    target = dbt_state_dir(settings.warehouse)
    (target / "run_results.json").unlink(missing_ok=True)
    restore_parse(target)
    # no dbt.log: its debug lines (every statement's SQL) cost about a second of a scale-1
    # refresh and no one reads them; failures come from run_results.json and the console lines
    common = ["--target", "build", "--target-path", str(target), "--log-path", str(built.parent / "logs"),
              "--log-level-file", "none", "--vars", f"{{term_start: '{settings.term_start.isoformat()}'}}"]
    # Unit tests check the models' logic on fixed inputs; they run in CI and in `cadres dbt`,
    # not on every publish, as dbt recommends for production builds.
    # The build file by its name, from its folder: the same profile for every warehouse, so
    # dbt's saved parse applies (warehouse/dbt.py).
    # the parse writes no manifest.json: the build writes it (and semantic_manifest.json) at its end
    with DbtWorker(["parse", "--no-write-json", *common],
                   ["build", "--exclude-resource-type", "unit_test", *common],
                   dbt_environment(Path(built.name)), cwd=built.parent) as dbt:
        started = time.perf_counter()
        progress(f"[1/4] 读取原始数据：{settings.raw_dir}")
        result = ingest(settings.raw_dir)
        summary.as_of = result.as_of
        summary.files = result.files
        summary.warnings = len(result.warnings)
        personal = separate(result, load_or_create_secret(settings.warehouse))
        with duckdb.connect(str(built)) as connection:
            land(result, connection)
        write_store(store_path(built), personal)
        # landed: the rows need not stay in memory while dbt runs (1.1 GiB at scale 300)
        del personal, result
        release_freed_memory()
        summary.seconds["ingest"] = time.perf_counter() - started

        started = time.perf_counter()
        progress("[2/4] dbt build：构建并检验模型…")
        # the gates after dbt read figures through MetricFlow: import it while dbt builds
        threading.Thread(target=preload_metricflow, daemon=True).start()
        dbt_result = dbt.build(on_line=_show_dbt_line(progress), run_results=target / "run_results.json")
    keep_parse(target)
    summary.seconds["dbt"] = time.perf_counter() - started
    summary.test_counts = Counter(
        r.get("status", "") for r in dbt_result.results if _node_type(r["unique_id"]) in ("test", "unit_test")
    )
    if dbt_result.returncode != 0 or dbt_result.failures:
        raise TestsFailed(_failure_message(dbt_result, target / "manifest.json", built))

    progress("[3/4] 记录刷新信息…")
    with duckdb.connect(str(built)) as connection:
        reasons = _read_reject_reasons(connection)
        read_order = dict.fromkeys(report.file for report in summary.files)
        summary.reject_reasons = {file: reasons[file] for file in read_order if file in reasons}
        _record_run(connection, settings, summary, dbt_result, target)
        connection.execute("CHECKPOINT")


def format_summary(summary: RefreshSummary) -> str:
    """The steward's summary in Chinese: rows per file with top reasons, tests, the diff against
    the published warehouse, the publish gates, seconds."""
    status = (f"数据仓库已发布：{summary.warehouse}" if summary.published
              else f"检查完成，未发布（已发布的数据仓库：{summary.warehouse}）" if summary.checked
              else f"数据仓库未发布：{summary.warehouse}")
    lines = [status, f"统计截止日期（as-of）：{summary.as_of}", "", "各文件导入情况："]
    for report in summary.files:
        sheet = f" [{report.sheet}]" if report.sheet and not report.file.endswith(".csv") else ""
        lines.append(f"  {report.file}{sheet}：读取 {report.rows_read} 行，导入 {report.rows_loaded} 行，"
                     f"拒收 {report.rows_rejected} 行")
    if summary.reject_reasons:
        lines += ["", "拒收原因（每个文件前 3 项）："]
        for file, reasons in summary.reject_reasons.items():
            for reason, count in reasons.most_common(3):
                lines.append(f"  {file}：{reason}（{count} 处）")
        lines.append("  查看全部拒收行：cadres rejects")
    if summary.warnings:
        lines.append(f"提示 {summary.warnings} 条（未知列、重复行、名单间不一致等），见数据质量页面。")
    tests = summary.test_counts
    lines += ["", f"dbt 检查：通过 {tests.get('pass', 0)} 项，警告 {tests.get('warn', 0)} 项，"
                  f"失败 {tests.get('fail', 0) + tests.get('error', 0)} 项"]
    if summary.diff is not None:
        lines += ["", format_diff(summary.diff)]
    lines += ["", format_gates(summary.gates, accepted=summary.published)]
    lines.append("耗时：" + "，".join(f"{_STAGE_LABELS.get(k, k)} {v:.1f} 秒"
                                      for k, v in summary.seconds.items()))
    return "\n".join(lines)


_STAGE_LABELS = {"ingest": "读取", "dbt": "dbt 构建", "publish": "发布"}


def summary_as_dict(summary: RefreshSummary) -> dict[str, Any]:
    """The summary as plain data (``cadres refresh --json``)."""
    return {
        "warehouse": str(summary.warehouse),
        "as_of": summary.as_of.isoformat() if summary.as_of else None,
        "files": [vars(r) | {"snapshot_date": r.snapshot_date and r.snapshot_date.isoformat()}
                  for r in summary.files],
        "tests": dict(summary.test_counts),
        "published": summary.published,
        "gates": [{"gate": hit.gate, "reason": hit.reason} for hit in summary.gates],
        "diff": diff_counts(summary.diff) if summary.diff else None,
        "seconds": summary.seconds,
    }
