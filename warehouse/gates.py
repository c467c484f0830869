"""Publish gates: a build that passed every dbt test but looks wrong is not published.

dbt tests check that a warehouse is consistent; they cannot see that it is *implausible*: a
header-only export, a file that lost most of its rows to rejects, a figure that fell from 36
to 5, a snapshot dated in the future. Each gate compares the build with the published
warehouse (or with the raw folder) and gives a Chinese reason; ``cadres refresh --accept``
publishes anyway and the acceptance is recorded in the refresh history and ``meta``.

Which snapshots exist is read from the raw folder's names, and what they gave from the build's
``landing.files``: the gates need nothing else from the ingest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from warehouse.contract import TALENT_POOL_DIR
from warehouse.diff import Diff, State
from warehouse.settings import Settings

# The gates' names in the history table (the reasons carry the details).
GATE_LABELS = {"newest_snapshot_empty": "最新快照为空", "as_of_future": "截止日期在未来",
               "empty_table": "表变空", "reject_share": "拒收过多", "figure_change": "指标突变"}

_SNAPSHOT_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(\.[A-Za-z]+)?")


@dataclass(frozen=True)
class GateHit:
    """One gate that stops the publish: which, and why in the steward's words."""

    gate: str
    reason: str


@dataclass(frozen=True)
class FileRows:
    """One sheet's counts from ``landing.files``."""

    file: str
    sheet: str
    snapshot_date: date | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int


def read_file_rows(built: Path) -> list[FileRows]:
    """What each sheet of the raw folder gave, as the build's ``landing.files`` records it."""
    with duckdb.connect(str(built), read_only=True) as connection:
        rows = connection.execute(
            "SELECT file, sheet, snapshot_date, rows_read, rows_loaded, rows_rejected "
            "FROM landing.files").fetchall()
    return [FileRows(*row) for row in rows]


def newest_snapshot_name(raw_dir: Path) -> tuple[str, date] | None:
    """The newest entry of ``talent_pool/`` named like a snapshot, whatever its type or content.

    An empty folder, a folder of ``.xls`` files or a header-only workbook is still the newest
    snapshot the steward meant to deliver; the ingest may skip it, this gate must not.
    """
    pool = raw_dir / TALENT_POOL_DIR
    if not pool.is_dir():
        return None
    found: list[tuple[date, str]] = []
    for entry in pool.iterdir():
        match = _SNAPSHOT_NAME.fullmatch(entry.name)
        if match and not entry.name.startswith((".", "~$")):
            try:
                found.append((date.fromisoformat(match.group(1)), f"{TALENT_POOL_DIR}/{entry.name}"))
            except ValueError:
                continue
    if not found:
        return None
    when, name = max(found)
    return name, when


def check_gates(settings: Settings, files: list[FileRows], old: State | None, new: State,
                diff: Diff, today: date) -> list[GateHit]:
    """Every gate the build fails: causes (a missing snapshot, a future date, an empty table, a
    file of rejects) before their symptoms (the key figures), so the first reason is the one
    to read."""
    hits: list[GateHit] = []
    if old is not None:
        for table, rows in old.row_counts.items():
            if rows > 0 and new.row_counts.get(table, 0) == 0:
                hits.append(GateHit("empty_table", f"表 {table} 在已发布的数据仓库中有 {rows} 行，"
                                                   "这次为空（是否导出了空文件或只有表头？）"))
    for report in files:
        if report.rows_read and report.rows_rejected / report.rows_read > settings.max_reject_share:
            sheet = "" if report.file.endswith(".csv") else f" [{report.sheet}]"
            hits.append(GateHit("reject_share", (
                f"{report.file}{sheet} 读取 {report.rows_read} 行，拒收 {report.rows_rejected} 行"
                f"（{report.rows_rejected / report.rows_read:.0%}，超过上限 {settings.max_reject_share:.0%}；"
                "常见原因：身份证号存成了数字、列错位；用 cadres rejects 查看）")))
    if old is not None:
        for figure in diff.figures:
            share = figure.share
            if figure.old is not None and figure.new is None:
                hits.append(GateHit("figure_change", f"关键指标“{figure.label}”从 "
                                                     f"{_shown(figure.old, figure.unit)} 变为无法计算（—）"))
            elif share is not None and share > settings.max_figure_change:
                moved = "从 0 变为非 0" if share == float("inf") else f"变动 {share:.0%}"
                hits.append(GateHit("figure_change", (
                    f"关键指标“{figure.label}”从 {_shown(figure.old, figure.unit)} 变为 "
                    f"{_shown(figure.new, figure.unit)}（{moved}，超过上限 {settings.max_figure_change:.0%}）")))
    if new.as_of is not None and new.as_of > today:
        hits.append(GateHit("as_of_future", f"统计截止日期 {new.as_of} 晚于今天（{today}），"
                                            "请检查 talent_pool/ 中的文件名"))
    newest = newest_snapshot_name(settings.raw_dir)
    if newest is not None:
        name, when = newest
        loaded = sum(r.rows_loaded for r in files if r.snapshot_date == when)
        if loaded == 0:
            hits.append(GateHit("newest_snapshot_empty", (
                f"最新的人才库快照 {name} 没有导入任何人（空文件夹、只有表头、或不是 .xlsx/.csv），"
                f"统计截止日期会退回到 {new.as_of}")))
    return sorted(hits, key=lambda hit: list(GATE_LABELS).index(hit.gate))


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if unit == "比率" else f"{value:,.0f}"


def format_gates(hits: list[GateHit], *, accepted: bool) -> str:
    """The reasons, and what the steward can do about them."""
    if not hits:
        return "发布检查：全部通过"
    head = ("发布检查未通过，但已按 --accept 发布：" if accepted
            else "发布检查未通过（数据看起来不对，未发布）：")
    return "\n".join([head, *(f"  - {hit.reason}" for hit in hits)])
