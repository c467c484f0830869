"""较上年同期 and 较年初: a figure at a snapshot against the same figure at the snapshot dbt names.

Which snapshot is "a year before" and which is "the start of the year" is a rule, so it lives in
dbt (``dim_snapshot.prior_year_snapshot_date`` / ``year_start_snapshot_date``); here the same
metric is only asked for again at that date and the two values are subtracted. A comparison
that cannot be made (no such snapshot, or a figure empty at either date) carries a one-line
Chinese reason instead of a number, so nothing shows a change that was never measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from warehouse.semantic.query import Scope
from warehouse.semantic.reader import Figure, SemanticReader

PRIOR_YEAR = "较上年同期"
YEAR_START = "较年初"
_NO_SNAPSHOT = {PRIOR_YEAR: "没有约一年前（前后半年内）的快照", YEAR_START: "没有上年末或本年更早的快照"}


@dataclass(frozen=True)
class Change:
    """One figure against one earlier snapshot; ``note`` says why ``delta`` is empty."""

    kind: str  # PRIOR_YEAR or YEAR_START
    against: date | None
    before: float | None
    delta: float | None
    share: float | None  # relative change of a count; None for ratios (their change is in points)
    note: str | None = None


@dataclass(frozen=True)
class Compared:
    figure: Figure
    prior_year: Change
    year_start: Change


def _change(kind: str, figure: Figure, against: date | None, before: Figure | None) -> Change:
    if against is None:
        return Change(kind, None, None, None, None, _NO_SNAPSHOT[kind])
    if figure.value is None or before is None or before.value is None:
        return Change(kind, against, None, None, None, figure.note or (before.note if before else None)
                      or f"{against.isoformat()} 的数值为空")
    delta = figure.value - before.value
    share = delta / before.value if figure.unit != "比率" and before.value else None
    return Change(kind, against, before.value, delta, share)


def compare(reader: SemanticReader, scope: Scope, ids: Sequence[str] | None = None) -> list[Compared]:
    """The figures (``ids`` or the key figures) at ``scope`` with both comparisons."""
    scope = reader.options.check(scope)
    assert scope.snapshot is not None  # check() fills in the latest
    info = reader.snapshot_info(scope.snapshot)
    wanted = [when for when in (scope.snapshot, info.prior_year, info.year_start) if when is not None]
    found = reader.figures_at(scope, wanted, ids)  # one statement for the three dates
    figures = found[scope.snapshot]

    def at(when: date | None) -> dict[str, Figure]:
        return {} if when is None else {f.figure_id: f for f in found[when]}

    prior, start = at(info.prior_year), at(info.year_start)
    return [Compared(f, _change(PRIOR_YEAR, f, info.prior_year, prior.get(f.figure_id)),
                     _change(YEAR_START, f, info.year_start, start.get(f.figure_id))) for f in figures]


def change_text(change: Change, unit: str) -> str:
    """A change as a leader reads it: ``+120（+15.4%）``, ``+8.3个百分点``, ``持平``; the sign is
    ASCII so that a reader (Streamlit's delta arrow) can tell a fall from a rise."""
    if change.delta is None:
        return "—"
    if unit == "比率":
        points = change.delta * 100
        return "持平" if round(points, 1) == 0 else f"{points:+.1f}个百分点"
    if round(change.delta) == 0:
        return "持平"
    text = f"{round(change.delta):+,}"
    return text + (f"（{change.share:+.1%}）" if change.share is not None else "")
