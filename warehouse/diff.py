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
    """The parts of one warehouse file that the diff and the gates compare."""

    as_of: date | None = None
    pool: set[tuple[str, str]] = field(default_factory=set)  # (list name, person_key), latest snapshot
    tenures: dict[TenureKey, date | None] = field(default_factory=dict)  # → end date
    figures: dict[str, tuple[str, str, float | None]] = field(default_factory=dict)  # → label, unit, value
    row_counts: dict[str, int] = field(default_factory=dict)  # "schema.table" → rows


@dataclass
class Diff:
    """The change from the published warehouse (``None`` for a first publish) to a build."""

    has_published: bool
    old_as_of: date | None
    new_as_of: date | None
    entered: dict[str, list[str]] = field(default_factory=dict)  # list name → person keys
    left: dict[str, list[str]] = field(default_factory=dict)
    tenures_added: list[TenureKey] = field(default_factory=list)
    tenures_ended: list[TenureKey] = field(default_factory=list)
    tenures_removed: list[TenureKey] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)


# Tables whose emptiness after a publish with rows is a gate (warehouse/gates.py).
_COUNTED_SCHEMAS = ("landing", "main")
_NOT_DATA = frozenset({"landing.rejects", "landing.warnings"})


def _has_table(connection: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> bool:
    return bool(connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = ?", [catalog, schema, table]).fetchone()[0])


def read_state(connection: duckdb.DuckDBPyConnection, catalog: str) -> State:
    """Read a warehouse's comparable state from ``catalog`` of an open connection."""
    state = State()
    tables = connection.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
        "AND schema_name IN ('landing', 'main') ORDER BY ALL", [catalog]).fetchall()
    for schema, table in tables:
        name = f"{schema}.{table}"
        if name not in _NOT_DATA:
            state.row_counts[name] = connection.execute(
                f'SELECT count(*) FROM "{catalog}"."{schema}"."{table}"').fetchone()[0]
    if _has_table(connection, catalog, "main", "fct_pool_membership"):
        state.pool = set(connection.execute(
            f'SELECT list_name, person_key FROM "{catalog}".main.fct_pool_membership '
            "WHERE is_latest_snapshot").fetchall())
    if _has_table(connection, catalog, "main", "fct_appointment_tenure"):
        for person, org, post, start, end in connection.execute(
                f"SELECT person_key, coalesce(org_name, ''), coalesce(post_title, ''), start_date, "
                f'end_date FROM "{catalog}".main.fct_appointment_tenure').fetchall():
            state.tenures[(person, org, post, start)] = end
    return state


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


def read_states(built: Path, published: Path) -> tuple[State | None, State]:
    """The published warehouse's state (``None`` if there is none) and the build's."""
    with duckdb.connect(str(built), read_only=True) as connection:
        new = read_state(connection, connection.execute("SELECT current_database()").fetchone()[0])
        old = None
        if published.exists():
            connection.execute("ATTACH ? AS published_warehouse (READ_ONLY)", [str(published)])
            try:
                old = read_state(connection, "published_warehouse")
            finally:
                connection.execute("DETACH published_warehouse")
    read_figures(built, new)
    if old is not None:
        read_figures(published, old)
    return old, new


def compare(old: State | None, new: State) -> Diff:
    """The change from ``old`` to ``new``; a first publish (no ``old``) lists only figures."""
    diff = Diff(old is not None, old.as_of if old else None, new.as_of)
    before = old or State()
    if old is not None:
        order = {name: i for i, name in enumerate(load_reference().lists)}
        lists = sorted({name for name, _ in before.pool | new.pool}, key=lambda n: (order.get(n, 99), n))
        for name in lists:
            was = {key for n, key in before.pool if n == name}
            now = {key for n, key in new.pool if n == name}
            if now - was:
                diff.entered[name] = sorted(now - was)
            if was - now:
                diff.left[name] = sorted(was - now)
        diff.tenures_added = sorted(set(new.tenures) - set(before.tenures))
        diff.tenures_removed = sorted(set(before.tenures) - set(new.tenures))
        diff.tenures_ended = sorted(k for k, end in new.tenures.items()
                                    if end is not None and k in before.tenures and before.tenures[k] is None)
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
    if not diff.has_published:
        lines = ["与已发布数据仓库的差异：尚无已发布的数据仓库（首次发布），以下为新值"]
    else:
        lines = [f"与已发布数据仓库的差异（统计截止日期 {diff.old_as_of} → {diff.new_as_of}）："]
        names = list(dict.fromkeys([*diff.entered, *diff.left]))
        if names:
            lines.append("  人才库（最新快照，按名单）：")
            for name in names:
                lines.append(f"    {name}：新增 {len(diff.entered.get(name, []))} 人，"
                             f"减少 {len(diff.left.get(name, []))} 人")
        else:
            lines.append("  人才库（最新快照）：各名单人员无变化")
        lines.append(f"  任职记录：新增 {len(diff.tenures_added)} 条，新免职 {len(diff.tenures_ended)} 条，"
                     f"不再出现 {len(diff.tenures_removed)} 条")
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
    return {
        "has_published": diff.has_published,
        "old_as_of": diff.old_as_of.isoformat() if diff.old_as_of else None,
        "new_as_of": diff.new_as_of.isoformat() if diff.new_as_of else None,
        "entered": {name: len(keys) for name, keys in diff.entered.items()},
        "left": {name: len(keys) for name, keys in diff.left.items()},
        "tenures_added": len(diff.tenures_added),
        "tenures_ended": len(diff.tenures_ended),
        "tenures_removed": len(diff.tenures_removed),
        "figures": {f.figure_id: {"old": f.old, "new": f.new} for f in diff.figures},
    }


_DIFF_SCHEMA = {"change": pl.String, "list_name": pl.String, "person_key": pl.String,
                "org_name": pl.String, "post_title": pl.String, "start_date": pl.Date,
                "figure_id": pl.String, "old_value": pl.Float64, "new_value": pl.Float64}


def store_diff(connection: duckdb.DuckDBPyConnection, diff: Diff) -> None:
    """Write ``meta.refresh_diff``: one row per person entering/leaving, tenure, figure."""
    rows: list[dict[str, Any]] = []
    for change, by_list in (("进入名单", diff.entered), ("离开名单", diff.left)):
        rows += [{"change": change, "list_name": name, "person_key": key}
                 for name, keys in by_list.items() for key in keys]
    for change, tenures in (("新增任职", diff.tenures_added), ("新免职", diff.tenures_ended),
                            ("任职不再出现", diff.tenures_removed)):
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
