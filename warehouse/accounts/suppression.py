"""Small-cell suppression: counts from 1 to k−1 in a breakdown are hidden, and enough others
with them that no hidden count can be worked out from totals and the visible counts.

Pure functions on polars frames (one row per group, a column per metric), so the rule is the
same for a chart, a table and a download, and testable without a dashboard. A hidden cell
becomes null; the dashboard shows it as "<k".

* **Primary**: a count in ``1..k−1`` is hidden. 0 stays visible (nobody to single out).
* **Complementary**: the exact total of a breakdown is published (the headline card), so a
  line (the cells of one value of a dimension, within one snapshot) with a single hidden cell
  would give it away by subtraction. Such a line also hides its smallest visible non-zero cell
  (else its smallest visible cell); repeated over rows and columns of a two-way table until no
  line has exactly one hidden cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

DEFAULT_MIN_CELL = 5
_TIME = "metric_time"


def _grid(frame: pl.DataFrame, row: str, column: str | None, metric: str
          ) -> tuple[list[object], list[object], list[list[int]]]:
    rows = list(dict.fromkeys(frame[row].to_list()))
    columns = list(dict.fromkeys(frame[column].to_list())) if column else [None]
    cells = {(r, c if column else None): int(v or 0) for r, c, v in
             zip(frame[row], frame[column] if column else [None] * frame.height, frame[metric], strict=True)}
    return rows, columns, [[cells.get((r, c), 0) for c in columns] for r in rows]


def hidden_cells(counts: Sequence[Sequence[int]], k: int, *, margins: bool = True) -> set[tuple[int, int]]:
    """Positions to hide in a table of counts (a one-way breakdown is one column).

    ``margins``: lines are protected against subtraction from their totals (rows always; columns
    too when the table has more than one column, and the single column of a one-way breakdown).
    """
    hidden = {(i, j) for i, line in enumerate(counts) for j, n in enumerate(line) if 0 < n < k}
    if not margins or not hidden:
        return hidden
    height, width = len(counts), len(counts[0]) if counts else 0
    lines: list[list[tuple[int, int]]] = [[(i, j) for i in range(height)] for j in range(width)]
    if width > 1:
        lines += [[(i, j) for j in range(width)] for i in range(height)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [cell for cell in line if cell in hidden]
            if len(inside) != 1:
                continue
            visible = [cell for cell in line if cell not in hidden]
            if not visible:
                continue
            positive = [cell for cell in visible if counts[cell[0]][cell[1]] > 0]
            pick = min(positive or visible, key=lambda cell: (counts[cell[0]][cell[1]], cell))
            hidden.add(pick)
            changed = True
    return hidden


def suppress(frame: pl.DataFrame, dimensions: Sequence[str], counts: Sequence[str], k: int) -> pl.DataFrame:
    """``frame`` with the hidden ``counts`` cells set to null, per snapshot, for each count metric.

    ``dimensions`` are the breakdown's columns; ``metric_time`` among them only partitions (each
    snapshot is its own table). With no dimension besides time nothing is hidden: totals are exact.
    """
    by = [d for d in dimensions if not d.startswith(_TIME)]
    times = [d for d in dimensions if d.startswith(_TIME)]
    if not by or frame.is_empty() or k <= 1:
        return frame
    row, column = by[0], (by[1] if len(by) > 1 else None)
    if len(by) > 2:  # finer than two dimensions: hide every small cell and every line's partner
        frame = frame.with_columns(pl.concat_str([pl.col(d).cast(pl.String).fill_null("") for d in by[1:]],
                                                 separator="\x1f").alias("__rest"))
        column = "__rest"
    parts = frame.with_row_index("__row").partition_by(times, maintain_order=True) if times else \
        [frame.with_row_index("__row")]
    hide: dict[str, set[int]] = {metric: set() for metric in counts}
    for part in parts:
        for metric in counts:
            if metric not in part.columns:
                continue
            rows, columns, grid = _grid(part, row, column, metric)
            positions = hidden_cells(grid, k)
            wanted = {(rows[i], columns[j]) for i, j in positions}
            keys = zip(part[row], part[column] if column else [None] * part.height, part["__row"], strict=True)
            hide[metric] |= {index for r, c, index in keys if (r, c) in wanted}
    result = frame.with_row_index("__row").with_columns(
        pl.when(pl.col("__row").is_in(sorted(hide[m]))).then(None).otherwise(pl.col(m)).alias(m)
        for m in counts if m in frame.columns)
    return result.drop("__row", *(["__rest"] if "__rest" in result.columns else []))
