"""Small-cell suppression: counts from 1 to k−1 in a breakdown are hidden, and enough others
with them that no hidden count can be worked out from totals and the visible counts.

Pure functions on polars frames (one row per group, a column per metric), so the rule is the
same for a chart, a table and a download, and testable without a dashboard. A hidden cell
becomes null; the dashboard shows it as "<k".

* **Primary**: a count in ``1..k−1`` is hidden. 0 stays visible (nobody to single out).
* **Complementary**: totals are exact (the headline card, and the headline under a filter on one
  value of a dimension is a row or column total of a two-way table), so hidden cells must not be
  pinned by them. A hidden cell is safe when some other table, equal on every visible cell and
  every known total and with no count below 0, differs at that cell. Such a table differs by a
  cycle of +1/−1 changes through hidden cells (rows and columns alternate; a known total's line
  sums to 0); a cell that is 0 can only go up. For each pinned hidden cell the cheapest such
  cycle is found (fewest extra cells, then fewest zeros, then the smallest counts) and its
  visible cells are hidden too. A cycle may need a 0 cell (a row total of 1 with one person in
  it: hiding a 0 beside the 1 leaves "which column" open).
* The attacker is assumed to know every row and column total of a two-way table (the strongest
  case); a cell that those totals alone pin (its column is otherwise empty, say) cannot be
  protected by cells, and is then protected against the weaker cases (row totals only, column
  totals only, the grand total only) where possible. A one-way breakdown has its grand total.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import polars as pl

DEFAULT_MIN_CELL = 5
_TIME = "metric_time"
# Which totals an attacker knows (rows, columns); the grand total is always known.
_MODELS_TWO_WAY = ((True, True), (True, False), (False, True), (False, False))
_MODELS_ONE_WAY = ((False, True),)  # the single column's total: the grand total

Cell = tuple[int, int]


def _grid(frame: pl.DataFrame, row: str, column: str | None, metric: str
          ) -> tuple[list[object], list[object], list[list[int]]]:
    rows = list(dict.fromkeys(frame[row].to_list()))
    columns = list(dict.fromkeys(frame[column].to_list())) if column else [None]
    cells = {(r, c if column else None): int(v or 0) for r, c, v in
             zip(frame[row], frame[column] if column else [None] * frame.height, frame[metric], strict=True)}
    return rows, columns, [[cells.get((r, c), 0) for c in columns] for r in rows]


Node = tuple[str, int]  # ("r", i) or ("c", j) of the extended table
Cost = tuple[int, int, int]  # cells newly hidden, zeros among them, their sum
Graph = dict[Node, list[tuple[Node, Cell, Cost]]]


class _Table:
    """A table with its margins as extra entries: row ``h`` holds the column totals, column ``w``
    the row totals (negated, so that every line of the extended table sums to 0; the corner is
    the grand total, always known). A cycle of alternating ±1 changes through unknown entries of
    this extended table is exactly another table matching everything known: rows and columns are
    the nodes, an entry joins its row and its column."""

    def __init__(self, counts: Sequence[Sequence[int]], rows_known: bool, columns_known: bool) -> None:
        self.counts = counts
        self.height, self.width = len(counts), len(counts[0])
        self.margins: list[tuple[Cell, int]] = []  # the unknown totals, value −total
        if not rows_known:
            self.margins += [((i, self.width), -sum(counts[i])) for i in range(self.height)]
        if not columns_known:
            self.margins += [((self.height, j), -sum(line[j] for line in counts)) for j in range(self.width)]

    def graph(self, hidden: set[Cell], *, new: bool) -> dict[int, Graph]:
        """Per sign of the cell to protect, the edges a cycle may take: column→row through an
        entry that may change by −sign, row→column through one that may change by +sign. With
        ``new``, visible cells are edges too, at the cost of hiding them."""
        entries: list[tuple[Cell, int, Cost, bool]] = [((i, j), self.counts[i][j], (0, 0, 0), False)
                                                         for i, j in hidden]
        entries += [(entry, value, (0, 0, 0), True) for entry, value in self.margins]
        if new:
            entries += [((i, j), value, (1, int(value == 0), value), False)
                        for i, line in enumerate(self.counts) for j, value in enumerate(line)
                        if (i, j) not in hidden]
        graphs: dict[int, Graph] = {1: {}, -1: {}}
        for sign, edges in graphs.items():
            for entry, value, cost, margin in entries:
                row, column = ("r", entry[0]), ("c", entry[1])
                if _may(value, -sign, margin):
                    edges.setdefault(column, []).append((row, entry, cost))
                if _may(value, sign, margin):
                    edges.setdefault(row, []).append((column, entry, cost))
        return graphs

    def cycle(self, cell: Cell, graphs: dict[int, Graph], hidden: set[Cell]) -> set[Cell] | None:
        """The cells to hide besides ``hidden`` so that ``cell`` lies on a cycle of ``graphs``
        (empty: it does already); ``None`` when there is none."""
        best: tuple[Cost, set[Cell]] | None = None
        for sign, edges in graphs.items():
            if _may(self.counts[cell[0]][cell[1]], sign, False):
                found = self._path(cell, edges, hidden)
                if found is not None and (best is None or found[0] < best[0]):
                    best = found
        return None if best is None else best[1]

    def safe(self, cell: Cell, graphs: dict[int, Graph]) -> bool:
        """``cell`` lies on a cycle of ``graphs`` (breadth-first: the costs do not matter here)."""
        start, goal = ("c", cell[1]), ("r", cell[0])
        for sign, edges in graphs.items():
            if not _may(self.counts[cell[0]][cell[1]], sign, False):
                continue
            seen, frontier = {start}, [start]
            while frontier:
                node = frontier.pop()
                for target, entry, _ in edges.get(node, []):
                    if entry != cell and target not in seen:
                        if target == goal:
                            return True
                        seen.add(target)
                        frontier.append(target)
        return False

    def _path(self, cell: Cell, edges: Graph, hidden: set[Cell]) -> tuple[Cost, set[Cell]] | None:
        """Cheapest path from ``cell``'s column back to its row, not through ``cell`` (Dijkstra)."""
        start, goal = ("c", cell[1]), ("r", cell[0])
        zero = (0, 0, 0)
        distance: dict[Node, Cost] = {start: zero}
        came: dict[Node, tuple[Node, Cell]] = {}
        queue: list[tuple[Cost, Node]] = [(zero, start)]
        while queue:
            cost, node = heapq.heappop(queue)
            if node == goal:
                break
            if cost > distance[node]:
                continue
            for target, entry, step in edges.get(node, []):
                if entry == cell:
                    continue
                total = (cost[0] + step[0], cost[1] + step[1], cost[2] + step[2])
                if target not in distance or total < distance[target]:
                    distance[target], came[target] = total, (node, entry)
                    heapq.heappush(queue, (total, target))
        if goal not in distance:
            return None
        picked: set[Cell] = set()
        node = goal
        while node != start:
            node, entry = came[node]
            if entry not in hidden and entry[0] < self.height and entry[1] < self.width:
                picked.add(entry)
        return distance[goal], picked


def _may(value: int, sign: int, margin: bool) -> bool:
    """A count of 0 can only go up; a total of 0 (stored as −0) only down (the total up)."""
    if value == 0:
        return sign < 0 if margin else sign > 0
    return True


def hidden_cells(counts: Sequence[Sequence[int]], k: int, *, margins: bool = True) -> set[Cell]:
    """Positions to hide in a table of counts (a one-way breakdown is one column).

    ``margins``: protect the hidden cells against the known totals (see the module docstring);
    without it only the primary cells are hidden.
    """
    hidden = {(i, j) for i, line in enumerate(counts) for j, n in enumerate(line) if 0 < n < k}
    if not margins or not hidden:
        return hidden
    models = _MODELS_TWO_WAY if len(counts[0]) > 1 else _MODELS_ONE_WAY
    tables = [_Table(counts, rows_known, columns_known) for rows_known, columns_known in models]
    settled: set[Cell] = set()  # safe when every total is known: safe in every weaker case too
    changed = True
    while changed:  # until every hidden cell, a complementary one too, is safe in every case
        changed = False
        for number, table in enumerate(tables):
            graphs = table.graph(hidden, new=False)
            for cell in sorted(hidden - settled, key=lambda c: (counts[c[0]][c[1]], c)):
                if table.safe(cell, graphs):
                    if number == 0:
                        settled.add(cell)
                    continue
                extra = table.cycle(cell, table.graph(hidden, new=True), hidden)
                if extra:  # None: these totals alone pin it; a weaker case may still protect it
                    hidden |= extra
                    graphs = table.graph(hidden, new=False)
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
    absent: list[dict[str, object]] = []  # hidden cells the frame has no row for (a 0 not returned)
    for part in parts:
        for metric in counts:
            if metric not in part.columns:
                continue
            rows, columns, grid = _grid(part, row, column, metric)
            positions = hidden_cells(grid, k)
            wanted = {(rows[i], columns[j]) for i, j in positions}
            keys = list(zip(part[row], part[column] if column else [None] * part.height, part["__row"], strict=True))
            hide[metric] |= {index for r, c, index in keys if (r, c) in wanted}
            absent += _rows_for(part, wanted - {(r, c) for r, c, _ in keys}, times, row, column, by)
    result = frame.with_row_index("__row").with_columns(
        pl.when(pl.col("__row").is_in(sorted(hide[m]))).then(None).otherwise(pl.col(m)).alias(m)
        for m in counts if m in frame.columns)
    if absent:  # a 0 hidden beside a lone count must read "<k" too, not as a missing (0) bar
        extra = pl.DataFrame(absent, schema={name: result.schema[name] for name in absent[0]})
        result = pl.concat([result, extra.unique(maintain_order=True)], how="diagonal_relaxed")
    return result.drop("__row", *(["__rest"] if "__rest" in result.columns else []))


def _rows_for(part: pl.DataFrame, cells: set[tuple[object, object]], times: list[str], row: str,
              column: str | None, by: list[str]) -> list[dict[str, object]]:
    """Rows (dimension values only; every metric null) for hidden cells that ``part`` lacks."""
    found: list[dict[str, object]] = []
    first = part.row(0, named=True)
    for r, c in sorted(cells, key=str):
        values: dict[str, object] = {name: first[name] for name in times} | {row: r}
        if column is not None:  # the column's dimension values, from a row that has them
            model = part.filter(pl.col(column) == c).row(0, named=True)
            values |= {name: model[name] for name in by[1:]}
        found.append(values)
    return found
