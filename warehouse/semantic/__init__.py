"""The dbt semantic layer, read from Python: every number the project shows goes through here.

dbt defines the metrics (``dbt_project/models/marts/metrics/*.yml``); a refresh stores the
semantic manifest dbt wrote in the published file (``meta.semantic_manifest``), so the
definitions always match the data they describe. :mod:`catalog` reads it, :mod:`compiler` turns
a query shape into SQL with MetricFlow (compile only, cached), :mod:`query` binds a scope and
runs the SQL on a read-only DuckDB connection the caller owns.
"""

from warehouse.semantic.catalog import Catalog, Dimension, Metric
from warehouse.semantic.query import MetricResult, Scope, run_metrics

__all__ = ["Catalog", "Dimension", "Metric", "MetricResult", "Scope", "run_metrics"]
