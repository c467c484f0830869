"""Probe: the refresh's ingest stage alone — read, check, normalise, separate, land.

    python bench/probes/ingest_stage.py RAW_DIR [--profile OUT.prof]
        → prints {"seconds": …, "cpu": …, "peak_rss_mib": …, "rows_landed": …, "rejects": …}

The same steps as ``warehouse.refresh._build`` before dbt (``ingest`` → ``separate`` → ``land``
→ ``write_store``), into a temporary folder, so the ingest can be timed and profiled without
dbt and against ``plain_read.py`` on the same files.  ``cpu`` is this process's user + system
seconds (polars threads included); ``peak_rss_mib`` its peak resident memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from warehouse.ingest import ingest, land
from warehouse.personal.separate import separate
from warehouse.personal.store import store_path, write_store


def stage(raw: Path, folder: Path) -> tuple[int, int]:
    """The ingest stage into ``folder``; the rows landed and the rejects."""
    result = ingest(raw)
    personal = separate(result, b"bench-secret-not-a-real-one")
    built = folder / "cadres.duckdb"
    with duckdb.connect(str(built)) as connection:
        land(result, connection)
        landed = sum(connection.execute(f'SELECT count(*) FROM landing."{name}"').fetchone()[0]
                     for name in ("talent_pool", "training_classes", "training_participants",
                                  "appointments", "leadership_teams"))
    write_store(store_path(built), personal)
    return landed, len(result.rejects)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", type=Path)
    parser.add_argument("--profile", type=Path, help="write cProfile stats here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cadres-ingest-") as temp:
        started, cpu = time.perf_counter(), time.process_time()
        if args.profile:
            profiler = cProfile.Profile()
            landed, rejects = profiler.runcall(stage, args.raw, Path(temp))
            profiler.dump_stats(args.profile)
        else:
            landed, rejects = stage(args.raw, Path(temp))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_rss_mib": peak, "rows_landed": landed,
                      "rejects": rejects}))


if __name__ == "__main__":
    main()
