"""The dashboard's connection to the published warehouse: read-only, surviving publishes.

Why it is built this way:

* A refresh replaces the published file with ``os.replace``; it never edits it. A reader that
  keeps the old file open keeps reading the old inode, and DuckDB's process-wide instance
  cache would hand every new ``duckdb.connect(path)`` that same stale instance while any
  connection to it is alive. So the file is *attached* (``READ_ONLY``) to a private in-memory
  database, one per file identity ``(path, st_ino, st_mtime_ns, st_size)``; when the identity
  changes, the next query attaches the new file and the old one is closed once its last query
  has finished. Reading never takes a write lock, so it never blocks a refresh.
* ``st.cache_data`` is keyed on that identity too: a new publish is a cache miss, so the page
  shows the new data on the next rerun without a restart.
* Every number comes from the metric layer (:mod:`dashboard.metrics`), whose SQL MetricFlow
  compiles from dbt's definitions; the marts browser and the run records read marts and
  ``meta`` directly. Nothing reads ``landing`` or staging (they hold names and ID numbers).
  Every user value is a bound parameter (``$name``); lists go in as ``VARCHAR[]``.
* Every query aggregates in DuckDB and returns a small polars frame.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from warehouse.semantic.compiler import DUCKDB_CONFIG

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "cadres.duckdb"

Identity = tuple[str, int, int, int]
"""(path, st_ino, st_mtime_ns, st_size) of the published file: changes with every publish."""


class WarehouseMissing(FileNotFoundError):
    """No published warehouse at the configured path (yet)."""


def warehouse_path() -> Path:
    """``CADRES_WAREHOUSE`` as set by ``cadres dashboard``, else ``<repo>/data/cadres.duckdb``."""
    configured = os.environ.get("CADRES_WAREHOUSE")
    return Path(configured).expanduser().resolve() if configured else DEFAULT_WAREHOUSE


def file_identity(path: Path | None = None) -> Identity:
    """The identity of the file now at ``path``; taken *before* opening, so data read under an
    identity is never older than it (a publish in between only costs one extra cache miss)."""
    path = path or warehouse_path()
    try:
        info = path.stat()
    except FileNotFoundError as error:
        raise WarehouseMissing(str(path)) from error
    return (str(path), info.st_ino, info.st_mtime_ns, info.st_size)


# --- connections -------------------------------------------------------------------------------

def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Attached:
    """An in-memory DuckDB with one published file attached read-only under its file stem.

    The catalog keeps the file stem as its name because dbt writes fully qualified names
    (``cadres.main.…``) into views; queries run on cursors, which are safe across threads.
    """

    def __init__(self, ident: Identity) -> None:
        path = Path(ident[0])
        self.ident = ident
        self.catalog = _quote_ident(path.stem)
        # python_enable_replacements off: a table name must never resolve to a Python variable
        self.host = duckdb.connect(":memory:", config={"python_enable_replacements": False, **DUCKDB_CONFIG})
        self.host.execute(f"ATTACH {_quote_literal(str(path))} AS {self.catalog} (READ_ONLY)")
        self.users = 0
        self.retired = False

    def close(self) -> None:
        self.host.close()


_lock = threading.Lock()
_current: _Attached | None = None


def _acquire(ident: Identity) -> _Attached:
    """The attachment for ``ident``, reattaching when the published file has been replaced."""
    global _current
    with _lock:
        if _current is None or _current.ident != ident:
            old, _current = _current, _Attached(ident)
            if old is not None:
                old.retired = True
                if old.users == 0:
                    old.close()
        _current.users += 1
        return _current


def _release(attached: _Attached) -> None:
    with _lock:
        attached.users -= 1
        if attached.retired and attached.users == 0:
            attached.close()


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _bind(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Only the parameters the statement names (DuckDB rejects unused named parameters)."""
    names = set(_PARAM.findall(sql))
    return {name: params[name] for name in names}


@dataclass
class QueryStats:
    """Wall time of the queries that actually ran (cache misses), for the measurements."""

    count: int = 0
    seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)

    def add(self, seconds: float, sql: str) -> None:
        self.count += 1
        self.seconds += seconds
        self.slowest = sorted([*self.slowest, (seconds, " ".join(sql.split())[:80])], reverse=True)[:5]


STATS = QueryStats()


def _execute(ident: Identity, sql: str, params: Mapping[str, Any]) -> pl.DataFrame:
    attached = _acquire(ident)
    started = time.perf_counter()
    try:
        with attached.host.cursor() as cursor:
            cursor.execute(f"USE {attached.catalog}")
            frame = cursor.sql(sql, params=_bind(sql, params)).pl()
    finally:
        _release(attached)
    STATS.add(time.perf_counter() - started, sql)
    return frame


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(ident: Identity, sql: str, params: tuple[tuple[str, Any], ...]) -> pl.DataFrame:
    # lists were frozen into tuples for hashing; DuckDB binds lists as LIST values
    return _execute(ident, sql, {k: list(v) if isinstance(v, tuple) else v for k, v in params})


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def query(sql: str, params: Mapping[str, Any] | None = None, *, ident: Identity | None = None) -> pl.DataFrame:
    """Run one aggregate statement on the published warehouse, cached per file identity."""
    frozen = tuple(sorted((k, _freeze(v)) for k, v in (params or {}).items()))
    return _cached(ident or file_identity(), sql, frozen)


def table_exists(schema: str, table: str) -> bool:
    frame = query("select count(*) as n from information_schema.tables "
                  "where table_catalog = current_database() and table_schema = $schema and table_name = $table",
                  {"schema": schema, "table": table})
    return bool(frame["n"][0])
