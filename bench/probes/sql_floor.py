"""Probe: the SQL floor — every model and data test of the last dbt build as plain DuckDB SQL.

    python bench/probes/sql_floor.py WAREHOUSE DBT_TARGET   → prints {"seconds": …, …}

Takes the compiled SQL that dbt wrote into the refresh's target folder (``manifest.json``,
``run_results.json``), copies the published warehouse (it holds the landing schema and the
reference seeds) and re-creates every model that the build ran — a table or a view, as
materialised — then runs every data test as ``SELECT count(*)``, in dependency order, on one
connection.  No dbt, no Python between statements: what the SQL itself costs.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb


def statements(target: Path) -> list[tuple[str, str]]:
    """(unique_id, SQL) of every model and test the last build ran, in dependency order."""
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    ran = {r["unique_id"] for r in json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]}
    nodes = {uid: n for uid, n in manifest["nodes"].items()
             if uid in ran and n["resource_type"] in ("model", "test")}
    order = TopologicalSorter({uid: [d for d in n["depends_on"]["nodes"] if d in nodes]
                               for uid, n in nodes.items()}).static_order()
    out = []
    for uid in order:
        node = nodes[uid]
        sql = node.get("compiled_code")
        if not sql:
            raise SystemExit(f"no compiled SQL for {uid}: run a refresh first")
        if node["resource_type"] == "test":
            out.append((uid, f"SELECT count(*) FROM ({sql}\n) AS t"))
        elif node["config"]["materialized"] == "view":
            out.append((uid, f"CREATE OR REPLACE VIEW {node['relation_name']} AS {sql}"))
        elif node["config"]["materialized"] != "ephemeral":
            out.append((uid, f"CREATE OR REPLACE TABLE {node['relation_name']} AS {sql}"))
    return out


def main() -> None:
    warehouse, target = Path(sys.argv[1]), Path(sys.argv[2])
    todo = statements(target)
    with tempfile.TemporaryDirectory(prefix="floor-") as work:
        copy = Path(work) / warehouse.name  # same file name: same catalog name as in the SQL
        shutil.copyfile(warehouse, copy)
        started = time.perf_counter()
        with duckdb.connect(str(copy)) as connection:
            for _, sql in todo:
                connection.execute(sql).fetchall()
        seconds = time.perf_counter() - started
    tests = sum(1 for uid, _ in todo if uid.startswith("test."))
    print(json.dumps({"seconds": seconds, "models": len(todo) - tests, "tests": tests}))


if __name__ == "__main__":
    main()
