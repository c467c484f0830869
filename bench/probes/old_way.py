"""Probe: "the old way" — the pandas + openpyxl script a clerk would write for 5 pool figures.

    python bench/probes/old_way.py RAW_DIR      → prints {"seconds": …, "figures": {…}}

For every talent-pool snapshot: read every sheet (or every CSV of the snapshot folder), take
the row holding 姓名 as the header, stack the lists, keep one row per 身份证号, then count:
pool total, 80后 (出生年月 in the 1980s), women (性别 == 女), ethnic minority (民族 ≠ 汉族)
and people per 身份类别.  Deliberately naive, as the spreadsheets it replaces: no ID check,
性别 written as 1/2 is missed, a 中共党员 row is counted.  It is timed, not trusted.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd


def with_header(frame: pd.DataFrame) -> pd.DataFrame:
    """Use the first row that holds 姓名 as the header; drop rows without an ID (合计 …)."""
    at = next(i for i, row in enumerate(frame.itertuples(index=False)) if "姓名" in row)
    body = frame.iloc[at + 1:].copy()
    body.columns = [str(c).strip() for c in frame.iloc[at]]
    return body.dropna(subset=["身份证号"])


def read_csv(path: Path) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, header=None, dtype=str, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(path)


def snapshot(path: Path) -> pd.DataFrame:
    if path.is_dir():
        frames = [read_csv(csv) for csv in sorted(path.glob("*.csv"))]
    else:
        frames = list(pd.read_excel(path, sheet_name=None, header=None, dtype=str,
                                    engine="openpyxl").values())
    pool = pd.concat([with_header(f) for f in frames], ignore_index=True)
    return pool.drop_duplicates(subset="身份证号")


def figures(pool: pd.DataFrame) -> dict[str, object]:
    return {
        "pool_total": len(pool),
        "born_1980s": int(pool["出生年月"].astype(str).str[:3].eq("198").sum()),
        "women": int((pool["性别"] == "女").sum()),
        "ethnic_minority": int((pool["民族"] != "汉族").sum()),
        "sectors": {str(k): int(v) for k, v in pool["身份类别"].value_counts().items()},
    }


def main() -> None:
    raw = Path(sys.argv[1])
    started = time.perf_counter()
    result = {}
    for path in sorted((raw / "talent_pool").iterdir()):
        if path.is_dir() or path.suffix == ".xlsx":
            result[path.stem] = figures(snapshot(path))
    print(json.dumps({"seconds": time.perf_counter() - started, "figures": result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
