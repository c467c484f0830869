"""What a new build would change against the published warehouse, read from the marts.

The diff is read from the marts the dashboard shows (persons by ``person_key``, never by name):
who enters or leaves each list at the latest snapshot, which tenures are added, ended or gone,
and every key figure old → new. It is shown by ``cadres check`` and ``cadres refresh``, stored
in the published file's ``meta.refresh_diff`` and summarised in the refresh history.

A tenure is identified by person, organisation, post and start date: ``tenure_id`` is the
tenure's row in its export, which moves whenever a steward inserts a row above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from warehouse.errors import RefreshError
from warehouse.reference import load_reference

TenureKey = tuple[str, str, str, date]


@dataclass(frozen=True)
class FigureChange:
    figure_id: str
    label: str
    unit: str
    old: float | None
    new: float | None

    @property
    def share(self) -> float | None:
        """Relative change; ``inf`` from zero to something, ``None`` when either is missing."""
        if self.old is None or self.new is None:
            return None
        if self.old == 0:
            return 0.0 if self.new == 0 else float("inf")
        return abs(self.new - self.old) / abs(self.old)


@dataclass
class State:
    """The parts of one warehouse file that the gates compare (the persons and tenures are
    compared inside DuckDB: ``read_changes``)."""

    as_of: date | None = None
    figures: dict[str, tuple[str, str, float | None]] = field(default_factory=dict)  # → label, unit, value
    row_counts: dict[str, int] = field(default_factory=dict)  # "schema.table" → rows


@dataclass
class Changes:
    """Who entered or left each list at the latest snapshot, which tenures were added, ended or
    are gone: only the rows that differ, each list sorted."""

    entered: dict[str, list[str]] = field(default_factory=dict)  # list name → person keys
    left: dict[str, list[str]] = field(default_factory=dict)
    tenures_added: list[TenureKey] = field(default_factory=list)
    tenures_ended: list[TenureKey] = field(default_factory=list)
    tenures_removed: list[TenureKey] = field(default_factory=list)


@dataclass
class Diff:
    """The change from the published warehouse (``None`` for a first publish) to a build."""

    has_published: bool
    old_as_of: date | None
    new_as_of: date | None
    changes: Changes = field(default_factory=Changes)  # none on a first publish
    figures: list[FigureChange] = field(default_factory=list)


# Tables whose emptiness after a publish with rows is a gate (warehouse/gates.py).
_COUNTED_SCHEMAS = ("landing", "main")
_NOT_DATA = frozenset({"landing.rejects", "landing.warnings"})


def _has_table(connection: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> bool:
    return bool(connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = ?", [catalog, schema, table]).fetchone()[0])


def read_state(connection: duckdb.DuckDBPyConnection, catalog: str) -> State:
    """Read a warehouse's row counts from ``catalog`` of an open connection."""
    state = State()
    tables = connection.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
        "AND schema_name IN ('landing', 'main') ORDER BY ALL", [catalog]).fetchall()
    for schema, table in tables:
        name = f"{schema}.{table}"
        if name not in _NOT_DATA:
            state.row_counts[name] = connection.execute(
                f'SELECT count(*) FROM "{catalog}"."{schema}"."{table}"').fetchone()[0]
    return state


def _rows(connection: duckdb.DuckDBPyConnection, catalog: str, table: str, columns: str,
          where: str = "true") -> str:
    """A SELECT of ``columns`` from ``catalog``.main.``table``, or of no rows if the file has no
    such table (a file published before the table existed, or a build that failed early)."""
    if _has_table(connection, catalog, "main", table):
        return f'SELECT {columns} FROM "{catalog}".main.{table} WHERE {where}'
    return f"SELECT {columns} FROM ({_NO_ROWS}) WHERE false"


# the columns read_changes reads, typed, for a file without the table
_NO_ROWS = ("SELECT NULL::VARCHAR AS list_name, NULL::VARCHAR AS person_key, NULL::VARCHAR AS org_name, "
            "NULL::VARCHAR AS post_title, NULL::DATE AS start_date, NULL::DATE AS end_date, "
            "NULL::BOOLEAN AS is_latest_snapshot")
_POOL = "list_name::VARCHAR AS list_name, person_key::VARCHAR AS person_key"
_TENURE = ("person_key::VARCHAR AS person_key, coalesce(org_name, '')::VARCHAR AS org_name, "
           "coalesce(post_title, '')::VARCHAR AS post_title, start_date::DATE AS start_date, "
           "end_date::DATE AS end_date")


def read_changes(connection: duckdb.DuckDBPyConnection, old: str, new: str) -> Changes:
    """The persons and tenures that differ between two attached warehouses, compared by DuckDB:
    only the differences reach Python (at scale 300 the two files hold 1.5 million tenures
    each; reading them all into Python and comparing sets took 25 s, issue 12)."""
    changes = Changes()
    was = _rows(connection, old, "fct_pool_membership", _POOL, "is_latest_snapshot")
    now = _rows(connection, new, "fct_pool_membership", _POOL, "is_latest_snapshot")
    order = {name: i for i, name in enumerate(load_reference().lists)}
    moved = connection.execute(
        f"SELECT 'entered', * FROM ({now} EXCEPT {was}) UNION ALL "
        f"SELECT 'left', * FROM ({was} EXCEPT {now})").fetchall()
    for way, name, key in sorted(moved, key=lambda row: (order.get(row[1], 99), row[1], row[2])):
        getattr(changes, way).setdefault(name, []).append(key)
    was = _rows(connection, old, "fct_appointment_tenure", _TENURE)
    now = _rows(connection, new, "fct_appointment_tenure", _TENURE)
    keys = "person_key, org_name, post_title, start_date"
    for field_name, query in (
            ("tenures_added", f"SELECT {keys} FROM ({now}) EXCEPT SELECT {keys} FROM ({was})"),
            ("tenures_removed", f"SELECT {keys} FROM ({was}) EXCEPT SELECT {keys} FROM ({now})"),
            # a tenure open in the published file that the build ends
            ("tenures_ended", f"SELECT DISTINCT {keys} FROM ({now}) AS now_ INNER JOIN ({was}) AS was_ "
                              f"USING ({keys}) WHERE now_.end_date IS NOT NULL AND was_.end_date IS NULL")):
        setattr(changes, field_name, [tuple(row) for row in connection.execute(
            f"SELECT * FROM ({query}) ORDER BY ALL").fetchall()])
    return changes


def read_figures(warehouse: Path, state: State) -> None:
    """The key figures at the latest snapshot, city-wide, as the metric layer stored in the file
    computes them (the same definitions the dashboard and ``cadres figures`` use). A file
    published before the metric layer, or without any snapshot, has none to compare."""
    from warehouse.semantic.local import open_reader
    from warehouse.semantic.query import Scope

    try:
        with open_reader(warehouse) as reader:
            state.as_of = reader.options.latest
            if state.as_of is not None:
                state.figures = {f.figure_id: (f.label, f.unit, f.value) for f in reader.figures(Scope())}
    except RefreshError:
        state.as_of, state.figures = None, {}


def read_states(built: Path, published: Path) -> tuple[State | None, State, Changes]:
    """The published warehouse's state (``None`` if there is none), the build's, and the
    persons and tenures that differ between them (none without a published file)."""
    changes = Changes()
    with duckdb.connect(str(built), read_only=True) as connection:
        catalog = connection.execute("SELECT current_database()").fetchone()[0]
        new = read_state(connection, catalog)
        old = None
        if published.exists():
            connection.execute("ATTACH ? AS published_warehouse (READ_ONLY)", [str(published)])
            try:
                old = read_state(connection, "published_warehouse")
                changes = read_changes(connection, "published_warehouse", catalog)
            finally:
                connection.execute("DETACH published_warehouse")
    read_figures(built, new)
    if old is not None:
        read_figures(published, old)
    return old, new, changes


def compare(old: State | None, new: State, changes: Changes | None = None) -> Diff:
    """The change from ``old`` to ``new`` with the persons and tenures that differ (``read_states``
    gives none for a first publish, so it lists only figures)."""
    diff = Diff(old is not None, old.as_of if old else None, new.as_of, changes or Changes())
    before = old or State()
    for figure_id, (label, unit, value) in new.figures.items():
        was = before.figures.get(figure_id, (label, unit, None))[2]
        diff.figures.append(FigureChange(figure_id, label, unit, was, value))
    return diff


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if unit == "比率" else f"{value:,.0f}"


def format_diff(diff: Diff) -> str:
    """The diff in Chinese for the terminal: counts per list, tenures, figures old → new."""
    changes = diff.changes
    if not diff.has_published:
        lines = ["与已发布数据仓库的差异：尚无已发布的数据仓库（首次发布），以下为新值"]
    else:
        lines = [f"与已发布数据仓库的差异（统计截止日期 {diff.old_as_of} → {diff.new_as_of}）："]
        names = list(dict.fromkeys([*changes.entered, *changes.left]))
        if names:
            lines.append("  人才库（最新快照，按名单）：")
            for name in names:
                lines.append(f"    {name}：新增 {len(changes.entered.get(name, []))} 人，"
                             f"减少 {len(changes.left.get(name, []))} 人")
        else:
            lines.append("  人才库（最新快照）：各名单人员无变化")
        lines.append(f"  任职记录：新增 {len(changes.tenures_added)} 条，新免职 {len(changes.tenures_ended)} 条，"
                     f"不再出现 {len(changes.tenures_removed)} 条")
    changed = [f for f in diff.figures if f.old != f.new] if diff.has_published else diff.figures
    if changed:
        lines.append("  关键指标（旧 → 新）：" if diff.has_published else "  关键指标：")
        for figure in changed:
            share = figure.share
            moved = "" if share in (None, 0.0) else (
                "（从 0 起）" if share == float("inf") else f"（变动 {share:.0%}）")
            old = f"{_value(figure.old, figure.unit)} → " if diff.has_published else ""
            lines.append(f"    {figure.label}：{old}{_value(figure.new, figure.unit)}{moved}")
    elif diff.has_published:
        lines.append("  关键指标：全部不变")
    return "\n".join(lines)


def diff_counts(diff: Diff) -> dict[str, Any]:
    """The diff as counts and figure values: small enough for every history line."""
    changes = diff.changes
    return {
        "has_published": diff.has_published,
        "old_as_of": diff.old_as_of.isoformat() if diff.old_as_of else None,
        "new_as_of": diff.new_as_of.isoformat() if diff.new_as_of else None,
        "entered": {name: len(keys) for name, keys in changes.entered.items()},
        "left": {name: len(keys) for name, keys in changes.left.items()},
        "tenures_added": len(changes.tenures_added),
        "tenures_ended": len(changes.tenures_ended),
        "tenures_removed": len(changes.tenures_removed),
        "figures": {f.figure_id: {"old": f.old, "new": f.new} for f in diff.figures},
    }


_DIFF_SCHEMA = {"change": pl.String, "list_name": pl.String, "person_key": pl.String,
                "org_name": pl.String, "post_title": pl.String, "start_date": pl.Date,
                "figure_id": pl.String, "old_value": pl.Float64, "new_value": pl.Float64}


def store_diff(connection: duckdb.DuckDBPyConnection, diff: Diff) -> None:
    """Write ``meta.refresh_diff``: one row per person entering/leaving, tenure, figure."""
    changes = diff.changes
    rows: list[dict[str, Any]] = []
    for change, by_list in (("进入名单", changes.entered), ("离开名单", changes.left)):
        rows += [{"change": change, "list_name": name, "person_key": key}
                 for name, keys in by_list.items() for key in keys]
    for change, tenures in (("新增任职", changes.tenures_added), ("新免职", changes.tenures_ended),
                            ("任职不再出现", changes.tenures_removed)):
        rows += [{"change": change, "person_key": p, "org_name": o, "post_title": t, "start_date": s}
                 for p, o, t, s in tenures]
    rows += [{"change": "关键指标", "figure_id": f.figure_id, "old_value": f.old, "new_value": f.new}
             for f in diff.figures]
    frame = pl.DataFrame([{c: row.get(c) for c in _DIFF_SCHEMA} for row in rows],
                         schema=_DIFF_SCHEMA, orient="row")
    connection.execute("CREATE SCHEMA IF NOT EXISTS meta")
    connection.register("diff_frame", frame)
    connection.execute("CREATE OR REPLACE TABLE meta.refresh_diff AS SELECT * FROM diff_frame")
    connection.unregister("diff_frame")
