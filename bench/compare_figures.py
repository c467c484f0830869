"""Do two warehouses built from the same raw exports give the same numbers? (issue 8: a change to
the dbt models for speed must not change a figure.)

Usage: python bench/compare_figures.py OLD_WAREHOUSE NEW_WAREHOUSE [--random 12] [--seed 8]

Asks both warehouses, through the metric layer as the dashboard does, for every metric the
catalogs share (the key figures among them) at a grid of scopes: every snapshot × (the whole
city, each region, each list, each sector, and ``--random`` random combinations of several
regions, lists and sectors), plus each snapshot's key figures asked together with their
comparison snapshots in one statement (``figures_at``, as 总览 does), plus (``--series``) each
metric alone by snapshot at every scope of the grid, as the trend lines ask (a snapshot row
that one warehouse has and the other lacks is a difference). Prints how many values were
compared and every difference; exit code 1 when any differs. Asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import SemanticReader


def scopes(reader: SemanticReader, count: int, seed: int) -> list[Scope]:
    """The grid: each value of each filter alone, then random combinations, at every snapshot."""
    options = reader.options
    alone = [Scope(), *(Scope(regions=(r,)) for r in options.regions), *(Scope(lists=(v,)) for v in options.lists),
             *(Scope(sectors=(v,)) for v in options.sectors)]
    rng = random.Random(seed)
    combined = [Scope(regions=tuple(rng.sample(options.regions, rng.randint(2, 4))),
                      lists=tuple(rng.sample(options.lists, rng.randint(0, 3))),
                      sectors=tuple(rng.sample(options.sectors, rng.randint(0, 2)))) for _ in range(count)]
    return [Scope(s.regions, s.sectors, s.lists, when) for when in options.snapshots for s in alone + combined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--random", type=int, default=12, help="random multi-value scopes per snapshot")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--series", action="store_true", help="also each metric alone by snapshot")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with open_reader(args.old) as old, open_reader(args.new) as new:
        if old.options != new.options:
            print(f"scope options differ: {old.options} / {new.options}")
            return 1
        metrics = sorted(set(old.catalog.metrics) & set(new.catalog.metrics))
        only = sorted(set(old.catalog.metrics) ^ set(new.catalog.metrics))
        compared = differences = 0
        grid = scopes(old, args.random, args.seed)
        for scope in grid:
            answers = [reader.query(metrics, scope=scope) for reader in (old, new)]
            for name in metrics:
                values = [answer.value(name) for answer in answers]
                notes = [answer.notes.get(name) for answer in answers]
                compared += 1
                if values[0] != values[1] or notes[0] != notes[1]:
                    differences += 1
                    print(f"DIFF {name} @ {scope.describe()} {scope.snapshot}: {values[0]} / {values[1]} "
                          f"({notes[0]} / {notes[1]})")
        for when in old.options.snapshots:  # 总览's one statement for a figure and its comparisons
            info = old.snapshot_info(when)
            dates = [d for d in (when, info.prior_year, info.year_start) if d]
            for scope in [Scope(), *(s for s in grid if s.snapshot == when and len(s.regions) > 1)]:
                answers = [reader.figures_at(scope, dates) for reader in (old, new)]
                for day in dates:
                    for a, b in zip(answers[0][day], answers[1][day], strict=True):
                        compared += 1
                        if (a.value, a.note) != (b.value, b.note):
                            differences += 1
                            print(f"DIFF figures_at {a.figure_id} @ {scope.describe()} {day}: {a.value} / {b.value}")
        if args.series:
            for scope in {Scope(s.regions, s.sectors, s.lists) for s in grid}:
                for name in metrics:
                    frames = [reader.series([name], scope) for reader in (old, new)]
                    compared += frames[0].height
                    if not frames[0].equals(frames[1]):
                        differences += 1
                        print(f"DIFF series {name} @ {scope.describe()}:\n{frames[0]}\n{frames[1]}")
    print(f"{args.old} vs {args.new}: {len(grid)} scopes, {len(metrics)} metrics in both"
          f"{f' (only in one: {only})' if only else ''}; {compared} values compared, {differences} differ "
          f"({time.perf_counter() - started:.0f} s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
