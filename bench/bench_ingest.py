"""Ingest against a plain polars read of the same files, for one or more checkouts (issue 12, item 2).

    .venv/bin/python bench/bench_ingest.py --raw 10=/tmp/raw10 --raw 100=/tmp/raw100 \\
        --checkout before=../base --checkout after=. --repeat 3

A script a person runs, not a test: it prints a Markdown table and asserts nothing. For every
scale, ``--repeat`` interleaved rounds of: the ingest stage of each checkout
(``probes/ingest_stage.py`` run by that checkout's own ``.venv`` — read, check, normalise,
separate, land, restricted store: what ``cadres refresh`` times as ``ingest``), then the plain
read (``probes/plain_read.py``). Each in a fresh process; wall seconds, CPU seconds (user +
system, the steadier figure on a shared machine) and peak resident memory of the process tree
(``treemem``). Medians over the rounds; peak memory is the largest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from treemem import Run, run

BENCH = Path(__file__).resolve().parent
PROBES = BENCH / "probes"


def pair(text: str) -> tuple[str, Path]:
    name, _, path = text.partition("=")
    if not path:
        raise argparse.ArgumentTypeError(f"expected NAME=PATH, got {text!r}")
    return name, Path(path).resolve()


def measured(command: list[str], cwd: Path, what: str) -> Run:
    result = run(command, cwd=cwd)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-2000:] + result.stderr[-4000:])
        raise SystemExit(f"{what} failed (exit {result.returncode})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=pair, action="append", required=True, help="SCALE=RAW_DIR")
    parser.add_argument("--checkout", type=pair, action="append", required=True,
                        help="NAME=CHECKOUT (its .venv is used)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for scale, raw in args.raw:
        runs: dict[str, list[Run]] = {name: [] for name, _ in [*args.checkout, ("read", None)]}
        for round_ in range(args.repeat):
            for name, checkout in args.checkout:
                runs[name].append(measured([str(checkout / ".venv/bin/python"), str(PROBES / "ingest_stage.py"),
                                            str(raw)], checkout, f"ingest ({name})"))
            runs["read"].append(measured([sys.executable, str(PROBES / "plain_read.py"), str(raw)], BENCH.parent,
                                         "plain read"))
            print(f"scale {scale} round {round_ + 1}: " + ", ".join(
                f"{name} {r[-1].seconds:.1f} s / {r[-1].cpu_seconds:.1f} cpu" for name, r in runs.items()),
                flush=True)
        read_wall = statistics.median(r.seconds for r in runs["read"])
        read_cpu = statistics.median(r.cpu_seconds for r in runs["read"])
        for name, results in runs.items():
            wall = statistics.median(r.seconds for r in results)
            cpu = statistics.median(r.cpu_seconds for r in results)
            peak = max(r.peak_bytes for r in results) / 2**20
            rows.append(f"| {scale} | {name} | {wall:.1f} | {cpu:.1f} | {wall / read_wall:.1f}× | "
                        f"{cpu / read_cpu:.1f}× | {peak:.0f} MiB |")
    print("\n| scale | run | wall s | CPU s | wall ÷ read | CPU ÷ read | peak memory |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
