"""``cadres figures``: the key figures (contract §10) for a scope, from the metric layer.

The figures are the metrics ``ref_key_figures`` lists; a figure the scope does not apply to
(a count of teams under a list filter, say) is empty with the one-line reason the metric's
semantic model gives.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from warehouse.semantic.query import Scope
from warehouse.semantic.reader import Figure


def plain_value(figure: Figure) -> int | float | None:
    """Counts as integers, ratios as floats rounded for reading."""
    if figure.value is None:
        return None
    if figure.unit == "比率":
        return round(figure.value, 4)
    return round(figure.value)


def as_json(as_of: date | None, scope: Scope, figures: list[Figure]) -> dict[str, object]:
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "scope": {"regions": list(scope.regions), "sectors": list(scope.sectors), "lists": list(scope.lists),
                  "snapshot": scope.snapshot.isoformat() if scope.snapshot else None},
        "figures": {f.figure_id: plain_value(f) for f in figures},
        "labels": {f.figure_id: f.label for f in figures},
        "units": {f.figure_id: f.unit for f in figures},
        "notes": {f.figure_id: f.note for f in figures if f.note},
    }


def display_width(text: str) -> int:
    """Terminal columns of a text: CJK characters and full-width punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def format_table(as_of: date | None, scope: Scope, figures: list[Figure]) -> str:
    """A Chinese table for the terminal, labels padded to line up the values."""
    width = max((display_width(f.label) for f in figures), default=0)
    lines = [f"关键指标（统计截止日期 {as_of}；范围：{scope.describe()}）", ""]
    for figure in figures:
        value = plain_value(figure)
        if value is None:
            shown = f"—（{figure.note}）" if figure.note else "—"
        else:
            shown = f"{value:.1%}" if figure.unit == "比率" else f"{value} {figure.unit}"
        lines.append(f"  {figure.label}{' ' * (width - display_width(figure.label))}  {shown}")
    return "\n".join(lines)
