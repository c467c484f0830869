"""What a briefing says, as data: every number asked of the metric layer, nothing computed here
but differences between two of its values.

The briefing is the key figures of contract §10 (``ref_key_figures``) at one scope and
snapshot, each 较上年同期 and 较年初 against the snapshots dbt's ``dim_snapshot`` names and
beside its target where the metric's ``meta.target`` has one; a few charts of the same metrics;
short Chinese sentences that state only those figures; and the 口径 of every metric used, from
the metrics' own descriptions. The writers (:mod:`warehouse.report.docx_writer`,
:mod:`warehouse.report.pdf_writer`) only lay this out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import polars as pl

from warehouse.accounts.visibility import Visibility, cells_of, narrows
from warehouse.semantic.comparison import Change, Compared, change_text, compare
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import SemanticReader, SnapshotInfo

TITLE = "党外干部工作简报"
MARKING = "内部资料　注意保存"
# the report's three parts, after Leshan's model; a key figure goes where its semantic model is
SECTIONS = (("源头选苗", ("pool_memberships",)), ("培训锻炼", ("training_classes", "training_participations")),
            ("梯次选配", ("tenures", "team_snapshots")))
PARTIAL_YEAR = "{year}（截至{month}月{day}日）"


@dataclass(frozen=True)
class Headline:
    compared: Compared
    target: float | None


@dataclass(frozen=True)
class Chart:
    """One chart's numbers: categories along the axis, one series per name."""

    title: str
    categories: list[str]
    series: dict[str, list[float | None]]  # None: a count hidden by small-cell suppression
    value_label: str
    percent: bool = False
    target: float | None = None
    highlight: str | None = None
    note: str | None = None


@dataclass
class Briefing:
    scope: Scope
    scope_text: str
    subject: str  # who the sentences are about: 全市, 市中区, 所选范围
    info: SnapshotInfo
    sections: list[tuple[str, list[Headline]]]
    sentences: list[str]
    charts: list[Chart]
    glossary: list[tuple[str, str, str]]  # label, unit, 口径
    made_by: str | None = None
    generated_at: datetime = field(default_factory=datetime.now)

    @property
    def as_of(self) -> date:
        return self.info.snapshot


def cn_date(when: date) -> str:
    return f"{when.year}年{when.month}月{when.day}日"


def value_text(value: float | None, unit: str) -> str:
    """A figure as printed: ``900人``, ``57.4%``; ``—`` when empty."""
    if value is None:
        return "—"
    if unit == "比率":
        return f"{value:.1%}"
    return f"{round(value):,}{unit}"


def _movement(change: Change, unit: str) -> str | None:
    """``增加120人（+15.4%）`` / ``减少3人`` / ``持平`` / ``提高2.1个百分点``; None when not measured."""
    if change.delta is None:
        return None
    text = change_text(change, unit)
    if text == "持平":
        return "持平"
    up = change.delta > 0
    if unit == "比率":
        return f"{'提高' if up else '下降'}{abs(change.delta) * 100:.1f}个百分点"
    share = f"（{change.share:+.1%}）" if change.share is not None else ""
    return f"{'增加' if up else '减少'}{abs(round(change.delta)):,}{unit}{share}"


def target_text(value: float | None, target: float | None, unit: str) -> str | None:
    """``已达到目标50%（高出7.4个百分点）`` or ``距目标80%尚差2.0个百分点``."""
    if target is None or value is None:
        return None
    goal = f"{target:.0%}" if unit == "比率" and round(target * 100, 6).is_integer() else value_text(target, unit)
    gap = value - target
    gap_text = f"{abs(gap) * 100:.1f}个百分点" if unit == "比率" else f"{abs(round(gap)):,}{unit}"
    if gap >= 0:
        return f"已达到目标{goal}" + (f"（高出{gap_text}）" if round(gap, 3) else "")
    return f"距目标{goal}尚差{gap_text}"


def _subject(scope: Scope) -> str:
    if not scope.on_persons:
        return "全市"
    if scope.regions and not scope.sectors and not scope.lists:
        return "、".join(scope.regions)
    return f"所选范围（{scope.describe()}）"


def _sentences(briefing_subject: str, info: SnapshotInfo, sections: list[tuple[str, list[Headline]]],
               yearly: tuple[str, str, list[tuple[str, float]]] | None) -> list[str]:
    """The main facts in Chinese; each number is a figure of the metric layer or a difference of two."""
    sentences: list[str] = []
    for title, headlines in sections:
        shown = [h for h in headlines if h.compared.figure.value is not None]
        if not shown:
            continue
        if title == SECTIONS[0][0]:
            lead, rest = shown[0], shown[1:]
            figure = lead.compared.figure
            text = (f"截至{cn_date(info.snapshot)}，{briefing_subject}{figure.label}为"
                    f"{value_text(figure.value, figure.unit)}")
            moves = []
            for change in (lead.compared.prior_year, lead.compared.year_start):
                moved = _movement(change, figure.unit)
                if moved and change.against:
                    moves.append(f"{change.kind}（{cn_date(change.against)}）{moved}")
            text += "，" + "，".join(moves) if moves else ""
            parts = [f"{h.compared.figure.label.removeprefix('其中')}"
                     f"{value_text(h.compared.figure.value, h.compared.figure.unit)}" for h in rest]
            sentences.append(text + ("。其中，" + "，".join(parts) if parts else "") + "。")
            continue
        parts = []
        for headline in shown:
            figure = headline.compared.figure
            part = f"{figure.label}{value_text(figure.value, figure.unit)}"
            goal = target_text(figure.value, headline.target, figure.unit)
            parts.append(part + (f"，{goal}" if goal else ""))
        sentences.append(f"{title}方面，" + "；".join(parts) + "。")
    if yearly is not None:
        label, unit, years = yearly
        if len(years) >= 2:
            (last_year, last), (year_before, before) = years[-1], years[-2]
            delta = last - before
            share = f"（{delta / before:+.1%}）" if before else ""
            moved = "持平" if delta == 0 else f"{'增加' if delta > 0 else '减少'}{abs(round(delta)):,}{unit}{share}"
            partial = "（进行中的年份不参与比较）" if info.year_in_progress else ""
            sentences.append(f"按全年计，{last_year}年{label}{round(last):,}{unit}，较{year_before}年{moved}{partial}。")
    return sentences


def _year_label(year: int, info: SnapshotInfo) -> str:
    if year == info.snapshot.year and info.year_in_progress:
        return PARTIAL_YEAR.format(year=year, month=info.snapshot.month, day=info.snapshot.day)
    return str(year)


def _by_year(frame: pl.DataFrame, year: str, category: str, measure: str, info: SnapshotInfo
             ) -> tuple[list[str], dict[str, list[float | None]]]:
    years = sorted({int(y) for y in frame[year].drop_nulls()})
    names = sorted({str(c) for c in frame[category].drop_nulls()})
    cells = {(int(y), str(c)): None if n is None else float(n)
             for y, c, n in frame.select(year, category, measure).iter_rows() if y is not None}
    return [_year_label(y, info) for y in years], {n: [cells.get((y, n), 0.0) for y in years] for n in names}


def _asker(reader: SemanticReader, visibility: Visibility | None
           ) -> Callable[[Sequence[str], Sequence[str], Scope], Any]:
    """``reader.query`` with the session's small-cell suppression applied, as the pages apply it
    (:meth:`Visibility.shown`): a leader's or county user's briefing hides what their pages hide."""

    def ask(metrics: Sequence[str], group_by: Sequence[str], scope: Scope) -> Any:
        result = reader.query(metrics, group_by, scope)
        if visibility is None:
            return result
        units = {name: reader.catalog.metric(name).unit for name in metrics}
        return replace(result, frame=visibility.shown(result.frame, group_by, units, narrowed=narrows(scope)))

    return ask


def _charts(reader: SemanticReader, scope: Scope, info: SnapshotInfo, visibility: Visibility | None
            ) -> tuple[list[Chart], list[str], tuple[str, str, list] | None]:
    """The key charts, the metrics they use, and the full-year totals of the training chart."""
    catalog = reader.catalog
    query = _asker(reader, visibility)
    charts: list[Chart] = []
    series = reader.series(["pool_total"], scope).filter(pl.col("snapshot_date") <= info.snapshot)
    charts.append(Chart(f"{catalog.metric('pool_total').label}（各快照）",
                        [d.isoformat() for d in series["snapshot_date"]],
                        {"在库人数": [float(v or 0) for v in series["pool_total"]]}, "人",
                        highlight=info.snapshot.isoformat()))
    sector = query(["pool_total"], ["pool_membership__sector"], scope).frame.drop_nulls(
        "pool_membership__sector").sort("pool_total", descending=True)
    charts.append(Chart("在库人员按身份类别", [str(v) for v in sector["pool_membership__sector"]],
                        {"在库人数": [None if v is None else float(v) for v in sector["pool_total"]]}, "人",
                        note=_hidden_note(sector["pool_total"], visibility)))
    trainees = query(["trainees"], ["training__start_year", "training__training_type"], scope).frame
    yearly = None
    if not trainees.is_empty():
        years, by_type = _by_year(trainees, "training__start_year", "training__training_type", "trainees", info)
        charts.append(Chart(f"每年{catalog.metric('trainees').label}（按培训类型）", years, by_type,
                            catalog.metric('trainees').unit,
                            note=" ".join(filter(None, ["标注“截至某月某日”的年份尚未结束，不与整年比较。",
                                                        _hidden_note(trainees["trainees"], visibility)]))))
        totals = query(["trainees"], ["training__start_year"], scope).frame.drop_nulls(
            "training__start_year").sort("training__start_year")
        full = [(str(int(y)), float(n or 0)) for y, n in totals.iter_rows()
                if not (int(y) == info.snapshot.year and info.year_in_progress)]
        yearly = (catalog.metric("trainees").label, catalog.metric("trainees").unit, full)
    share = "county_cppcc_nonparty_share"
    cppcc = query([share], ["team__region"], scope)
    if share not in cppcc.notes:
        frame = cppcc.frame.drop_nulls(share)
        if not frame.is_empty():
            charts.append(Chart(f"{catalog.metric(share).label}（按地区）", [str(v) for v in frame["team__region"]],
                                {catalog.metric(share).label: [float(v) for v in frame[share]]}, "占比",
                                percent=True, target=catalog.metric(share).target))
    return charts, ["pool_total", "trainees", share], yearly


def _hidden_note(values: pl.Series, visibility: Visibility | None) -> str | None:
    """Why some bars are missing, when suppression hid their counts."""
    if visibility is None or not values.is_null().any():
        return None
    return (f"未画出的格子人数不足{visibility.min_cell}人，或为防止由合计推算而一并隐藏"
            f"（与仪表盘“{visibility.hidden_text}”一致）。")


def build_briefing(reader: SemanticReader, scope: Scope, made_by: str | None = None,
                   visibility: Visibility | None = None) -> Briefing:
    """The whole briefing at ``scope`` (a bad region, list or date raises the reader's ScopeError).

    ``visibility``: the dashboard session's rights: a county session's briefing is its own region
    whatever ``scope`` asks, and a leader's or county's hides small counts as their pages do.
    ``None`` (``cadres report`` on the server, run by a steward who can read the files anyway):
    everything, exact."""
    if visibility is not None:
        scope = visibility.confine(scope)
    scope = reader.options.check(scope)
    assert scope.snapshot is not None
    info = reader.snapshot_info(scope.snapshot)
    compared = compare(reader, scope)
    catalog = reader.catalog
    if visibility is not None:  # the key figures as the same session's cards show them
        compared = visibility.shown_compared(compared, catalog, narrows(scope), cells=cells_of(reader, scope))
    sections: list[tuple[str, list[Headline]]] = [(title, []) for title, _ in SECTIONS]
    for item in compared:
        metric = catalog.metric(item.figure.figure_id)
        # a key figure over a model not named in SECTIONS still appears, in the last part
        index = next((i for i, (_, models) in enumerate(SECTIONS) if set(metric.models) <= set(models)),
                     len(SECTIONS) - 1)
        sections[index][1].append(Headline(item, metric.target))
    charts, chart_metrics, yearly = _charts(reader, scope, info, visibility)
    subject = _subject(scope)
    used = [c.figure.figure_id for c in compared] + [m for m in chart_metrics if m not in reader.figure_ids]
    glossary = [(catalog.metric(m).label, catalog.metric(m).unit, catalog.metric(m).description) for m in used]
    return Briefing(scope=scope, scope_text=scope.describe(), subject=subject, info=info, sections=sections,
                    sentences=_sentences(subject, info, sections, yearly), charts=charts, glossary=glossary,
                    made_by=made_by)
