"""The people behind a figure: who counts comes from the metric layer, names from the restricted store.

A metric grouped by the ``person`` entity (a foreign entity on ``person_key`` in the pool,
training and appointment semantic models) gives the persons the metric counts at a scope, so
the list and the figure can never disagree and no rule is restated here. Names and ID numbers
are joined from the restricted store; ID numbers leave this module masked (first 6, last 4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from warehouse.personal.mask import mask_id
from warehouse.personal.store import person_names
from warehouse.semantic.catalog import Catalog
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import SemanticReader

PERSON = "person"
COLUMNS = ("姓名", "身份证号（部分隐藏）")


def listable(catalog: Catalog) -> list[str]:
    """Metrics whose people can be listed: counts (a rate lists nobody) whose every semantic model
    carries the ``person`` entity (a count of teams does not). Person counts first, then counts
    of posts (whose people are those with at least one), each group by model and label."""
    found = [m for m in catalog.metrics.values() if m.models and not m.is_ratio
             and all(PERSON in catalog.models[name].foreign_entities for name in m.models)]
    return [m.name for m in sorted(found, key=lambda m: (m.unit != "人", m.models, m.label))]


def people_behind(reader: SemanticReader, warehouse: Path, metric: str, scope: Scope,
                  filters: Mapping[str, Sequence[str]] | None = None) -> pl.DataFrame:
    """姓名 and masked 身份证号 of everyone ``metric`` counts at ``scope`` and ``filters``."""
    frame = reader.query([metric], [PERSON], scope, filters).frame
    keys = frame.filter(pl.col(metric).fill_null(0) > 0)[PERSON].drop_nulls().to_list()
    if not keys:
        return pl.DataFrame(schema={name: pl.String for name in COLUMNS})
    named = person_names(warehouse, keys)
    return (named.select(pl.col("full_name").alias(COLUMNS[0]),
                         pl.col("id_number").map_elements(mask_id, return_dtype=pl.String).alias(COLUMNS[1]))
            .sort(COLUMNS[1], COLUMNS[0]))
