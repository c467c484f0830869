"""Benchmark: the refresh's ``dbt build`` under other materialisations and thread counts.

    python bench/bench_dbt_config.py WAREHOUSE [WAREHOUSE …] [--rounds 3]
        → prints a Markdown table (medians) and every round

Each WAREHOUSE is a published warehouse (its ``landing`` schema is what dbt builds from). For each
variant the dbt project is copied into a scratch folder with its ``intermediate`` models
materialised as views or as tables, and parsed once (not timed), so every timed build parses
partially, as a refresh does. Then the variants take turns, round after round (interleaved, so a
change in the machine's load hits them alike), each building a fresh copy of the warehouse with
the refresh's own command line. Wall seconds and CPU seconds (user + system of dbt's process) are
reported; on a shared machine the CPU column moves less.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from warehouse.dbt import dbt_command, dbt_environment
from warehouse.settings import DBT_PROJECT_DIR, DEFAULT_TERM_START, REFERENCE_DIR


@dataclass(frozen=True)
class Variant:
    name: str
    intermediate: str  # materialisation of models/intermediate
    threads: int


VARIANTS = (Variant("intermediate views, 2 threads", "view", 2),
            Variant("intermediate tables, 2 threads", "table", 2),
            Variant("intermediate tables, 1 thread", "table", 1))


def project_copy(root: Path, intermediate: str) -> Path:
    """dbt_project/ beside its reference seeds (``../seeds/reference``), intermediate as asked."""
    project = root / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dev", "*.duckdb*"))
    shutil.copytree(REFERENCE_DIR, root / "seeds" / "reference")
    config = project / "dbt_project.yml"
    text, count = re.subn(r"(intermediate:\n\s+\+materialized: )\w+", rf"\g<1>{intermediate}",
                          config.read_text(encoding="utf-8"))
    assert count == 1, "dbt_project.yml has no intermediate materialisation to set"
    config.write_text(text, encoding="utf-8")
    return project


def build(project: Path, work: Path, warehouse: Path, threads: int) -> tuple[float, float]:
    """One ``dbt build`` as the refresh runs it, on a fresh copy: (wall seconds, CPU seconds)."""
    database = work / warehouse.name
    shutil.copyfile(warehouse, database)
    term_start = DEFAULT_TERM_START.isoformat()
    args = ["build", "--target", "build", "--exclude-resource-type", "unit_test", "--threads", str(threads),
            "--project-dir", str(project), "--profiles-dir", str(project),
            "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
            "--vars", f"{{term_start: '{term_start}'}}"]
    env = dbt_environment(Path(database.name))
    env.pop("DBT_PROJECT_DIR")
    env["DBT_PROFILES_DIR"] = str(project)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(dbt_command(args), cwd=work, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"dbt build failed ({warehouse}):\n{done.stdout[-3000:]}")
    database.unlink()
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("warehouses", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-dbt-") as scratch:
        for warehouse in options.warehouses:
            works = {}
            for index, variant in enumerate(VARIANTS):
                root = Path(scratch) / f"{warehouse.parent.name}-{index}"
                project = project_copy(root, variant.intermediate)
                works[variant] = (project, root / "work")
                works[variant][1].mkdir()
                build(project, works[variant][1], warehouse, variant.threads)  # parse once, not timed
            timings: dict[Variant, list[tuple[float, float]]] = {v: [] for v in VARIANTS}
            for round_ in range(1, options.rounds + 1):
                for variant in VARIANTS:
                    wall, cpu = build(*works[variant], warehouse, variant.threads)
                    timings[variant].append((wall, cpu))
                    print(f"{warehouse} round {round_} {variant.name}: {wall:.1f} s, CPU {cpu:.1f} s", flush=True)
            size = warehouse.stat().st_size / 2**20
            for variant in VARIANTS:
                walls = [w for w, _ in timings[variant]]
                cpus = [c for _, c in timings[variant]]
                rows.append(f"| {warehouse} ({size:.0f} MiB) | {variant.name} | {statistics.median(walls):.1f} "
                            f"| {statistics.median(cpus):.1f} | {', '.join(f'{w:.1f}' for w in walls)} |")
    print("\n| warehouse | variant | dbt build, median s | CPU s, median | every round (wall s) |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
