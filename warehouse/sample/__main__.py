"""Command line: ``python -m warehouse.sample [--out seeds/raw] [--seed 2018] [--scale 1]``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from warehouse.sample.generate import generate_sample


def main(argv: list[str] | None = None) -> None:
    """Generate the sample folder and say how long it took."""
    parser = argparse.ArgumentParser(description="Write the synthetic raw-export sample.")
    parser.add_argument("--out", type=Path, default=Path("seeds/raw"))
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    generate_sample(args.out, seed=args.seed, scale=args.scale)
    seconds = time.perf_counter() - began
    print(f"wrote {args.out} (seed {args.seed}, scale {args.scale}) in {seconds:.1f}s")


if __name__ == "__main__":
    main()
