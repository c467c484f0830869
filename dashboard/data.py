"""All reads of the published warehouse: read-only, parameterised, aggregated in DuckDB.

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
* Only the marts of schema ``main`` (and the catalog's descriptions of them) and the run records
  of schema ``meta`` are read, never ``landing`` or staging (they hold names and ID numbers).
  Every user value is a bound parameter (``$name``); lists go in as ``VARCHAR[]`` with
  ``list_contains``. The only SQL assembled in Python is picked from the fixed fragments below by
  key, or (自助分析) quotes table and column names taken from the warehouse's own catalog.
* Every query aggregates in DuckDB and returns a small polars frame.
* Unfiltered views read the reporting marts, which define the figures once; filtered views
  aggregate the core facts with the same definitions (tests pin the two paths together).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "cadres.duckdb"
CITY_REGION = "乐山市本级"
LEADERSHIP = "领导职务"

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
        self.host = duckdb.connect(":memory:", config={"python_enable_replacements": False})
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


def query(sql: str, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Run one aggregate statement on the published warehouse, cached per file identity."""
    frozen = tuple(sorted((k, _freeze(v)) for k, v in (params or {}).items()))
    return _cached(file_identity(), sql, frozen)


# --- filters -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """The sidebar's choices. ``snapshot`` None means the latest snapshot (the as-of date)."""

    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    snapshot: date | None = None

    @property
    def on_persons(self) -> bool:
        """Whether the pool of persons is narrowed (region, sector or list)."""
        return bool(self.regions or self.sectors or self.lists)

    @property
    def is_empty(self) -> bool:
        return not self.on_persons and self.snapshot is None

    def params(self, *, person_region: bool = True) -> dict[str, Any]:
        """Bound parameters. ``person_region`` False: the region filter applies to a post's
        region (appointments, teams), not to the person's, so the person scope ignores it."""
        person_regions = list(self.regions) if person_region else []
        scoped = bool(person_regions or self.sectors or self.lists)
        return {
            "regions": list(self.regions),
            "person_regions": person_regions,
            "sectors": list(self.sectors),
            "lists": list(self.lists),
            "snapshot": self.snapshot,
            "unscoped": not scoped,
        }


# --- SQL fragments -----------------------------------------------------------------------------

_AS_AT = """
as_at as (
    select coalesce($snapshot::date, (select max(snapshot_date) from main.fct_pool_person_snapshot))
        as snapshot_date
)"""

# Persons of the pool at every snapshot, narrowed by the person filters.
_SCOPED_POOL = """
scoped_pool as (
    select p.*
    from main.fct_pool_person_snapshot as p
    where (len($person_regions::varchar[]) = 0 or list_contains($person_regions::varchar[], p.region_name))
        and (len($sectors::varchar[]) = 0 or list_contains($sectors::varchar[], p.sector))
        and (len($lists::varchar[]) = 0 or exists (
            select 1
            from main.fct_pool_membership as m
            where m.snapshot_date = p.snapshot_date
                and m.person_key = p.person_key
                and list_contains($lists::varchar[], m.list_name)
        ))
),
scope_now as (
    select person_key from scoped_pool where snapshot_date = (select snapshot_date from as_at)
)"""

_WITH = f"with {_AS_AT},{_SCOPED_POOL}"

# composition dimensions over the pool at a snapshot (alias p) and its list memberships (m)
DIMENSION_SQL: dict[str, str] = {
    "sex": "p.sex",
    "generation": "p.generation",
    "ethnic_group": "case when p.is_ethnic_minority then '少数民族' else '汉族' end",
    "ethnicity": "p.ethnicity",
    "affiliation": "p.affiliation_name",
    "education": "p.education",
    "rank": "p.rank",
    "sector": "p.sector",
    "region": "p.region_name",
    "field": "p.field",
    "readiness": "coalesce(p.readiness, '未评定')",
    "list": "m.list_name",
}
_MEMBERSHIP_JOIN = (" inner join main.fct_pool_membership as m"
                    " on m.snapshot_date = p.snapshot_date and m.person_key = p.person_key")

POOL_FIGURE_IDS = (
    "pool_total", "pool_born_1980s", "pool_female", "pool_ethnic_minority", "pool_sector_party_gov",
    "pool_sector_institution", "pool_sector_outside", "pool_ready_now", "pool_ready_longer",
    "pool_field_tourism", "pool_field_transport", "pool_field_agriculture", "pool_field_hightech",
)


# --- warehouse facts for the frame of every page -----------------------------------------------

def snapshots() -> list[date]:
    """Snapshot dates of the pool, newest first."""
    frame = query("select distinct snapshot_date from main.mart_pool_figures_by_snapshot "
                  "order by snapshot_date desc")
    return frame["snapshot_date"].to_list()


def filter_options() -> dict[str, list[str]]:
    """The values the sidebar offers, in the reference order."""
    regions = query("select region_name from main.dim_region order by sort_order")
    lists = query("select list_name from main.dim_list order by list_id")
    sectors = query("select distinct value, value_sort_order from main.mart_pool_composition_by_snapshot "
                    "where dimension = 'sector' order by value_sort_order, value")
    return {"region": regions["region_name"].to_list(), "list": lists["list_name"].to_list(),
            "sector": sectors["value"].to_list()}


def table_exists(schema: str, table: str) -> bool:
    frame = query("select count(*) as n from information_schema.tables "
                  "where table_catalog = current_database() and table_schema = $schema and table_name = $table",
                  {"schema": schema, "table": table})
    return bool(frame["n"][0])


def as_of_date() -> date | None:
    frame = query("select max(as_of_date) as as_of_date from main.key_figures")
    return frame["as_of_date"][0]


def refresh_log() -> pl.DataFrame:
    """The one row of ``meta.refresh_log``, empty when the file was not published by a refresh."""
    if not table_exists("meta", "refresh_log"):
        return pl.DataFrame()
    # refreshed_at is stored in UTC; leaders read Beijing time (UTC+8, no daylight saving).
    return query("select * replace (refreshed_at + interval 8 hour as refreshed_at) "
                 "from meta.refresh_log order by refreshed_at desc limit 1")


# --- overview ----------------------------------------------------------------------------------

def key_figures() -> pl.DataFrame:
    """Contract §10 as dbt defines it: figure_id, label_zh, value, unit, as_of_date, sort_order."""
    return query("select figure_id, label_zh, value, unit, as_of_date, sort_order "
                 "from main.key_figures order by sort_order")


_POOL_FIGURES_FILTERED = _WITH + """,
counts as (
    select
        s.snapshot_date,
        count(p.person_key) as pool_total,
        count_if(p.birth_date between date '1980-01-01' and date '1989-12-31') as pool_born_1980s,
        count_if(p.sex = '女') as pool_female,
        count_if(p.is_ethnic_minority) as pool_ethnic_minority,
        count_if(p.sector = '党政机关') as pool_sector_party_gov,
        count_if(p.sector = '事业单位') as pool_sector_institution,
        count_if(p.sector = '体制外') as pool_sector_outside,
        count_if(p.readiness = '近期可用') as pool_ready_now,
        count_if(p.readiness = '中长期培养') as pool_ready_longer,
        count_if(p.field = '旅游') as pool_field_tourism,
        count_if(p.field = '交通') as pool_field_transport,
        count_if(p.field = '农业') as pool_field_agriculture,
        count_if(p.field = '高精尖技术') as pool_field_hightech
    from (select distinct snapshot_date from main.fct_pool_person_snapshot) as s
    left join scoped_pool as p on p.snapshot_date = s.snapshot_date
    group by s.snapshot_date
)
select snapshot_date, figure_id, cast(value as double) as value
from (unpivot counts on columns(* exclude (snapshot_date)) into name figure_id value value)
order by snapshot_date, figure_id
"""


def pool_figures_by_snapshot(filters: Filters, *, use_mart: bool | None = None) -> pl.DataFrame:
    """The pool_* figures at every snapshot: snapshot_date, figure_id, value.

    Unfiltered: ``mart_pool_figures_by_snapshot``, the figures' one definition. Filtered by
    region, sector or list: the same counts over the narrowed pool (a test pins them equal).
    """
    if use_mart if use_mart is not None else not filters.on_persons:
        return query("select snapshot_date, figure_id, value from main.mart_pool_figures_by_snapshot "
                     "order by snapshot_date, figure_id")
    return query(_POOL_FIGURES_FILTERED, filters.params())


_FUNNEL = _WITH + """,
trained as (
    select distinct f.person_key, f.start_date
    from main.fct_training_participation as f
    where f.person_key in (select person_key from scope_now)
        and f.start_date <= (select snapshot_date from as_at)
),
placed as (
    select distinct trained.person_key
    from trained
    inner join main.fct_appointment_tenure as t
        on t.person_key = trained.person_key
        and t.appointment_category = $leadership
        and t.start_date >= trained.start_date
        and t.start_date <= (select snapshot_date from as_at)
)
select
    (select count(*) from scope_now) as in_pool,
    (select count(distinct person_key) from trained) as trained,
    (select count(*) from placed) as placed
"""


def funnel(filters: Filters) -> pl.DataFrame:
    """源头选苗 → 培训锻炼 → 梯次选配 for the pool at the snapshot: one row in_pool, trained, placed."""
    return query(_FUNNEL, filters.params() | {"leadership": LEADERSHIP})


# --- composition -------------------------------------------------------------------------------

def value_orders() -> dict[str, dict[str, int]]:
    """The reference order of every dimension's values, from the composition mart."""
    frame = query("select distinct dimension, value, value_sort_order "
                  "from main.mart_pool_composition_by_snapshot")
    orders: dict[str, dict[str, int]] = {}
    for dimension, value, order in frame.iter_rows():
        orders.setdefault(dimension, {})[value] = order
    return orders


def _dimension(key: str) -> str:
    if key not in DIMENSION_SQL:
        raise ValueError(f"unknown dimension {key!r}")
    return DIMENSION_SQL[key]


def composition(filters: Filters, first: str, second: str | None = None) -> pl.DataFrame:
    """Persons of the pool at the snapshot by one dimension, or two for a cross-tab:
    value_1, value_2 (null without a second dimension), persons, share (of the pool in scope)."""
    first_sql = _dimension(first)
    second_sql = _dimension(second) if second else "cast(null as varchar)"
    join = _MEMBERSHIP_JOIN if "list" in (first, second) else ""
    sql = _WITH + f""",
pool_at as (select * from scoped_pool where snapshot_date = (select snapshot_date from as_at))
select
    {first_sql} as value_1,
    {second_sql} as value_2,
    count(distinct p.person_key) as persons,
    count(distinct p.person_key) / (select count(*) from pool_at) as share
from pool_at as p{join}
group by all
"""
    return query(sql, filters.params())


def composition_by_snapshot(filters: Filters, dimension: str, *, use_mart: bool | None = None) -> pl.DataFrame:
    """Persons and share of each value of one dimension at every snapshot:
    snapshot_date, value, persons, share."""
    in_mart = dimension != "ethnicity"
    if in_mart and (use_mart if use_mart is not None else not filters.on_persons):
        return query("select snapshot_date, value, persons, share from main.mart_pool_composition_by_snapshot "
                     "where dimension = $dimension order by snapshot_date, value_sort_order",
                     {"dimension": dimension})
    join = _MEMBERSHIP_JOIN if dimension == "list" else ""
    sql = _WITH + f""",
totals as (select snapshot_date, count(*) as pool_total from scoped_pool group by snapshot_date)
select
    p.snapshot_date,
    {_dimension(dimension)} as value,
    count(distinct p.person_key) as persons,
    count(distinct p.person_key) / any_value(totals.pool_total) as share
from scoped_pool as p{join}
inner join totals on totals.snapshot_date = p.snapshot_date
group by all
order by p.snapshot_date
"""
    return query(sql, filters.params())


# --- trends ------------------------------------------------------------------------------------

_FLOWS_FILTERED = _WITH + """,
snaps as (
    select snapshot_date, lag(snapshot_date) over (order by snapshot_date) as previous_snapshot_date
    from (select distinct snapshot_date from main.fct_pool_person_snapshot)
)
select
    s.snapshot_date,
    s.previous_snapshot_date,
    (select count(*) from scoped_pool as c where c.snapshot_date = s.snapshot_date) as persons,
    case when s.previous_snapshot_date is not null then (
        select count(*) from scoped_pool as c
        where c.snapshot_date = s.snapshot_date
            and not exists (select 1 from scoped_pool as q
                            where q.snapshot_date = s.previous_snapshot_date and q.person_key = c.person_key)
    ) end as entered,
    case when s.previous_snapshot_date is not null then (
        select count(*) from scoped_pool as q
        where q.snapshot_date = s.previous_snapshot_date
            and not exists (select 1 from scoped_pool as c
                            where c.snapshot_date = s.snapshot_date and c.person_key = q.person_key)
    ) end as left_pool
from snaps as s
order by s.snapshot_date
"""


def pool_flows(filters: Filters, *, use_mart: bool | None = None) -> pl.DataFrame:
    """Per snapshot: persons, entered since the previous snapshot, left the pool.
    Filtered: entering and leaving the narrowed pool."""
    if use_mart if use_mart is not None else not filters.on_persons:
        return query("select snapshot_date, previous_snapshot_date, persons, entered, left_pool "
                     "from main.mart_pool_flows_by_snapshot order by snapshot_date")
    return query(_FLOWS_FILTERED, filters.params())


_TRAINING_BY_YEAR_FILTERED = _WITH + """
select
    f.start_year,
    f.training_type,
    f.host_level,
    count(distinct f.class_id) as classes,
    count(distinct f.person_key) as participants,
    count(distinct f.person_key) filter (where f.completion_status = '结业') as completed_participants,
    count(distinct f.person_key) filter (where f.was_placed_after) as participants_placed_after
from main.fct_training_participation as f
where $unscoped or f.person_key in (select person_key from scope_now)
group by all
order by all
"""


def training_by_year(filters: Filters, *, use_mart: bool | None = None) -> pl.DataFrame:
    """Start year × training type × host level: classes, participants, completed, placed after.
    Filtered: only trainees in scope, and the classes they attended."""
    if use_mart if use_mart is not None else not filters.on_persons:
        return query("select start_year, training_type, host_level, classes, participants, "
                     "completed_participants, participants_placed_after "
                     "from main.mart_training_by_year order by all")
    return query(_TRAINING_BY_YEAR_FILTERED, filters.params())


_PERSON_FILTER_ON_TENURE = """
    and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], t.region_name))
    and ($unscoped or t.person_key in (select person_key from scope_now))"""

_APPOINTMENTS_BY_YEAR_FILTERED = _WITH + """
select t.start_year, t.appointment_category, t.selection_method, count(*) as tenures
from main.fct_appointment_tenure as t
where true""" + _PERSON_FILTER_ON_TENURE + """
group by all
order by all
"""


def appointments_by_year(filters: Filters, *, use_mart: bool | None = None) -> pl.DataFrame:
    """Start year × category × selection method: tenures (a person may hold several)."""
    if use_mart if use_mart is not None else not filters.on_persons:
        return query("select start_year, appointment_category, selection_method, sum(tenures)::bigint as tenures "
                     "from main.mart_appointments_by_year group by all order by all")
    return query(_APPOINTMENTS_BY_YEAR_FILTERED, filters.params(person_region=False))


# --- teams -------------------------------------------------------------------------------------

_TEAM_REGION_FILTER = """(len($regions::varchar[]) = 0 or d.region_code in (
    select region_code from main.dim_region where list_contains($regions::varchar[], region_name)))"""

_COVERAGE_COLUMNS = ("d.team_key, d.region_code, d.region_name, d.team_type, d.approved_seats, "
                     "d.is_county_level, d.region_sort_order")

_TEAM_COVERAGE_FILTERED = _WITH + """,
sittings as (
    select t.team_key, t.person_key, bool_or(t.post_title = '副主席') as is_vice_chair
    from main.fct_appointment_tenure as t, as_at
    where t.appointment_category = $leadership
        and t.team_key is not null
        and t.start_date <= as_at.snapshot_date
        and (t.end_date is null or t.end_date > as_at.snapshot_date)
        and ($unscoped or t.person_key in (select person_key from scope_now))
    group by all
)
select
    """ + _COVERAGE_COLUMNS + """,
    count(distinct s.person_key) as nonparty_members,
    count(distinct s.person_key) filter (where s.is_vice_chair) as nonparty_vice_chairs,
    count(distinct s.person_key) / d.approved_seats as nonparty_share
from main.dim_team as d
left join sittings as s on s.team_key = d.team_key
where """ + _TEAM_REGION_FILTER + """
group by """ + _COVERAGE_COLUMNS + """
order by d.region_sort_order, d.team_key
"""


def team_coverage(filters: Filters, *, use_mart: bool | None = None) -> pl.DataFrame:
    """Team: approved seats and the non-party cadres sitting on it at the snapshot date."""
    plain = not filters.sectors and not filters.lists and filters.snapshot is None
    if use_mart if use_mart is not None else plain:
        return query("select " + _COVERAGE_COLUMNS + ", d.nonparty_members, d.nonparty_vice_chairs, "
                     "d.nonparty_share from main.mart_team_coverage as d where " + _TEAM_REGION_FILTER +
                     " order by d.region_sort_order, d.team_key", {"regions": list(filters.regions)})
    return query(_TEAM_COVERAGE_FILTERED, filters.params(person_region=False) | {"leadership": LEADERSHIP})


_FIT_RATES_FILTERED = _WITH + """,
counted as (
    select
        t.post_type,
        count(*) as tenures,
        count(t.fit_assessment) as assessed_tenures,
        count_if(t.fit_assessment = '相适') as fit_tenures
    from main.fct_appointment_tenure as t
    where t.appointment_category = $leadership
        and t.is_since_term
        and t.post_type is not null""" + _PERSON_FILTER_ON_TENURE + """
    group by t.post_type
)
select
    r.post_type,
    coalesce(c.tenures, 0) as tenures,
    coalesce(c.assessed_tenures, 0) as assessed_tenures,
    coalesce(c.fit_tenures, 0) as fit_tenures,
    c.fit_tenures / nullif(c.assessed_tenures, 0) as fit_rate
from main.mart_fit_rates as r
left join counted as c on c.post_type = r.post_type
order by r.sort_order
"""


def fit_rates(filters: Filters, *, use_mart: bool | None = None) -> pl.DataFrame:
    """Post type: 领导职务 tenures since the term, assessed, fit, fit rate."""
    if use_mart if use_mart is not None else not filters.on_persons:
        return query("select post_type, tenures::bigint as tenures, assessed_tenures::bigint as assessed_tenures, "
                     "fit_tenures::bigint as fit_tenures, fit_rate "
                     "from main.mart_fit_rates order by sort_order")
    return query(_FIT_RATES_FILTERED, filters.params(person_region=False) | {"leadership": LEADERSHIP})


_SITTING_LEADERSHIP = """,
sitting as (
    select t.*
    from main.fct_appointment_tenure as t, as_at
    where t.appointment_category = $leadership
        and t.start_date <= as_at.snapshot_date
        and (t.end_date is null or t.end_date > as_at.snapshot_date)
),
highest as (
    select
        person_key,
        arg_min(rank, rank_order) as highest_rank,
        arg_min(is_department_level_rank, rank_order) as is_department_level
    from sitting
    where rank_order is not null
    group by person_key
),
chairs as (
    select t.*
    from sitting as t
    where t.team_type = '民主党派' and t.post_title = '主委'""" + _PERSON_FILTER_ON_TENURE + """
)"""


def party_chairs(filters: Filters) -> pl.DataFrame:
    """Democratic-party chairs sitting at the snapshot date, one row a chair post (no persons):
    org_name, region_name, rank, highest_rank, is_department_level."""
    sql = _WITH + _SITTING_LEADERSHIP + """
select c.org_name, c.region_name, c.rank, h.highest_rank, coalesce(h.is_department_level, false) as is_department_level
from chairs as c
left join highest as h on h.person_key = c.person_key
order by coalesce(h.is_department_level, false) desc, c.rank_order, c.region_name, c.org_name
"""
    return query(sql, filters.params(person_region=False) | {"leadership": LEADERSHIP})


def party_chair_counts(filters: Filters) -> pl.DataFrame:
    """One row: chairs (distinct persons) and those at department level (厅级)."""
    sql = _WITH + _SITTING_LEADERSHIP + """
select
    count(distinct c.person_key) as chairs,
    count(distinct c.person_key) filter (where h.is_department_level) as department_level
from chairs as c
left join highest as h on h.person_key = c.person_key
"""
    return query(sql, filters.params(person_region=False) | {"leadership": LEADERSHIP})


_CITY_PLACEMENTS_WHERE = """
from main.fct_appointment_tenure as t
where t.appointment_category = $leadership
    and t.region_name = $city_region
    and t.team_type = '部门'""" + _PERSON_FILTER_ON_TENURE


def city_placement_years(filters: Filters) -> list[int]:
    """Years in which non-party cadres took up city-level department posts, newest first."""
    frame = query(_WITH + "\nselect distinct t.start_year" + _CITY_PLACEMENTS_WHERE + "\norder by 1 desc",
                  filters.params(person_region=False) | {"leadership": LEADERSHIP, "city_region": CITY_REGION})
    return frame["start_year"].to_list()


def city_placements(filters: Filters, year: int) -> pl.DataFrame:
    """The city-level department posts taken up in ``year`` (no persons): org, post, rank …"""
    sql = (_WITH + "\nselect t.org_name, t.post_title, t.rank, t.selection_method, t.start_date, "
           "t.post_type, t.fit_assessment" + _CITY_PLACEMENTS_WHERE +
           "\n    and t.start_year = $year\norder by t.rank_order, t.start_date, t.org_name")
    return query(sql, filters.params(person_region=False)
                 | {"leadership": LEADERSHIP, "city_region": CITY_REGION, "year": year})


# --- training ----------------------------------------------------------------------------------

_CLASSES = _WITH + """,
part as (
    select f.*
    from main.fct_training_participation as f
    where $unscoped or f.person_key in (select person_key from scope_now)
)
select
    c.class_id,
    c.class_name,
    c.training_type,
    c.host_level,
    c.host_org,
    c.start_date as class_start,
    c.end_date as class_end,
    c.hours,
    c.is_in_last_three_years,
    count(distinct part.person_key) as participants,
    count(distinct part.person_key) filter (where part.completion_status = '结业') as completed,
    count(distinct part.person_key) filter (where part.completion_status = '未结业') as not_completed,
    count(distinct part.person_key) filter (where part.completion_status = '在训') as in_training,
    count(distinct part.person_key) filter (where part.was_placed_after) as placed_after,
    count(distinct part.person_key) filter (where part.is_in_pool) as in_pool
from main.dim_class as c
left join part on part.class_id = c.class_id
group by all
having $unscoped or count(part.person_key) > 0
order by c.start_date, c.class_id
"""


def classes(filters: Filters) -> pl.DataFrame:
    """Every class with its participants, completion and who went on to a leadership post.
    Filtered: trainees in scope only, and only classes that had any."""
    return query(_CLASSES, filters.params())


# --- data quality ------------------------------------------------------------------------------

def ingest_files() -> pl.DataFrame:
    """Per file and sheet: rows read, loaded and rejected in the last refresh."""
    return query("""
select file, sheet, table_name, any_value(snapshot_date) as snapshot_date,
    any_value(rows_read) as rows_read, any_value(rows_loaded) as rows_loaded,
    any_value(rows_rejected) as rows_rejected
from main.mart_ingest_quality
where table_name is not null
group by file, sheet, table_name
order by table_name, file, sheet
""")


def ingest_reasons() -> pl.DataFrame:
    """Rejection reasons and warnings with their row counts (counts only, never the rows)."""
    return query("""
select file, sheet, issue_kind, reason, sum(reason_rows)::bigint as reason_rows
from main.mart_ingest_quality
where reason is not null
group by all
order by issue_kind, reason_rows desc, file
""")


def dbt_summary() -> pl.DataFrame:
    """Resource type × status: how many dbt nodes, empty when there is no run record."""
    if not table_exists("meta", "dbt_results"):
        return pl.DataFrame()
    return query("select resource_type, status, count(*) as count from meta.dbt_results group by all order by all")


def dbt_problems() -> pl.DataFrame:
    """dbt nodes that did not simply pass: warnings and failures with their message."""
    if not table_exists("meta", "dbt_results"):
        return pl.DataFrame()
    return query("""
select resource_type, name, status, failures, message
from meta.dbt_results
where status not in ('pass', 'success')
order by status, name
""")


_TRAINING_TOTALS = _WITH + """,
part as (
    select f.*
    from main.fct_training_participation as f
    where ($unscoped or f.person_key in (select person_key from scope_now))
        and (len($types::varchar[]) = 0 or list_contains($types::varchar[], f.training_type))
        and (not $recent_only or f.is_in_last_three_years)
)
select
    count(distinct person_key) as participants,
    count(distinct person_key) filter (where completion_status = '结业') as completed,
    count(distinct person_key) filter (where was_placed_after) as placed_after
from part
"""


def training_totals(filters: Filters, types: tuple[str, ...] = (), *, recent_only: bool = False) -> pl.DataFrame:
    """Distinct trainees over the chosen training types: participants, completed, placed after."""
    return query(_TRAINING_TOTALS, filters.params() | {"types": list(types), "recent_only": recent_only})


_TRAINING_BY_TYPE = _WITH + """
select
    f.training_type,
    count(distinct f.person_key) as participants,
    count(distinct f.person_key) filter (where f.completion_status = '结业') as completed,
    count(distinct f.person_key) filter (where f.was_placed_after) as placed_after
from main.fct_training_participation as f
where ($unscoped or f.person_key in (select person_key from scope_now))
    and (not $recent_only or f.is_in_last_three_years)
group by f.training_type
"""


def training_by_type(filters: Filters, *, recent_only: bool = False) -> pl.DataFrame:
    """Training type: distinct trainees, those who completed, those placed after a class."""
    return query(_TRAINING_BY_TYPE, filters.params() | {"recent_only": recent_only})


# --- 自助分析: any mart, grouped and measured as the user picks ---------------------------------

_MART_NAME = re.compile(r"^(?:(?:dim|fct|mart)_[a-z0-9_]+|key_figures)$")
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
MEASURE_ROWS, MEASURE_PERSONS = "rows", "persons"


def mart_catalog() -> pl.DataFrame:
    """Every mart of the published warehouse with its dbt description (the DuckDB table comment):
    table_name, comment, estimated_size. New marts appear here without a code change."""
    frame = query("select table_name, comment, estimated_size from duckdb_tables() "
                  "where database_name = current_database() and schema_name = 'main' order by table_name")
    return frame.filter(pl.col("table_name").str.contains(_MART_NAME.pattern))


def mart_columns(table: str) -> pl.DataFrame:
    """The columns of one mart with type and dbt description: column_name, data_type, comment."""
    return query("select column_name, data_type, comment from duckdb_columns() "
                 "where database_name = current_database() and schema_name = 'main' and table_name = $table "
                 "order by column_index", {"table": table})


def is_dimension(name: str, data_type: str) -> bool:
    """Columns worth grouping by: categories, flags, dates and years, never keys."""
    if name.endswith(("_key", "_id")) or name in ("tenure_id", "sort_order"):
        return False
    return data_type in ("VARCHAR", "BOOLEAN", "DATE") or (name.endswith("_year") and data_type in _NUMERIC)


def is_measure(name: str, data_type: str) -> bool:
    """Numeric columns worth summing or averaging."""
    return (data_type.startswith(_NUMERIC) and not name.endswith(("_id", "_year", "_order"))
            and name not in ("sort_order",))


def explore(filters: Filters, table: str, dimension: str, measure: str, aggregate: str = "sum") -> pl.DataFrame:
    """One mart grouped by ``dimension``: category, value (rows, distinct persons, or the sum or
    average of a numeric column), at most 200 groups. Table and column names come only from the
    warehouse's own catalog; the filters apply where the mart has the column (snapshot_date,
    region_name, sector, list_name)."""
    if not _MART_NAME.match(table) or table not in set(mart_catalog()["table_name"]):
        raise ValueError(f"unknown mart {table!r}")
    columns = dict(mart_columns(table).select("column_name", "data_type").iter_rows())
    if dimension not in columns or not is_dimension(dimension, columns[dimension]):
        raise ValueError(f"cannot group {table} by {dimension!r}")
    if measure == MEASURE_ROWS:
        value = "count(*)"
    elif measure == MEASURE_PERSONS and "person_key" in columns:
        value = "count(distinct t.person_key)"
    elif measure in columns and is_measure(measure, columns[measure]) and aggregate in ("sum", "avg"):
        value = f"{aggregate}(t.{_quote_ident(measure)})"
    else:
        raise ValueError(f"cannot measure {table} by {measure!r}")
    source = f"main.{_quote_ident(table)}"
    where = ["true"]
    if "snapshot_date" in columns and dimension != "snapshot_date":
        where.append(f"t.snapshot_date = coalesce($snapshot::date, (select max(snapshot_date) from {source}))")
    for column, param in (("region_name", "regions"), ("sector", "sectors"), ("list_name", "lists")):
        if column in columns:
            where.append(f"(len(${param}::varchar[]) = 0 or list_contains(${param}::varchar[], t.{column}))")
    sql = (f"select t.{_quote_ident(dimension)} as category, {value} as value from {source} as t "
           f"where {' and '.join(where)} group by 1 order by 2 desc nulls last, 1 limit 200")
    return query(sql, filters.params())
