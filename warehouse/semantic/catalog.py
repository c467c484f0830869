"""What the semantic manifest says: metrics with their labels, 口径, units and scope rules.

The manifest is dbt's ``semantic_manifest.json``. Each semantic model's ``config.meta.scope``
maps the dashboard's scope filters (``region``, ``sector``, ``list``) to the dimension that
narrows it (``{dimension: …, array: true}`` where the dimension holds a list, such as the lists a
person is on: any chosen value matches); a model without a mapping for a filter has
``scope_note`` saying why its metrics do not follow that filter. A dimension whose meta says
``filter_only`` narrows but is never offered as a breakdown. Nothing here restates a rule:
labels, filters and notes all come from the YAML beside the models.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

SCOPE_KINDS = ("region", "sector", "list")
METRIC_TIME = "metric_time__day"
# The entities whose rows are people of the pool or of training (not public posts).
PERSON_ENTITIES = ("pool_membership__", "list_membership__", "pool_flow__", "training__")


@dataclass(frozen=True)
class Dimension:
    """A group-by item: ``name`` is MetricFlow's qualified name (``entity__dimension``)."""

    name: str
    label: str
    model: str


@dataclass(frozen=True)
class Cell:
    """The one cell of a breakdown a card is (meta ``cell``): 其中“80后” is the 80后 row of the
    headline total by 年龄段. A card with a cell is hidden exactly when the suppressed breakdown
    hides that row, so the card and the breakdown cannot disagree."""

    dimension: str
    value: object


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    description: str
    unit: str
    kind: str
    models: tuple[str, ...]
    target: float | None = None
    # Small-count suppression (meta beside the metric, see visibility.py): a headline total is
    # always exact; a sensitive figure (over ethnicity, affiliation or a list) is hidden when
    # small even city-wide; figures of one ``partition`` add up to a total that is shown.
    headline: bool = False
    sensitive: bool = False
    partition: str | None = None
    cell: Cell | None = None

    @property
    def is_ratio(self) -> bool:
        return self.unit == "比率"


@dataclass(frozen=True)
class SemanticModel:
    name: str
    label: str
    scope: dict[str, str]
    scope_note: str | None
    dimensions: tuple[Dimension, ...]
    scope_arrays: frozenset[str] = frozenset()
    entity: str = ""
    foreign_entities: tuple[str, ...] = ()


def _scope(meta: dict[str, Any]) -> tuple[dict[str, str], frozenset[str]]:
    """meta.scope as kind → dimension, and the kinds whose dimension is an array."""
    scope: dict[str, str] = {}
    arrays: set[str] = set()
    for kind, target in (meta.get("scope") or {}).items():
        if isinstance(target, dict):
            scope[kind] = target["dimension"]
            if target.get("array"):
                arrays.add(kind)
        else:
            scope[kind] = target
    return scope, frozenset(arrays)


def _cell(meta: Any) -> Cell | None:
    """meta.cell as a :class:`Cell` (``{dimension, value}``), or None."""
    if not isinstance(meta, dict) or "dimension" not in meta or "value" not in meta:
        return None
    return Cell(str(meta["dimension"]), meta["value"])


@dataclass
class Catalog:
    """The metrics and dimensions of one semantic manifest."""

    manifest_json: str
    metrics: dict[str, Metric] = field(default_factory=dict)
    models: dict[str, SemanticModel] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Changes with the definitions: part of every compiled-SQL cache key."""
        return hashlib.sha256(self.manifest_json.encode("utf-8")).hexdigest()[:16]

    @classmethod
    def from_json(cls, manifest_json: str) -> Catalog:
        raw = json.loads(manifest_json)
        catalog = cls(manifest_json)
        measure_model: dict[str, str] = {}
        for model in raw.get("semantic_models", []):
            meta = (model.get("config") or {}).get("meta") or {}
            entity = model.get("primary_entity") or next(
                (e["name"] for e in model.get("entities", []) if e.get("type") == "primary"), model["name"])
            dimensions = tuple(
                Dimension(f"{entity}__{d['name']}", d.get("label") or d["name"], model["name"])
                for d in model.get("dimensions", [])
                if d.get("type") != "time" and not ((d.get("config") or {}).get("meta") or {}).get("filter_only"))
            scope, arrays = _scope(meta)
            foreign = tuple(e["name"] for e in model.get("entities", []) if e.get("type") == "foreign")
            catalog.models[model["name"]] = SemanticModel(
                name=model["name"], label=model.get("label") or model["name"], scope=scope,
                scope_note=meta.get("scope_note"), dimensions=dimensions, scope_arrays=arrays, entity=entity,
                foreign_entities=foreign)
            for measure in model.get("measures", []):
                measure_model[measure["name"]] = model["name"]
        raw_metrics = {m["name"]: m for m in raw.get("metrics", [])}

        def models_of(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
            metric = raw_metrics[name]
            params = metric.get("type_params") or {}
            found = {measure_model[m["name"]] for m in params.get("input_measures") or [] if m["name"] in measure_model}
            inputs = [params.get("numerator"), params.get("denominator"), *(params.get("metrics") or [])]
            for item in inputs:
                if item and item["name"] not in seen:
                    found |= models_of(item["name"], seen | {name})
            return found

        for name, metric in raw_metrics.items():
            meta = (metric.get("config") or {}).get("meta") or {}
            catalog.metrics[name] = Metric(
                name=name, label=metric.get("label") or name, description=metric.get("description") or "",
                unit=str(meta.get("unit") or ""), kind=metric.get("type", "simple"),
                models=tuple(sorted(models_of(name))), target=meta.get("target"),
                headline=bool(meta.get("headline")), sensitive=bool(meta.get("sensitive")),
                partition=meta.get("partition"), cell=_cell(meta.get("cell")))
        return catalog

    def metric(self, name: str) -> Metric:
        if name not in self.metrics:
            raise KeyError(name)
        return self.metrics[name]

    def partition(self, name: str) -> tuple[str, ...]:
        """The metrics of ``name``'s partition (meta ``partition``), in the manifest's order; the
        metric alone when it has none."""
        group = self.metric(name).partition
        if group is None:
            return (name,)
        return tuple(m for m, metric in self.metrics.items() if metric.partition == group)

    def total_of(self, name: str) -> str | None:
        """The headline total ``name``'s cell is a row of: the headline metric of its own models
        (人才库总数 for a pool card, 参训人数 for a training one)."""
        models = self.metric(name).models
        return next((m for m, metric in self.metrics.items() if metric.headline and metric.models == models), None)

    def counts_persons(self, name: str) -> bool:
        """Whether ``name`` counts people of the pool or of training, by their semantic models'
        entities (appointments and teams count public posts)."""
        return any(f"{self.models[m].entity}__".startswith(PERSON_ENTITIES) for m in self.metric(name).models)

    def scope_dimension(self, metric: str, kind: str) -> str | None:
        """The dimension a scope filter narrows for ``metric``, or None where it does not apply."""
        models = [self.models[m] for m in self.metric(metric).models]
        dimensions = {m.scope.get(kind) for m in models}
        return dimensions.pop() if len(dimensions) == 1 and None not in dimensions else None

    def scope_is_array(self, metric: str, kind: str) -> bool:
        """Whether the scope dimension of ``kind`` holds a list (match any chosen value)."""
        return any(kind in self.models[m].scope_arrays for m in self.metric(metric).models)

    def scope_note(self, metric: str) -> str:
        """Why a scope filter does not apply to ``metric`` (from the semantic model's meta)."""
        notes = [self.models[m].scope_note for m in self.metric(metric).models if self.models[m].scope_note]
        return notes[0] if notes else "该指标不适用于所选筛选条件"

    def dimensions_for(self, metrics: list[str]) -> list[Dimension]:
        """Group-by items every one of ``metrics`` can be broken down by (besides metric time)."""
        common: list[Dimension] | None = None
        for name in metrics:
            models = self.metric(name).models
            if len(models) != 1:
                return []
            own = self._reachable(self.models[models[0]])
            common = own if common is None else [d for d in common if d in own]
        return common or []

    def _reachable(self, model: SemanticModel) -> list[Dimension]:
        """A model's own dimensions, then those of the models its foreign entities point to
        (many-to-one joins MetricFlow makes, e.g. a list membership to the person in the pool)."""
        found = list(model.dimensions)
        for entity in model.foreign_entities:
            for other in self.models.values():
                if other.entity == entity and other is not model:
                    found += [d for d in other.dimensions if d not in found]
        return found

    def dimension(self, name: str) -> Dimension:
        for model in self.models.values():
            for dimension in model.dimensions:
                if dimension.name == name:
                    return dimension
        raise KeyError(name)


def read_catalog(connection: Any) -> Catalog:
    """The catalog stored in a published warehouse (``meta.semantic_manifest``)."""
    rows = connection.execute("SELECT manifest FROM meta.semantic_manifest").fetchall()
    if not rows:
        raise LookupError("meta.semantic_manifest is empty")
    return Catalog.from_json(rows[0][0])
