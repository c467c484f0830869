"""The order in which a dimension's values are shown: the reference tables' order.

Generations, ranks, regions and the coded values (性别, 身份类别 …) have an order of their own
in the reference seeds; a chart lists them in it rather than by size. Dimensions are matched by
the part of MetricFlow's name after ``__`` (``pool_membership__rank`` → ``rank``).
"""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.connection import query

# dimension name → the ref_code_values domain that orders it
_CODE_DOMAINS = {
    "sex": "sex", "sector": "sector", "holder_sector": "sector", "field": "field", "readiness": "readiness",
    "training_type": "training_type", "host_level": "host_level", "completion_status": "completion_status",
    "appointment_category": "appointment_category", "team_type": "team_category",
    "selection_method": "selection_method",
}
_TABLES = {
    "region": "select region_name as value, sort_order from main.dim_region",
    "post_region": "select region_name as value, sort_order from main.dim_region",
    "list_name": "select list_name as value, list_id as sort_order from main.dim_list",
    "education": "select education_name as value, sort_order from main.ref_education",
    "rank": "select rank_name as value, rank_order as sort_order from main.ref_ranks",
    "holder_highest_rank": "select rank_name as value, rank_order as sort_order from main.ref_ranks",
    "affiliation": "select affiliation_name as value, sort_order from main.ref_affiliations",
}
# values the models add for "none of the above": always last
_LAST = ("未评定", "不在库", "其他", "未填写")


def _short(dimension: str) -> str:
    return dimension.rsplit("__", 1)[-1]


def value_order(dimension: str) -> dict[str, int]:
    """value → position for ``dimension``; empty where no reference order exists."""
    short = _short(dimension)
    if short in _TABLES:
        frame = query(_TABLES[short])
    elif short in _CODE_DOMAINS:
        frame = query("select code_value as value, sort_order from main.ref_code_values where domain = $domain",
                      {"domain": _CODE_DOMAINS[short]})
    else:
        return {}
    return {str(v): int(o) for v, o in frame.iter_rows()}


def ordered(values: Iterable[object], dimension: str, weights: dict[str, float] | None = None) -> list[str]:
    """``values`` in the reference order (years, dates and generations in their own), else by
    size; "none of the above" values last."""
    shown = [str(v) for v in values if v is not None]
    order = value_order(dimension)
    short = _short(dimension)
    if order:
        return sorted(shown, key=lambda v: (v in _LAST, order.get(v, 999), v))
    if short.endswith(("_year", "_date", "generation")) or short == "metric_time__day":
        return sorted(shown, key=lambda v: (v in _LAST, v))
    size = weights or {}
    return sorted(shown, key=lambda v: (v in _LAST, -size.get(v, 0), v))
