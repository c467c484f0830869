"""From a clicked bar to the people behind it: what a chart's bars are, and the 人员名单 address.

A chart says once what its bars are (:class:`Drill`): the count listed, what each item of a
bar's ``customdata`` is (a dimension of the metric layer, the snapshot, or the series, when each
series is its own metric), and the page's own filters (近三年, 培训类型, 任用类别 …). A click
then gives a :class:`Target`: one metric, every condition of that bar and its snapshot, which
travels to 人员名单 in the address as labels a reader understands
(``people_where=培训类型:递进培训`` repeated, ``people_snapshot=2017-12-31``). No rule is
restated here: the conditions are the metric layer's own dimensions and values, and who counts
stays the metric's business (``warehouse.personal.people``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from dashboard import labels

SNAPSHOT = "metric_time__day"  # an axis that is the snapshot (a trend's bars)
SERIES = "series"  # an axis that is the series, each series its own metric (``Drill.series``)
IGNORED = ""  # an axis that says nothing about who (a cell's row label when the cell's key says it all)
SEPARATOR = ":"  # people_where=维度:取值

METRIC_PARAM, WHERE_PARAM, SNAPSHOT_PARAM = "people_metric", "people_where", "people_snapshot"


@dataclass(frozen=True)
class Target:
    """The people behind one bar: ``metric`` where every dimension of ``where`` is one of its
    values (as the reader sees them: 是/否 for flags), at ``snapshot`` (None: the sidebar's)."""

    metric: str
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    snapshot: date | None = None


@dataclass(frozen=True)
class Drill:
    """What a chart's bars are, for the 人员名单 link a click offers.

    ``metric``: the count listed (a non-person count names the metric whose people are behind
    it; each page's docstring says which). ``axes``: what each item of a bar's ``customdata`` is:
    a dimension (MetricFlow's name), :data:`SNAPSHOT`, :data:`SERIES` (the series name, whose
    metric ``series`` gives) or :data:`IGNORED`. ``where``: the page's own filters, dimension → values.
    ``shown``: per axis, drawn label → the dimension's value where they differ (a year marked
    截至M月D日, a class drawn with its month); an axis with a mapping offers no link for a label
    outside it (the 其他 bar). ``snapshot``: the chart's snapshot when no axis is.
    """

    metric: str
    axes: tuple[str, ...]
    where: Mapping[str, Sequence[str]] = field(default_factory=dict)
    series: Mapping[str, str] = field(default_factory=dict)
    shown: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    snapshot: date | None = None

    def target(self, point: Mapping[str, object]) -> Target | None:
        """The bar a selection ``point`` (as Streamlit hands it over) is, or None when the point
        is no bar with people behind it (a target marker, a blank value, the 其他 bar)."""
        items = point.get("customdata")
        if not isinstance(items, list | tuple) or len(items) < len(self.axes):
            return None
        metric, snapshot = self.metric, self.snapshot
        where: dict[str, list[str]] = {d: [reader_value(v) for v in vs] for d, vs in self.where.items()}
        for axis, item in zip(self.axes, items, strict=False):
            if axis == IGNORED:
                continue
            if item is None or str(item) in ("", labels.NOT_FILLED):
                return None
            value = str(item)
            if axis in self.shown:
                if value not in self.shown[axis]:
                    return None
                value = self.shown[axis][value]
            if axis == SERIES:
                if value not in self.series:
                    return None
                metric = self.series[value]
            elif axis == SNAPSHOT:
                snapshot = date.fromisoformat(value[:10])
            else:
                where[axis] = [reader_value(value)]
        return Target(metric, tuple((d, tuple(vs)) for d, vs in where.items()), snapshot)


def reader_value(value: object) -> str:
    """A dimension value as a reader sees it, in the address too: 是/否 for a flag."""
    return {"true": "是", "false": "否", "True": "是", "False": "否"}.get(str(value), str(value))


def condition(dimension_label: str, value: str) -> str:
    """One ``people_where`` item: ``培训类型:递进培训``."""
    return f"{dimension_label}{SEPARATOR}{value}"


def parse_condition(item: str) -> tuple[str, str]:
    """``培训类型:递进培训`` → (培训类型, 递进培训); an item without the separator has no value."""
    label, _, value = item.partition(SEPARATOR)
    return label, value
