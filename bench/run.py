"""Benchmark the refresh against its floor and against the old way; write bench/RESULTS.md.

    .venv/bin/python bench/run.py                       # scales 1 and 10, 3 rounds each
    .venv/bin/python bench/run.py --scales 1 10 100 300 # the whole table (scale 300 is slow)
    .venv/bin/python bench/run.py --scales 1 10 100 300 --rounds 300=1 --dashboard
                                                        # … and the dashboard's figures (below)

A script a person runs, not a test: it prints and writes figures and never asserts a target.
For every scale it generates the sample (``cadres sample --scale N``), runs one untimed
refresh (dbt's first parse in a new place, and the compiled SQL the floor needs), then
``--repeat`` rounds of, in this order (interleaved, so a slow minute on a shared machine
hits every measurement alike):

1. ``cadres refresh --json`` — wall time, the refresh's own ingest and dbt seconds, and the
   peak resident memory of the whole process tree (sampled from /proc);
2. a plain polars read of the same files (``probes/plain_read.py``);
3. ``dbt build`` as the refresh ran it, split into import / parse / execution / after
   (``probes/dbt_split.py``);
4. the SQL floor: every model and test of that build as plain DuckDB SQL on one connection
   (``probes/sql_floor.py``);
5. the old way: pandas + openpyxl computing five pool figures for every snapshot
   (``probes/old_way.py``).

With ``--dashboard`` the same run then measures the dashboard on the warehouses it has just
refreshed: every page query at scale 300 (``bench_dashboard_queries.py``, SQL cached as
served), pages cold and after a filter change in Chromium at scales 1 and 300, and 20 sessions at
once at scale 100 (``bench_pages.py``). So every figure of issue 12 comes from one run.

Figures are medians over the rounds.  Each probe runs in a fresh process.  A fixed Python loop
is timed at the start and at the end, so a reader can tell a slow hour from a slow change.  The
results go between the ``bench`` markers of RESULTS.md; the rest of the file (earlier runs'
notes) is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from treemem import Run, run

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
CADRES = [PYTHON, "-m", "warehouse.cli"]
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
PAGES_MEASURED = ["overview", "teams"]
PAGE_NAMES = {"overview": "总览", "teams": "班子配备"}
LOOP = "import time; t = time.perf_counter(); s = 0\nfor i in range(30_000_000): s += i\nprint(time.perf_counter() - t)"


def checked(result: Run, what: str) -> Run:
    """Stop with the tail of the output when a step failed: a figure of a failed run is no figure."""
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-2000:] + result.stderr[-4000:])
        raise SystemExit(f"{what} failed (exit {result.returncode})")
    return result


def probe(name: str, *args: str) -> tuple[dict[str, float], Run]:
    """Run ``probes/<name>.py`` in a fresh process; its last stdout line is JSON."""
    result = checked(run([PYTHON, str(BENCH / "probes" / f"{name}.py"), *args], cwd=ROOT), name)
    return json.loads(result.stdout.strip().splitlines()[-1]), result


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, load, as /proc tells them."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    return {"cores": str(os.cpu_count()), "memory": f"{mem_kib / 2**20:.1f} GiB", "cpu": cpu,
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}"}


def git_commit() -> str:
    """The commit measured, marked when the work tree has changes."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return head + (" (with uncommitted changes)" if dirty else "")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def loop_seconds() -> float:
    """A fixed Python loop in a fresh process: this machine's speed varies by the hour."""
    return float(checked(run([PYTHON, "-c", LOOP]), "loop").stdout)


def measure_scale(scale: int, repeat: int, work: Path) -> dict[str, object]:
    """Every figure of one scale; the raw values of every round are kept."""
    raw, warehouse = work / f"raw-{scale}", warehouse_of(work, scale)
    say(f"scale {scale}: generating the sample")
    generated = checked(run([*CADRES, "sample", "--scale", str(scale), "--out", str(raw)], cwd=ROOT), "sample")
    refresh = [*CADRES, "refresh", "--raw", str(raw), "--warehouse", str(warehouse), "--json"]
    say(f"scale {scale}: warm-up refresh (untimed)")
    checked(run(refresh, cwd=ROOT), "warm-up refresh")
    from warehouse.publish import dbt_state_dir

    target = dbt_state_dir(warehouse)
    rounds: list[dict[str, float]] = []
    for n in range(repeat):
        say(f"scale {scale}: round {n + 1}/{repeat}")
        r: dict[str, float] = {}
        done = checked(run(refresh, cwd=ROOT), "refresh")
        summary = json.loads(done.stdout)
        r["refresh"], r["peak_gib"], r["refresh_cpu"] = done.seconds, done.peak_bytes / 2**30, done.cpu_seconds
        r["ingest"], r["dbt_in_refresh"] = summary["seconds"].get("ingest", float("nan")), \
            summary["seconds"].get("dbt", float("nan"))
        r["read"] = probe("plain_read", str(raw))[0]["seconds"]
        split, _ = probe("dbt_split", str(warehouse), str(target), str(work / f"dbt-{scale}"))
        r |= {f"dbt_{k}": v for k, v in split.items()}
        floor, _ = probe("sql_floor", str(warehouse), str(target))
        r["floor"], r["floor_models"], r["floor_tests"] = floor["seconds"], floor["models"], floor["tests"]
        old, old_run = probe("old_way", str(raw))
        r["old_way"], r["old_way_cpu"] = old["seconds"], old_run.cpu_seconds
        say("  " + ", ".join(f"{k} {v:.2f}" for k, v in r.items()))
        rounds.append(r)
    return {"scale": scale, "rounds": rounds, "sample_seconds": generated.seconds,
            "sample_cpu": generated.cpu_seconds,
            "sample_peak_gib": generated.peak_bytes / 2**30,
            "raw_mib": sum(p.stat().st_size for p in raw.rglob("*") if p.is_file()) / 2**20}


def measure_dashboard(work: Path, args: argparse.Namespace) -> dict[str, object]:
    """The dashboard's figures on this run's warehouses (``work/wh-<scale>``), each script in a
    fresh process with its JSON read back."""
    found: dict[str, object] = {}
    queries = work / "queries.json"
    say(f"dashboard: every page query at scale {args.query_scale}")
    checked(run([PYTHON, str(BENCH / "bench_dashboard_queries.py"), str(warehouse_of(work, args.query_scale)),
                 "--repeat", "5", "--scopes", "4", "--json", str(queries)], cwd=ROOT), "dashboard queries")
    found["queries"] = json.loads(queries.read_text(encoding="utf-8")) | {"scale": args.query_scale}
    pages = work / "pages.json"
    say(f"dashboard: pages in Chromium at scales {args.page_scales}, {args.sessions} sessions at "
        f"scale {args.sessions_scale}")
    command = [PYTHON, str(BENCH / "bench_pages.py"), "--sample", "--pages", *PAGES_MEASURED,
               "--repeat", str(args.page_repeat), "--timeout", "180", "--json", str(pages)]
    for scale in args.page_scales:
        command += ["--scale", f"{scale}={warehouse_of(work, scale)}"]
    if args.sessions:
        command += ["--sessions", str(args.sessions), "--sessions-scale",
                    f"{args.sessions_scale}={warehouse_of(work, args.sessions_scale)}", "--visits", *PAGES_MEASURED]
    checked(run(command, cwd=ROOT), "pages")
    found["pages"] = json.loads(pages.read_text(encoding="utf-8"))
    return found


def warehouse_of(work: Path, scale: int) -> Path:
    return work / f"wh-{scale}" / "cadres.duckdb"


def median(rounds: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def render(results: list[dict[str, object]], info: dict[str, str], note: str, repeat: int,
           loads: tuple[str, str], loops: tuple[float, float], command: str,
           dashboard: dict[str, object] | None = None) -> str:
    """The benchmark section of RESULTS.md."""
    lines = [BEGIN, "# Benchmark results", "",
             f"Measured {info['date']} at commit `{info['commit']}` with `{command}`.", "",
             f"Machine: {info['cores']} cores, {info['memory']}, {info['cpu']}; {info['system']}, "
             f"Python {info['python']}. Load average at start {loads[0]}, at the end {loads[1]}. "
             f"A fixed Python loop (30 million additions) took {loops[0]:.2f} s at the start and "
             f"{loops[1]:.2f} s at the end (this machine's speed varies by the hour: compare within "
             "one run).", ""]
    if note:
        lines += [f"**Note:** {note}", ""]
    fewer = [f"{res['scale']}: {len(res['rounds'])}" for res in results if len(res["rounds"]) != repeat]
    lines += [f"Medians of {repeat} interleaved rounds"
              + (f" (rounds at scale {', '.join(fewer)})" if fewer else "")
              + ", each measurement in a fresh process "
              "(see `bench/run.py`). Seconds unless marked.", "",
              "| scale | refresh | ingest | plain polars read of the same files | dbt build | "
              "SQL floor (every model + test as plain DuckDB SQL, one connection) | "
              "refresh ÷ (read + floor) | peak memory (process tree) | "
              "old way: pandas + openpyxl, 5 pool figures, all snapshots | refresh ÷ old way |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for res in results:
        rr = res["rounds"]
        assert isinstance(rr, list)
        refresh, read, floor = median(rr, "refresh"), median(rr, "read"), median(rr, "floor")
        lines.append(
            f"| {res['scale']} | {refresh:.1f} | {median(rr, 'ingest'):.2f} | {read:.2f} | "
            f"{median(rr, 'dbt_in_refresh'):.1f} | {floor:.2f} | {refresh / (read + floor):.1f} | "
            f"{max(r['peak_gib'] for r in rr):.2f} GiB | {median(rr, 'old_way'):.1f} | "
            f"{refresh / median(rr, 'old_way'):.2f} |")
    lines += ["", "`ingest` and `dbt build` are the refresh's own stage times (`cadres refresh --json`). "
              "dbt imports and parses the project while the exports are read (`warehouse/dbt_worker.py`), "
              "so the refresh's `dbt build` runs from the end of the ingest to the end of the build and "
              "holds what of dbt's start-up the ingest did not cover; the table below runs dbt alone. "
              "Peak memory is the largest sum of resident memory over the refresh's process tree "
              "(CLI + dbt), sampled every 0.1 s, over the rounds.", "",
              "## Inside dbt build", "",
              "The same `dbt build` command line as the refresh (from its `run_results.json`), re-run on a "
              "copy of the published warehouse with dbt's JSON log; split by the log's event times.", "",
              "| scale | dbt build (alone) | import (process start → first event) | "
              "parse (→ ConcurrencyLine) | execution (→ FinishedRunningStats) | after (→ exit) | "
              "models + tests in the floor |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for res in results:
        rr = res["rounds"]
        assert isinstance(rr, list)
        lines.append(f"| {res['scale']} | {median(rr, 'dbt_seconds'):.1f} | {median(rr, 'dbt_import'):.2f} | "
                     f"{median(rr, 'dbt_parse'):.2f} | {median(rr, 'dbt_execution'):.2f} | "
                     f"{median(rr, 'dbt_after'):.2f} | {rr[0]['floor_models']:.0f} + {rr[0]['floor_tests']:.0f} |")
    lines += ["", "## Sample generation", "",
              "`cadres sample --scale N` (streaming writer), once per scale in this run.", "",
              "| scale | seconds | CPU seconds | peak memory | raw files |", "| --- | --- | --- | --- | --- |"]
    for res in results:
        lines.append(f"| {res['scale']} | {res['sample_seconds']:.1f} | {res['sample_cpu']:.1f} | "
                     f"{res['sample_peak_gib']:.2f} GiB | "
                     f"{res['raw_mib']:.1f} MiB |")
    lines += ["", "## Every round", "",
              "CPU columns are user + system seconds of the whole process tree: on a shared machine they "
              "move less than wall time.", "",
              "| scale | round | refresh | refresh CPU | ingest | dbt in refresh | read | dbt alone | floor | "
              "old way | old way CPU | peak GiB |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for res in results:
        rr = res["rounds"]
        assert isinstance(rr, list)
        for n, r in enumerate(rr, start=1):
            lines.append(f"| {res['scale']} | {n} | {r['refresh']:.2f} | {r['refresh_cpu']:.2f} | "
                         f"{r['ingest']:.2f} | {r['dbt_in_refresh']:.2f} | {r['read']:.2f} | {r['dbt_seconds']:.2f} | "
                         f"{r['floor']:.2f} | {r['old_way']:.2f} | {r['old_way_cpu']:.2f} | {r['peak_gib']:.2f} |")
    lines += ["", "The old way (`bench/probes/old_way.py`) is a deliberately naive script, as the "
              "spreadsheets it replaces: its figures are not the warehouse's (性别 written 1/2 is missed, "
              "rejected rows count). It is timed, not trusted."]
    if dashboard:
        lines += render_dashboard(dashboard)
    lines.append(END)
    return "\n".join(lines) + "\n"


def render_dashboard(found: dict[str, object]) -> list[str]:
    """The dashboard part of the section: pages, queries, sessions (same run, same warehouses)."""
    pages, queries = found["pages"], found["queries"]
    assert isinstance(pages, dict) and isinstance(queries, dict)
    lines = ["", "## Dashboard (same run, on the warehouses refreshed above)", "",
             "`bench/bench_pages.py`: a real `streamlit run` on loopback and Debian's headless Chromium; "
             "**fully rendered** as that script defines it (the run ended, nothing stale, every chart "
             "drawn). Cold is a new browser context (no cached assets, a new session, the sign-in form "
             "filled: these warehouses have accounts); after a filter change is from the click on a "
             "region in the sidebar to the page redrawn. Medians over the rounds.", "",
             "| scale | page | cold | after a filter change | script runs (cold) | elements | errors |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    medians = pages["medians"]

    def med(row: dict, kind: str) -> str:
        return f"{row[kind]:.2f} s (n={row[f'{kind}_n']})" if row[kind] is not None else "—"

    for row in medians:
        lines.append(f"| {row['scale']} | {PAGE_NAMES.get(row['page'], row['page'])} | {med(row, 'cold')} | "
                     f"{med(row, 'filter')} | {'/'.join(map(str, row['cold_runs']))} | "
                     f"{'/'.join(map(str, row['elements']))} | {row['errors']} |")
    lines += ["", "Where a cold load's time goes (medians, ms from the navigation): HTML and main bundle / "
              "websocket open / first script run starts / last run ends / plotly.js arrived / KiB fetched.", ""]
    for row in medians:
        part = {key: "—" if value is None else f"{value:,.0f}" for key, value in (row["breakdown"] or {}).items()}
        kib = (row["breakdown"] or {}).get("asset_bytes") or 0
        lines.append(f"- scale {row['scale']}, {PAGE_NAMES.get(row['page'], row['page'])}: "
                     f"{part.get('dom', '—')} / {part.get('ws_open', '—')} / {part.get('first_run', '—')} / "
                     f"{part.get('last_run_end', '—')} / {part.get('plotly_bundle', '—')} / {kib / 1024:,.0f}")
    over = queries["p95_over_target"]
    lines += ["", f"`bench/bench_dashboard_queries.py` at scale {queries['scale']}: every query the pages make at "
              "4 scopes (全市, a region, a list at an older snapshot, a combination), replayed "
              f"{queries['repeat']} times on one read-only connection, the SQL compiled once and cached as the "
              "dashboard does.", "",
              "| scale | distinct page queries | median | p95 | max | CPU median / p95 | queries with a p95 over "
              f"{queries['target_ms']:.0f} ms |",
              "| --- | --- | --- | --- | --- | --- | --- |",
              f"| {queries['scale']} | {queries['queries']} | {queries['median_ms']:.1f} ms | "
              f"{queries['p95_ms']:.1f} ms | "
              f"{queries['max_ms']:.1f} ms | {queries['cpu_median_ms']:.1f} / {queries['cpu_p95_ms']:.1f} ms | "
              f"{len(over)} |", ""]
    lines += [f"- {q['p95_ms']:.0f} ms p95 (median {q['median_ms']:.0f}, CPU {q['cpu_ms']:.0f}): {q['query']}"
              for q in over]
    sessions = pages.get("concurrency")
    if isinstance(sessions, dict):
        def sec(value: float | None) -> str:
            return "—" if value is None else f"{value:.1f} s"

        expected = sessions["sessions"] * (len(sessions["visits"]) + 1)
        visits = " then ".join(PAGE_NAMES.get(v, v) for v in sessions["visits"])
        lines += ["", f"{sessions['sessions']} sessions at once, scale {sessions['scale']}: one server, one Chromium "
                  "with a browser context per session on the same 2 cores, each signing in, visiting "
                  f"{visits} and changing the region once.", "",
                  "| sessions | page times finished | median | p95 | max | server memory idle → peak | errors | "
                  "base-path probes (404, expected) |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |",
                  f"| {sessions['sessions']} | {sessions['page_loads']} of {expected} | {sec(sessions['median'])} | "
                  f"{sec(sessions['p95'])} | {sec(sessions['max'])} | {sessions['rss_idle'] / 2**20:.0f} → "
                  f"{sessions['rss_peak'] / 2**20:.0f} MiB | {len(sessions['errors'])} | "
                  f"{sessions.get('base_path_probes', 0)} |"]
        lines += [f"  - {error[:300]}" for error in sessions["errors"][:10]]
    return lines


def write_results(path: Path, section: str) -> None:
    """Replace the bench section of ``path``, keeping everything else (the dashboard section)."""
    if path.exists() and BEGIN in (text := path.read_text(encoding="utf-8")) and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        path.write_text(before + section + "\n" + after, encoding="utf-8")
    else:
        path.write_text(section, encoding="utf-8")


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10],
                        help="sample scales to measure (1 10 100 300; 300 is slow)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds per scale (median)")
    parser.add_argument("--rounds", nargs="*", default=[], metavar="SCALE=N",
                        help="fewer (or more) rounds at one scale, e.g. 300=1: a scale-300 round takes ~12 minutes")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed after)")
    parser.add_argument("--note", default="", help="a sentence for RESULTS.md, e.g. about a shared machine")
    parser.add_argument("--dashboard", action="store_true",
                        help="then measure the dashboard on this run's warehouses (queries, pages, sessions)")
    parser.add_argument("--query-scale", type=int, default=300, help="scale of the query benchmark")
    parser.add_argument("--page-scales", type=int, nargs="+", default=[1, 300], help="scales of the page benchmark")
    parser.add_argument("--page-repeat", type=int, default=3, help="rounds of the page benchmark")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (0: none)")
    parser.add_argument("--sessions-scale", type=int, default=100, help="scale of the concurrency run")
    args = parser.parse_args()
    if args.dashboard:
        wanted = {args.query_scale, *args.page_scales} | ({args.sessions_scale} if args.sessions else set())
        if missing := sorted(wanted - set(args.scales)):
            parser.error(f"--dashboard measures scales {missing} that --scales does not refresh")
    info = machine() | {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": git_commit()}
    start_load = load()
    rounds = {int(scale): int(n) for scale, n in (item.split("=", 1) for item in args.rounds)}
    command = (f"bench/run.py --scales {' '.join(map(str, args.scales))} --repeat {args.repeat}"
               + (f" --rounds {' '.join(args.rounds)}" if args.rounds else "")
               + (f" --dashboard --query-scale {args.query_scale} --page-scales "
                  f"{' '.join(map(str, args.page_scales))} --page-repeat {args.page_repeat} --sessions "
                  f"{args.sessions} --sessions-scale {args.sessions_scale}" if args.dashboard else ""))
    began = time.perf_counter()
    start_loop = loop_seconds()
    with tempfile.TemporaryDirectory(prefix="cadres-bench-") as temp:
        work = args.work or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        results = [measure_scale(scale, rounds.get(scale, args.repeat), work) for scale in args.scales]
        dashboard = measure_dashboard(work, args) if args.dashboard else None
    section = render(results, info, args.note, args.repeat, (start_load, load()), (start_loop, loop_seconds()),
                     command, dashboard)
    write_results(args.out, section)
    print(section)
    say(f"wrote {args.out} in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
