"""``cadres metrics``: the metric catalog with 口径, and any metric by any dimension.

``cadres metrics`` lists every metric of the published warehouse's semantic layer with its
Chinese label, unit and description; ``cadres metrics query METRIC… --by DIM… --where DIM=V,…``
answers a slice at the scope the flags give (the same scope flags as ``cadres figures``).
Dimension names are MetricFlow's (``pool_membership__sex``); the listing shows them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import polars as pl

from warehouse.errors import RefreshError
from warehouse.figures import display_width
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope


def list_metrics(warehouse: Path, *, as_json: bool) -> int:
    with open_reader(warehouse) as reader:
        catalog = reader.catalog
        rows = [{"metric": m.name, "label": m.label, "unit": m.unit, "description": m.description,
                 "dimensions": [d.name for d in catalog.dimensions_for([m.name])]}
                for m in sorted(catalog.metrics.values(), key=lambda m: (m.models, m.name))]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max(len(r["metric"]) for r in rows)
    for row in rows:
        print(f"{row['metric']:<{width}}  {row['label']}（{row['unit']}）")
        print(f"{'':<{width}}  口径：{row['description']}")
        print(f"{'':<{width}}  维度：{'、'.join(row['dimensions']) or '（仅统计截止日期）'}")
    print(f"\n共 {len(rows)} 个指标。查询：cadres metrics query 指标名 --by 维度 "
          "[--where 维度=值1,值2] [--region 地区]")
    return 0


def _filters(where: list[str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for item in where:
        dimension, sep, values = item.partition("=")
        if not sep or not dimension.strip() or not values.strip():
            raise RefreshError(f"筛选“{item}”应写成 维度=值1,值2")
        filters[dimension.strip()] = [v.strip() for v in values.split(",") if v.strip()]
    return filters


def query_metrics(warehouse: Path, args: argparse.Namespace, scope: Scope) -> int:
    with open_reader(warehouse) as reader:
        catalog = reader.catalog
        for name in args.metric_names:
            if name not in catalog.metrics:
                raise RefreshError(f"指标“{name}”不存在。可选：{'、'.join(sorted(catalog.metrics))}")
        allowed = {d.name for d in catalog.dimensions_for(args.metric_names)} | {"metric_time__day"}
        filters = _filters(args.where)
        for dimension in [*args.by, *filters]:
            if dimension not in allowed:
                raise RefreshError(f"维度“{dimension}”不适用于所选指标。可选：{'、'.join(sorted(allowed))}")
        checked = reader.options.check(scope)
        if "metric_time__day" in args.by and scope.snapshot is None:  # by snapshot: every snapshot
            checked = Scope(checked.regions, checked.sectors, checked.lists)
        result = reader.query(args.metric_names, args.by, checked, filters)
    frame = result.frame.sort(args.by) if args.by else result.frame
    labels = {d: (catalog.dimension(d).label if d != "metric_time__day" else "统计截止日期") for d in args.by}
    labels |= {m: catalog.metric(m).label for m in args.metric_names}
    if args.json:
        print(json.dumps({"rows": frame.to_dicts(), "labels": labels, "notes": result.notes},
                         ensure_ascii=False, default=str))
    elif args.csv:
        print(frame.rename(labels).write_csv(), end="")
    else:
        print(_table(frame.rename(labels)))
        for metric, note in result.notes.items():
            print(f"注：{catalog.metric(metric).label}为空——{note}")
    return 0


def _table(frame: pl.DataFrame) -> str:
    cells = [[str(c) for c in frame.columns]] + [["—" if v is None else str(v) for v in row] for row in frame.rows()]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(frame.columns))]
    return "\n".join("  ".join(v + " " * (w - display_width(v)) for v, w in zip(row, widths, strict=True)).rstrip()
                     for row in cells)
