"""The audit log: who signed in, who failed, who was locked, who looked at or downloaded what.

One JSON object per line, appended (``O_APPEND``, one write per event, mode 0600) and never
rewritten. Each line carries ``prev``, a SHA-256 of the line before it, so an edited or deleted
line breaks the chain and ``cadres audit`` says where (the file stays readable by any JSON-lines
tool; the chain detects tampering, it does not prevent it). The dashboard calls :func:`record` for every
person-level view and every download; stewards read the log with ``cadres audit``.

What goes in: the account name (an ASCII work name, never a person's name), the event, the scope
(a region or the filters, as labels), a row count and a short detail. What never goes in: a
password, an ID number, the name of a person in the pool. Callers pass counts and filter labels,
not rows; as a last guard, anything shaped like an ID number is masked before it is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from warehouse.accounts.errors import AccountsError
from warehouse.accounts.files import append_private

BEIJING = timezone(timedelta(hours=8))
EVENT_LABELS: dict[str, str] = {
    "signin": "登录成功",
    "signin_failed": "登录失败",
    "signin_refused": "登录被拒（过于频繁或已锁定）",
    "lockout": "用户名锁定",
    "signout": "退出登录",
    "session_expired": "超时退出",
    "person_view": "查看人员名单",
    "download": "下载",
    "user_added": "新增用户",
    "user_removed": "删除用户",
    "password_changed": "修改密码",
    "user_unlocked": "解除锁定",
}
FIELDS = ("time", "event", "user", "scope", "rows", "detail")
_ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15,}")
MASK = "[已屏蔽]"
# Cells a spreadsheet would run as a formula (OWASP CSV injection): =, +, -, @, tab, CR.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _masked(value: Any) -> Any:
    """Strings with anything shaped like an ID number masked; other values as they are."""
    if isinstance(value, str):
        return _ID_LIKE.sub(MASK, value)
    if isinstance(value, Mapping):
        return {_masked(str(key)): _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


def _default_log() -> Path:
    from warehouse.accounts.settings import AccountSettings

    return AccountSettings.load().audit_log


def record(event: str, user: str | None, scope: str | Mapping[str, Any] | None,
           rows: int | None = None, detail: str | None = None, *,
           log: Path | None = None, now: datetime | None = None) -> None:
    """Append one event; ``event`` is a key of :data:`EVENT_LABELS` (a typo fails loudly)."""
    if event not in EVENT_LABELS:
        raise ValueError(f"unknown audit event {event!r}; add it to EVENT_LABELS")
    entry = {
        "time": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "event": event,
        "user": user,
        "scope": _masked(scope),
        "rows": rows,
        "detail": _masked(detail),
    }

    def line_after(last: bytes) -> str:
        return json.dumps(entry | {"prev": chain_hash(last)}, ensure_ascii=False) + "\n"

    append_private(log or _default_log(), line_after)


def chain_hash(line: bytes) -> str:
    """What the next line's ``prev`` must be: a SHA-256 of this line (empty for the first line)."""
    return hashlib.sha256(line).hexdigest() if line else ""


def broken_link(log: Path) -> int | None:
    """The number of the first line whose ``prev`` does not match the line before it, or None."""
    if not log.exists():
        return None
    previous = b""
    for number, line in enumerate(log.read_bytes().splitlines(), start=1):
        try:
            prev = json.loads(line).get("prev")
        except (ValueError, AttributeError):
            return number
        if prev != chain_hash(previous):
            return number
        previous = line
    return None


def read_events(log: Path, since: date | None = None) -> list[dict[str, Any]]:
    """Events in the order written, from ``since`` (a Beijing date) on; a missing log is empty."""
    if not log.exists():
        return []
    events: list[dict[str, Any]] = []
    with log.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
                when = datetime.fromisoformat(event["time"])
            except (ValueError, KeyError, TypeError):
                raise AccountsError(f"审计日志第 {number} 行无法解析：{log}") from None
            if since is None or when.astimezone(BEIJING).date() >= since:
                events.append(event)
    return events


def _local_time(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def neutralise(cell: str) -> str:
    """A cell Excel would treat as a formula gets a leading single quote and is shown as text."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def as_csv(events: list[dict[str, Any]]) -> str:
    """The export for Excel: Beijing time, Chinese event labels, formula-looking cells defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["时间（北京时间）", "事件", "事件代码", "用户", "范围", "行数", "说明"])
    for event in events:
        writer.writerow([neutralise(cell) for cell in (
            _local_time(event["time"]), EVENT_LABELS.get(event["event"], event["event"]), event["event"],
            _cell(event.get("user")), _cell(event.get("scope")), _cell(event.get("rows")),
            _cell(event.get("detail")))])
    return buffer.getvalue()


def as_json(events: list[dict[str, Any]]) -> str:
    return json.dumps(events, ensure_ascii=False, indent=2)


def pad(text: str, width: int) -> str:
    """Left-justify by terminal columns: a Chinese character takes two."""
    shown = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(0, width - shown)


def format_table(events: list[dict[str, Any]]) -> str:
    """One line per event for a terminal, oldest first like the file."""
    if not events:
        return "审计日志中没有记录。"
    widths = (19, 14, 12, 10, 6)
    header = ("时间（北京时间）", "事件", "用户", "范围", "行数", "说明")
    lines = ["  ".join(pad(text, width) for text, width in zip(header, (*widths, 0), strict=True)).rstrip()]
    for event in events:
        cells = (_local_time(event["time"]), EVENT_LABELS.get(event["event"], event["event"]),
                 _cell(event.get("user")) or "—", _cell(event.get("scope")) or "—",
                 _cell(event.get("rows")) or "—", _cell(event.get("detail")))
        lines.append("  ".join(pad(text, width) for text, width in zip(cells, (*widths, 0), strict=True)).rstrip())
    lines.append(f"共 {len(events)} 条")
    return "\n".join(lines)
