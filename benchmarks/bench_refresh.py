"""Benchmark: ingest and full refresh at several sample scales; prints medians, never asserts.

    .venv/bin/python benchmarks/bench_refresh.py --scales 1 10 --repeat 3

Each measurement runs in a fresh child process so peak memory (max RSS) is the stage's own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INGEST_PROBE = """
import json, resource, sys, time
from pathlib import Path
from warehouse.ingest import ingest
started = time.perf_counter()
result = ingest(Path(sys.argv[1]))
seconds = time.perf_counter() - started
rows = sum(frame.height for frames in result.frames.values() for frame in frames)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rows": rows, "peak_mib": peak}))
"""


def measure_ingest(raw: Path) -> dict[str, float]:
    output = subprocess.run([sys.executable, "-c", INGEST_PROBE, str(raw)], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output)


def measure_refresh(raw: Path, warehouse: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "warehouse.cli", "refresh", "--raw", str(raw),
                    "--warehouse", str(warehouse)], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-refresh", action="store_true", help="measure the ingest only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        print(f"{'scale':>5} {'rows':>8} {'ingest s (median)':>18} {'peak MiB':>9} {'refresh s (median)':>19}")
        baseline: float | None = None
        for scale in args.scales:
            raw = Path(workdir) / f"raw-{scale}"
            subprocess.run([sys.executable, "-m", "warehouse.cli", "sample", "--out", str(raw),
                            "--scale", str(scale)], cwd=ROOT, check=True, capture_output=True)
            ingests = [measure_ingest(raw) for _ in range(args.repeat)]
            ingest_median = statistics.median(m["seconds"] for m in ingests)
            refresh = "-"
            if not args.no_refresh:
                warehouse = Path(workdir) / f"wh-{scale}" / "cadres.duckdb"
                refresh = f"{statistics.median(measure_refresh(raw, warehouse) for _ in range(args.repeat)):.1f}"
            baseline = baseline or ingest_median
            print(f"{scale:>5} {int(ingests[0]['rows']):>8} {ingest_median:>18.2f} "
                  f"{max(m['peak_mib'] for m in ingests):>9.0f} {refresh:>19}"
                  f"   (ingest ×{ingest_median / baseline:.1f} of scale {args.scales[0]})")


if __name__ == "__main__":
    main()
