"""The key figures (contract §10) as the dbt model ``key_figures`` defines them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from warehouse.readonly import connect_readonly


@dataclass(frozen=True)
class KeyFigure:
    figure_id: str
    label: str
    value: float | None
    unit: str


def read_key_figures(warehouse: Path) -> tuple[date | None, list[KeyFigure]]:
    """The as-of date and the figures in their documented order."""
    with connect_readonly(warehouse) as connection:
        rows = connection.execute(
            "SELECT figure_id, label_zh, value, unit, as_of_date FROM main.key_figures "
            "ORDER BY sort_order"
        ).fetchall()
    as_of = rows[0][4] if rows else None
    return as_of, [KeyFigure(r[0], r[1], r[2], r[3]) for r in rows]


def plain_value(figure: KeyFigure) -> int | float | None:
    """Counts as integers, ratios as floats rounded for reading."""
    if figure.value is None:
        return None
    if figure.unit == "比率":
        return round(figure.value, 4)
    return round(figure.value)


def as_json(as_of: date | None, figures: list[KeyFigure]) -> dict[str, object]:
    return {"as_of": as_of.isoformat() if as_of else None,
            "figures": {f.figure_id: plain_value(f) for f in figures}}


def display_width(text: str) -> int:
    """Terminal columns of a text: CJK characters and full-width punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def format_table(as_of: date | None, figures: list[KeyFigure]) -> str:
    """A Chinese table for the terminal, labels padded to line up the values."""
    width = max((display_width(f.label) for f in figures), default=0)
    lines = [f"关键指标（统计截止日期 {as_of}）", ""]
    for figure in figures:
        value = plain_value(figure)
        shown = "—" if value is None else (f"{value:.1%}" if figure.unit == "比率" else f"{value} {figure.unit}")
        lines.append(f"  {figure.label}{' ' * (width - display_width(figure.label))}  {shown}")
    return "\n".join(lines)
