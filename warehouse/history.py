"""The refresh history: every refresh and check, published or not, kept across publishes.

It is an append-only JSON-lines file beside the published warehouse,
``<dir>/<stem>.history.jsonl``: a publish replaces the warehouse file, so a history inside it
would lose every refused attempt, and a separate DuckDB file could not be appended to while
the dashboard reads it. One line per attempt: when, who (the OS user), the raw folder, each
raw file's name, size and sha256, rows read/loaded/rejected per file, the gates hit, whether
they were accepted, the outcome and its one-line message. No names or ID numbers: the file
hashes say which exports were used without copying them.

``read_history`` is the reader for the command line and the dashboard's 数据质量 page.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import json
import os
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from warehouse.figures import display_width
from warehouse.gates import GATE_LABELS

OUTCOMES = {
    "published": "已发布",
    "accepted": "已发布（确认放行）",
    "checked": "检查通过（未发布）",
    "refused": "发布检查未通过",
    "file_error": "文件错误",
    "tests_failed": "dbt 检查失败",
    "locked": "已有刷新在进行",
    "interrupted": "已中断",
    "error": "失败",
}


def history_path(warehouse: Path) -> Path:
    """The history file of a published warehouse (not hidden: stewards may read or copy it)."""
    return warehouse.with_name(f"{warehouse.stem}.history.jsonl")


def current_user() -> str:
    """The OS user running the command; a container without a passwd entry gives its uid."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def raw_files(raw_dir: Path) -> list[dict[str, Any]]:
    """Name (relative, ``/``-separated), size and sha256 of every file in the raw folder.

    A symlink is listed as such and not followed: it may point anywhere, and what it points to
    is not the history's to read. A file or folder that cannot be read is listed with the
    reason, so the history line is written whatever failed.
    """
    files: list[dict[str, Any]] = []
    try:
        paths = sorted(raw_dir.rglob("*")) if raw_dir.is_dir() else []
    except OSError as error:
        return [{"name": ".", "size": None, "sha256": None, "error": error.strerror or type(error).__name__}]
    for path in paths:
        name = path.relative_to(raw_dir).as_posix()
        try:
            if path.is_symlink():
                files.append({"name": name, "size": None, "sha256": None, "symlink": True})
            elif path.is_file():
                files.append({"name": name, "size": path.stat().st_size, "sha256": _sha256(path)})
        except OSError as error:
            files.append({"name": name, "size": None, "sha256": None,
                          "error": error.strerror or type(error).__name__})
    return files


def append_entry(warehouse: Path, entry: dict[str, Any]) -> None:
    """Append one line, under the file's own lock so two writers never interleave."""
    path = history_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    with path.open("a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def read_history(warehouse: Path) -> list[dict[str, Any]]:
    """Every recorded attempt, oldest first; a line cut short by a crash is skipped."""
    path = history_path(warehouse)
    if not path.exists():
        return []
    entries: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):
            entry = json.loads(line)
            if isinstance(entry, dict):
                entries.append(entry)
    return entries


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def format_history(entries: list[dict[str, Any]], *, limit: int | None = None) -> str:
    """A Chinese table for the terminal, newest first."""
    if not entries:
        return "还没有刷新记录。"
    shown = list(reversed(entries))[:limit] if limit else list(reversed(entries))
    header = ("时间", "命令", "用户", "结果", "截止日期", "读取", "导入", "拒收", "发布检查")
    rows = []
    for entry in shown:
        totals = entry.get("totals") or {}
        gates = entry.get("gates") or []
        rows.append((
            str(entry.get("started_at", ""))[:19].replace("T", " "),
            str(entry.get("command", "")),
            str(entry.get("user", "")),
            OUTCOMES.get(entry.get("outcome", ""), str(entry.get("outcome", ""))),
            str(entry.get("as_of") or "—"),
            str(totals.get("rows_read", "—")),
            str(totals.get("rows_loaded", "—")),
            str(totals.get("rows_rejected", "—")),
            "、".join(f"{GATE_LABELS.get(gate, gate)}" + (f"×{count}" if count > 1 else "")
                     for gate, count in Counter(g.get("gate", "") for g in gates).items()) or "—",
        ))
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"刷新记录（{history_entries_note(len(entries), len(shown))}，最新在前）："]
    for row in [header, *rows]:
        lines.append("  " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
    lines.append("完整记录（每个文件的大小和 sha256、失败原因）：cadres history --json")
    return "\n".join(lines)


def history_entries_note(total: int, shown: int) -> str:
    return f"共 {total} 次" if shown == total else f"共 {total} 次，显示最近 {shown} 次"


def now_local() -> str:
    """The local time with its offset: a steward reads the history in their own time zone."""
    return datetime.now().astimezone().isoformat(timespec="seconds")
