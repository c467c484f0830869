"""The parts every format prints in the same order, as text: so the Word and the PDF briefing say
the same things and a test can read either back against the metric layer."""

from __future__ import annotations

from warehouse.report.content import Briefing, Headline, cn_date, target_text, value_text
from warehouse.semantic.comparison import Change, change_text

HEADINGS = ("一、主要情况", "二、关键指标", "三、图表", "附录：指标口径")
TABLE_HEADER = ("指标", "数值", "较上年同期", "较年初", "目标")


def meta_lines(briefing: Briefing) -> list[str]:
    """Scope, as-of date, what the comparisons compare with, who made it and when."""
    info = briefing.info

    def against(kind: str, when: object, reason: str) -> str:
        return f"{kind}：与 {when} 的快照比较" if when else f"{kind}：无（{reason}）"

    lines = [f"范围：{briefing.scope_text}", f"数据截至日期：{briefing.as_of.isoformat()}（{cn_date(briefing.as_of)}）",
             against("较上年同期", info.prior_year, "没有约一年前（前后半年内）的快照"),
             against("较年初", info.year_start, "没有上年末或本年更早的快照")]
    made = f"生成时间：{briefing.generated_at:%Y-%m-%d %H:%M}"
    if briefing.made_by:
        made += f"；生成人：{briefing.made_by}"
    return [*lines, made]


def _change_cell(change: Change, unit: str) -> str:
    return "—" if change.delta is None else change_text(change, unit)


def table_row(headline: Headline) -> tuple[str, str, str, str, str]:
    figure = headline.compared.figure
    value = f"{figure.hidden}{figure.unit}" if figure.hidden else value_text(figure.value, figure.unit)
    goal = target_text(figure.value, headline.target, figure.unit) or ""
    return (figure.label, value, _change_cell(headline.compared.prior_year, figure.unit),
            _change_cell(headline.compared.year_start, figure.unit), goal)


def section_notes(headlines: list[Headline]) -> str | None:
    """Why some figures of a section are “—” (the semantic models' reasons), once each."""
    notes = dict.fromkeys(h.compared.figure.note for h in headlines if h.compared.figure.note)
    return "显示为“—”的指标：" + "；".join(notes) + "。" if notes else None


def footnote(briefing: Briefing) -> str:
    hidden = next((h.compared.figure.hidden for _, headlines in briefing.sections for h in headlines
                   if h.compared.figure.hidden), None)
    return ("较上年同期、较年初为与所比较快照的差（括号内为增减百分比）；比率的变化以百分点计。"
            "“—”表示该范围不适用或没有可比较的快照。目标取自指标定义。"
            + (f"“{hidden}”表示人数过少（或为防止由合计推算而一并隐藏），不予显示，其增减亦不显示。" if hidden else ""))
