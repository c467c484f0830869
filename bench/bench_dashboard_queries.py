"""How long every dashboard query takes, compiled SQL cached (issue: ≤ 50 ms p95).

Usage: python bench/bench_dashboard_queries.py WAREHOUSE [--repeat 20] [--scopes 4] [--compare-defaults]
       [--against OTHER_WAREHOUSE] [--target-ms 50] [--json OUT.json]

1. Runs every page of the dashboard headless (Streamlit's AppTest) at a few scopes (the whole
   city, a region, a list at an older snapshot, a combination) and records each metric query
   the pages make: metrics, breakdown, scope, filters.
2. Replays each recorded query ``--repeat`` times on one read-only DuckDB connection, the SQL
   compiled once by MetricFlow and cached, as the dashboard does after its first request, with
   the dashboard's connection settings (``compiler.DUCKDB_CONFIG``), and prints the median and
   p95 per query and over all, plus the one-off costs (importing MetricFlow, compiling a shape).
   ``--compare-defaults`` replays every query with DuckDB's default settings too, the two ways
   interleaved, and counts the queries whose answers differ. ``--against`` replays every query
   on a second warehouse file too (another build of the same data, e.g. before and after a change
   to the dbt models; the dashboard's settings), interleaved, and counts the answers that differ.
3. Lists every query whose median (wall or CPU) is over ``--target-ms``; ``--json`` writes the
   figures of the dashboard's own way ("as served") for ``bench/run.py``.

Prints figures; asserts nothing. Run it on an idle machine for numbers worth quoting.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def record_page_queries(warehouse: Path, scopes: int) -> list[tuple[Any, ...]]:
    """Every (metrics, group_by, scope, filters) the pages ask for, at ``scopes`` scopes."""
    from streamlit.testing.v1 import AppTest

    from warehouse.semantic import reader as reader_module
    from warehouse.semantic.local import open_reader
    from warehouse.semantic.query import Scope

    recorded: list[tuple[Any, ...]] = []
    original = reader_module.run_metrics

    def recording(execute: Any, catalog: Any, metrics: Any, group_by: Any = (), scope: Any = None,
                  filters: Any = None, order_by: Any = (), *, snapshots: Any = ()) -> Any:
        recorded.append((tuple(metrics), tuple(group_by), scope,
                         tuple(sorted((k, tuple(v)) for k, v in (filters or {}).items())), tuple(snapshots)))
        return original(execute, catalog, metrics, group_by, scope, filters, order_by, snapshots=snapshots)

    reader_module.run_metrics = recording
    with open_reader(warehouse) as reader:
        options = reader.options
    candidates = [Scope(), Scope(regions=(options.regions[1],)),
                  Scope(lists=(options.lists[0],), snapshot=options.snapshots[-1]),
                  Scope(regions=options.regions[:2], sectors=options.sectors[:1], snapshot=options.snapshots[1])]
    os.environ["CADRES_WAREHOUSE"] = str(warehouse)
    # a warehouse not built from the bundled sample is shown only after signing in: a throwaway
    # leader account in a temporary users file
    from argon2 import PasswordHasher

    from warehouse.accounts import Role, UserStore

    accounts = Path(tempfile.mkdtemp(prefix="bench-accounts-"))
    os.environ.update({"CADRES_USERS_FILE": str(accounts / "users.json"),
                       "CADRES_SIGNIN_STATE": str(accounts / "state.json"),
                       "CADRES_AUDIT_LOG": str(accounts / "audit.jsonl")})
    UserStore(accounts / "users.json", hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)).add(
        "bench", Role.LEADER, None, "bench-password-1")
    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    for scope in candidates[:scopes]:
        for page in ("overview", "composition", "trends", "teams", "training", "explore"):
            at = AppTest.from_file(str(app), default_timeout=600)
            for key, values in (("region", scope.regions), ("sector", scope.sectors), ("list", scope.lists)):
                if values:
                    at.query_params[key] = list(values)
            if scope.snapshot:
                at.query_params["snapshot"] = scope.snapshot.isoformat()
            if page != "overview":
                at.switch_page(f"app_pages/{page}.py")
            at.run()
            if len(at.text_input) == 2 and at.text_input[1].proto.type == at.text_input[1].proto.PASSWORD:
                at.text_input[0].input("bench")
                at.text_input[1].input("bench-password-1")
                at.button[0].click()
                at.run()
    reader_module.run_metrics = original
    if not recorded:
        raise SystemExit("the pages made no metric query (sign-in?): nothing to measure")
    return list(dict.fromkeys(recorded))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scopes", type=int, default=4)
    parser.add_argument("--compare-defaults", action="store_true",
                        help="also replay every query with DuckDB's default settings, interleaved, and check "
                             "that both ways give the same answers")
    parser.add_argument("--against", type=Path,
                        help="also replay every query on this warehouse (same settings), interleaved, and check "
                             "that both give the same answers; its file name must match WAREHOUSE's (the compiled "
                             "SQL names the database)")
    parser.add_argument("--target-ms", type=float, default=50.0)
    parser.add_argument("--json", type=Path, help="write the figures as served to this file")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from warehouse.semantic import compiler
    from warehouse.semantic.catalog import read_catalog
    from warehouse.semantic.compiler import DUCKDB_CONFIG
    from warehouse.semantic.query import run_metrics
    from warehouse.semantic.reader import SemanticReader
    import_seconds = time.perf_counter() - started

    queries = record_page_queries(args.warehouse, args.scopes)
    ways = {"as served": (args.warehouse, DUCKDB_CONFIG)}
    if args.compare_defaults:
        ways["DuckDB defaults"] = (args.warehouse, {})
    if args.against:
        ways[f"against {args.against}"] = (args.against, DUCKDB_CONFIG)
    readers = {}
    for way, (warehouse, config) in ways.items():
        # as the dashboard does: an in-memory database with the settings, the file attached read-only
        connection = duckdb.connect(":memory:", config={"python_enable_replacements": False, **config})
        connection.execute(f"ATTACH '{warehouse}' AS {warehouse.stem} (READ_ONLY)")
        connection.execute(f"USE {warehouse.stem}")
        catalog = read_catalog(connection)
        readers[way] = SemanticReader(lambda sql, params, c=connection: c.sql(sql, params=params or None).pl(),
                                      catalog)

    compile_times: list[float] = []
    original = compiler.compile_sql

    def timed_compile(*a: Any, **k: Any) -> str:
        before = compiler.cached_statements()
        t = time.perf_counter()
        sql = original(*a, **k)
        if compiler.cached_statements() > before:
            compile_times.append(time.perf_counter() - t)
        return sql

    compiler.compile_sql = timed_compile
    import warehouse.semantic.query as query_module
    query_module.compile_sql = timed_compile
    compiler._statements.clear()

    per_query: dict[str, list[tuple[float, float, float, str]]] = {way: [] for way in ways}
    every: dict[str, list[float]] = {way: [] for way in ways}
    every_cpu: dict[str, list[float]] = {way: [] for way in ways}
    disagree = 0
    for metrics, group_by, scope, filters, snapshots in queries:
        answers = {way: run_metrics(reader.execute, reader.catalog, metrics, group_by, scope, dict(filters),
                                    snapshots=snapshots).frame for way, reader in readers.items()}  # compile once
        served = answers["as served"]
        differs = [way for way, frame in answers.items()  # order is not asked
                   if not frame.sort(frame.columns).equals(served.sort(served.columns))]
        if differs:
            disagree += 1
            print(f"answers differ ({', '.join(differs)} against as served): {metrics} by {group_by} @ "
                  f"{scope.describe() if scope else '全市'} {snapshots}\n{served}\n"
                  + "\n".join(str(answers[way]) for way in differs))
        times: dict[str, list[float]] = {way: [] for way in ways}
        cpu: dict[str, list[float]] = {way: [] for way in ways}
        for _ in range(args.repeat):  # the ways interleaved, so a busy moment hits both
            for way, reader in readers.items():
                t, c = time.perf_counter(), time.process_time()
                run_metrics(reader.execute, reader.catalog, metrics, group_by, scope, dict(filters),
                            snapshots=snapshots)
                times[way].append(time.perf_counter() - t)
                cpu[way].append(time.process_time() - c)
        at = f" × {len(snapshots)} snapshots" if snapshots else ""
        label = (f"{len(metrics)} metric{'s' if len(metrics) > 1 else ''} ({','.join(metrics)[:50]}) "
                 f"by {','.join(group_by) or '-'} @ {scope.describe() if scope else '全市'}{at}")
        for way in ways:
            every[way] += times[way]
            every_cpu[way] += cpu[way]
            per_query[way].append((statistics.median(times[way]), _percentile(times[way], 0.95),
                                   statistics.median(cpu[way]), label))

    print(f"warehouse: {args.warehouse} ({args.warehouse.stat().st_size / 2**20:.0f} MiB)")
    print(f"python {sys.version.split()[0]}, cores {os.cpu_count()}, repeat {args.repeat}, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"import of the metric layer: {import_seconds:.2f} s (MetricFlow itself is imported on first compile)")
    print(f"distinct page queries: {len(queries)}; compiled shapes: {len(compile_times)}; "
          f"compile median {statistics.median(compile_times) * 1000:.0f} ms, max {max(compile_times) * 1000:.0f} ms")
    if len(ways) > 1:
        print(f"queries whose answers differ between the ways: {disagree}")
    target = args.target_ms / 1000
    for way, (warehouse, config) in ways.items():
        print(f"\n== {way}: {warehouse} ({', '.join(f'{k}={v}' for k, v in config.items()) or 'no settings'})")
        print(f"all queries (cached SQL): median {statistics.median(every[way]) * 1000:.1f} ms, "
              f"p95 {_percentile(every[way], 0.95) * 1000:.1f} ms, max {max(every[way]) * 1000:.1f} ms")
        print(f"CPU per query (process time, DuckDB's threads included; moves less on a shared machine): "
              f"median {statistics.median(every_cpu[way]) * 1000:.1f} ms, "
              f"p95 {_percentile(every_cpu[way], 0.95) * 1000:.1f} ms")
        print("slowest queries (median / p95 / median CPU ms):")
        for median, p95, cpu_median, label in sorted(per_query[way], reverse=True)[:10]:
            print(f"  {median * 1000:7.1f} / {p95 * 1000:7.1f} / {cpu_median * 1000:7.1f}  {label}")
        over = sorted((q for q in per_query[way] if q[0] > target or q[2] > target), key=lambda q: -q[2])
        print(f"queries over {args.target_ms:.0f} ms (median wall or CPU): {len(over)} of {len(per_query[way])} "
              f"(CPU over: {sum(q[2] > target for q in over)}; wall p95 over: "
              f"{sum(q[1] > target for q in per_query[way])}); by median CPU:")
        for median, p95, cpu_median, label in over:
            print(f"  {median * 1000:7.1f} / {p95 * 1000:7.1f} / {cpu_median * 1000:7.1f}  {label}")
    if args.json:
        served, cpu = every["as served"], every_cpu["as served"]
        args.json.write_text(json.dumps({
            "queries": len(per_query["as served"]), "repeat": args.repeat, "target_ms": args.target_ms,
            "median_ms": statistics.median(served) * 1000, "p95_ms": _percentile(served, 0.95) * 1000,
            "max_ms": max(served) * 1000, "cpu_median_ms": statistics.median(cpu) * 1000,
            "cpu_p95_ms": _percentile(cpu, 0.95) * 1000,
            "p95_over_target": [{"median_ms": m * 1000, "p95_ms": p * 1000, "cpu_ms": c * 1000, "query": label}
                                for m, p, c, label in sorted(per_query["as served"], key=lambda q: -q[1])
                                if p > target],
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
