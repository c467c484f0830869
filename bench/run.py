"""Benchmark the refresh against its floor and against the old way; write bench/RESULTS.md.

    .venv/bin/python bench/run.py                       # scales 1 and 10, 3 rounds each
    .venv/bin/python bench/run.py --scales 1 10 100 300 # the whole table (scale 300 is slow)

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

Figures are medians over the rounds.  Each probe runs in a fresh process.  The results go
between the ``bench`` markers of RESULTS.md; the rest of the file (the dashboard section,
which another script fills) is kept.
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
DASHBOARD = """## Dashboard

Filled by the dashboard benchmark (issue 12, item 5). **Not measured yet** — no figures here
until that script has run.

| scale | page rendered in Chromium, cold | after a filter change | slowest query p95 | 20 sessions: p95 |
| --- | --- | --- | --- | --- |
| 1 | not measured yet | not measured yet | not measured yet | not measured yet |
| 300 | not measured yet | not measured yet | not measured yet | not measured yet |
"""


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


def measure_scale(scale: int, repeat: int, work: Path) -> dict[str, object]:
    """Every figure of one scale; the raw values of every round are kept."""
    raw, warehouse = work / f"raw-{scale}", work / f"wh-{scale}" / "cadres.duckdb"
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


def median(rounds: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def render(results: list[dict[str, object]], info: dict[str, str], note: str, repeat: int,
           loads: tuple[str, str], command: str) -> str:
    """The benchmark section of RESULTS.md."""
    lines = [BEGIN, "# Benchmark results", "",
             f"Measured {info['date']} at commit `{info['commit']}` with `{command}`.", "",
             f"Machine: {info['cores']} cores, {info['memory']}, {info['cpu']}; {info['system']}, "
             f"Python {info['python']}. Load average at start {loads[0]}, at the end {loads[1]}.", ""]
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
              "rejected rows count). It is timed, not trusted.", END]
    return "\n".join(lines) + "\n"


def write_results(path: Path, section: str) -> None:
    """Replace the bench section of ``path``, keeping everything else (the dashboard section)."""
    if path.exists() and BEGIN in (text := path.read_text(encoding="utf-8")) and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        path.write_text(before + section + "\n" + after, encoding="utf-8")
    else:
        path.write_text(section + "\n" + DASHBOARD, encoding="utf-8")


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
    args = parser.parse_args()
    info = machine() | {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": git_commit()}
    start_load = load()
    rounds = {int(scale): int(n) for scale, n in (item.split("=", 1) for item in args.rounds)}
    command = (f"bench/run.py --scales {' '.join(map(str, args.scales))} --repeat {args.repeat}"
               + (f" --rounds {' '.join(args.rounds)}" if args.rounds else ""))
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cadres-bench-") as temp:
        work = args.work or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        results = [measure_scale(scale, rounds.get(scale, args.repeat), work) for scale in args.scales]
    section = render(results, info, args.note, args.repeat, (start_load, load()), command)
    write_results(args.out, section)
    print(section)
    say(f"wrote {args.out} in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
