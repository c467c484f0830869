"""Probe: read every raw export with plain polars, nothing else (the floor for reading).

    python bench/probes/plain_read.py RAW_DIR      → prints {"seconds": …, "rows": …}

Every sheet of every .xlsx (calamine, all cells as text, no header logic) and every CSV
(decoded as UTF-8 or GB18030, all text).  No checks, no normalising: what any reader of
these files must at least pay.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import polars as pl


def read_csv(path: Path) -> pl.DataFrame:
    """A CSV as all-text columns, whatever its encoding (UTF-8, with BOM, or GB18030)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return pl.read_csv(text.encode("utf-8"), has_header=False, infer_schema_length=0,
                       truncate_ragged_lines=True)


def main() -> None:
    raw = Path(sys.argv[1])
    started = time.perf_counter()
    rows = 0
    for path in sorted(raw.rglob("*")):
        if path.suffix == ".xlsx":
            sheets = pl.read_excel(path, sheet_id=0, engine="calamine", has_header=False,
                                   infer_schema_length=0)
            rows += sum(frame.height for frame in sheets.values())
        elif path.suffix == ".csv":
            rows += read_csv(path).height
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))


if __name__ == "__main__":
    main()
