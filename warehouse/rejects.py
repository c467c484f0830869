"""The steward's list of rejected rows: where each is, which cell, and why.

The values as read (names and ID numbers included) are only in the restricted store
(``warehouse.personal.store``); the analytics warehouse keeps where and why, not what.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from warehouse.personal.mask import mask_id_like
from warehouse.personal.store import connect_store
from warehouse.safety import neutralise_row

REJECT_COLUMNS = ("file", "sheet", "row", "column", "value", "reason")
REJECT_HEADERS = ("文件", "工作表", "行号", "列", "值", "原因")
_SELECT_LIST = ", ".join('"' + column + '"' for column in REJECT_COLUMNS)


def read_rejects(warehouse: Path, *, file: str | None = None,
                 reason: str | None = None) -> list[tuple[object, ...]]:
    """Rejected rows of the published warehouse, filtered by parts of file and reason."""
    with connect_store(warehouse) as connection:
        return connection.execute(
            f"SELECT {_SELECT_LIST} FROM rejects "
            "WHERE (? IS NULL OR contains(file, ?)) AND (? IS NULL OR contains(reason, ?)) "
            "ORDER BY file, sheet, row",
            [file, file, reason, reason],
        ).fetchall()


def _masked(row: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(mask_id_like(cell) if isinstance(cell, str) else cell for cell in row)


def format_rejects(rows: list[tuple[object, ...]], *, as_csv: bool = False) -> str:
    """A table for the terminal, or CSV with Chinese headers for Excel (formula text defused).

    ID numbers are masked to their first 6 and last 4 characters: the file, sheet and row say
    where to fix it, and neither a terminal log nor an exported CSV ever carries a full ID.
    """
    rows = [_masked(row) for row in rows]
    if as_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(REJECT_HEADERS)
        writer.writerows(neutralise_row(row) for row in rows)
        return buffer.getvalue()
    if not rows:
        return "没有被拒收的行。"
    lines = [f"共 {len(rows)} 处拒收："]
    for file, sheet, row, column, value, reason in rows:
        cell = f"“{column}”列，值“{value}”" if column else "整行"
        lines.append(f"  {file} [{sheet}] 第 {row} 行，{cell}：{reason}")
    return "\n".join(lines)
