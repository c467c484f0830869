"""Where the semantic manifest lives: in the warehouse file it describes.

A refresh copies dbt's ``semantic_manifest.json`` into ``meta.semantic_manifest`` of the build
file before publishing, so the dashboard and the command line always read the metric
definitions of the data they show, and a publish swaps both at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.errors import RefreshError


def store_semantic_manifest(connection: Any, manifest: Path) -> None:
    """Copy dbt's semantic manifest into ``meta.semantic_manifest`` (one row)."""
    if not manifest.exists():
        raise RefreshError(f"dbt 没有生成语义层清单（{manifest.name}），未发布")
    connection.execute("CREATE SCHEMA IF NOT EXISTS meta")
    connection.execute("CREATE OR REPLACE TABLE meta.semantic_manifest (manifest VARCHAR)")
    connection.execute("INSERT INTO meta.semantic_manifest VALUES (?)", [manifest.read_text(encoding="utf-8")])
