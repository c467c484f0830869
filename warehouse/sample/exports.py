"""Training, appointment and team tables in their export layouts.

Column order, titles and 合计 rows differ per file on purpose (the contract allows all of
them); the participants table is a plain UTF-8 CSV with one column the contract does not
know (联系电话), which the warehouse must report once and otherwise ignore.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

from warehouse.sample.dates import Cell, DateStyler
from warehouse.sample.model import Participation, Team, Tenure, TrainingClass
from warehouse.sample.reference import (
    APPOINTMENT_COLUMNS,
    PARTICIPANT_COLUMNS,
    RANK_VARIANTS,
    TEAM_COLUMNS,
)
from warehouse.sample.tables import Row, Table

CLASS_ORDER = (
    "班次名称",
    "班次编号",
    "开始日期",
    "结束日期",
    "培训类型",
    "主办层级",
    "主办单位",
    "学时",
)
TEAM_ORDER = ("地区", "班子类别", "行政区划代码", "核定领导职数")
EXTRA_COLUMN = "联系电话"
EXCEL_MAX_ROWS = 1_048_576
"""Rows an Excel worksheet can hold: a bigger export cannot be an .xlsx a steward could open."""


def class_table(classes: Sequence[TrainingClass], start: DateStyler, end: DateStyler) -> Table:
    """training/classes.xlsx: a title row, shuffled column order."""
    table = Table("training/classes.xlsx", "培训班次", list(CLASS_ORDER))
    table.title = "乐山市党外干部教育培训班次登记表（2014—2018年）"
    rows: list[Row] = []
    for c in classes:
        cells: dict[str, Cell] = {
            "班次编号": c.code,
            "班次名称": c.name,
            "培训类型": c.kind,
            "主办层级": c.level,
            "主办单位": c.host,
            "开始日期": start.cell(c.start, excel=True),
            "结束日期": end.cell(c.end, excel=True),
            "学时": c.hours,
        }
        row = Row(cells)
        if c.defect is not None:
            cells[c.defect.column] = c.defect.value
            row = Row(cells, "reject:class_dates", c.defect.column, c.defect.reason)
        rows.append(row)
    table.rows = rows
    return table


def participant_table(rng: random.Random, participants: Sequence[Participation]) -> Table:
    """training/participants.csv: plain UTF-8, no title, one unknown extra column.  Rows are
    rendered as the writer takes them (they draw on ``rng``: write before rendering on)."""
    columns = [*PARTICIPANT_COLUMNS, EXTRA_COLUMN]
    table = Table("training/participants.csv", "participants", columns, encoding="utf-8")
    table.rows = _participant_rows(rng, participants)
    return table


def _participant_rows(rng: random.Random, participants: Sequence[Participation]) -> Iterator[Row]:
    for p in participants:
        phone = f"1380000{rng.randrange(10000):04d}" if rng.random() < 0.8 else None
        cells: dict[str, Cell] = {
            "班次编号": p.defect.value if p.defect else p.class_code,
            "姓名": p.person.name_text(rng),
            "身份证号": p.person.id_text(rng),
            "结业情况": p.status,
            EXTRA_COLUMN: phone,
        }
        yield Row(cells, *_participant_note(p))


def _participant_note(p: Participation) -> tuple[str, str, str]:
    """(tag, column, reason) of a planted participant row; empty for an ordinary one."""
    if p.defect is not None:
        return f"reject:{p.tag}", p.defect.column, p.defect.reason
    if p.tag == "rejected_class":
        return "reject:rejected_class", "班次编号", "班次编号指向被拒收的班次"
    if p.tag == "duplicate_participant":
        return p.tag, "身份证号", "同一人在同一班次出现两次：计一次"
    return "", "", ""


def appointment_table(
    rng: random.Random, tenures: Sequence[Tenure], start: DateStyler, end: DateStyler
) -> Table:
    """appointments.xlsx: title and a blank row above the header, rows by start date.  Rows
    are rendered as the writer takes them (they draw on ``rng``).  When the rows would not fit
    on one Excel worksheet (a national-scale sample: 1.5 million tenures at scale 300), the
    export is appointments.csv, as a steward would have to send it (the contract takes either),
    with dates as text."""
    blank_rows = 1
    excel = len(tenures) + blank_rows + 2 <= EXCEL_MAX_ROWS  # + the title and the header
    table = Table("appointments.xlsx" if excel else "appointments.csv", "任免及安排", list(APPOINTMENT_COLUMNS),
                  encoding=None if excel else "utf-8")
    table.title = "乐山市党外干部职务任免及政治安排记录"
    table.blank_rows = blank_rows
    table.rows = _appointment_rows(rng, tenures, start, end, excel=excel)
    return table


def _appointment_rows(
    rng: random.Random, tenures: Sequence[Tenure], start: DateStyler, end: DateStyler, *, excel: bool
) -> Iterator[Row]:
    ordered = sorted(tenures, key=lambda t: (t.start, t.org, t.person.pid, t.title))
    for t in ordered:
        variants = RANK_VARIANTS[t.rank]
        rank = variants[-1] if len(variants) > 1 and rng.random() < 0.2 else variants[0]
        cells: dict[str, Cell] = {
            "姓名": t.person.name_text(rng),
            "身份证号": t.person.id_text(rng),
            "任用类别": t.category,
            "任职机构名称": t.org,
            "所在地区": t.region,
            "班子类别": t.team_type,
            "职务名称": t.title,
            "职务层次": rank,
            "任职时间": start.cell(t.start, excel=excel),
            "免职时间": end.cell(t.end, excel=excel),
            "选拔任用方式": t.method,
            "岗位类型": t.post_type,
            "人岗相适": t.fit,
            "任职文号": t.doc_in,
            "免职文号": t.doc_out or None,
        }
        row = Row(cells)
        if t.defect is not None:
            cells[t.defect.column] = t.defect.value
            row = Row(cells, f"reject:{t.defect.column}", t.defect.column, t.defect.reason)
        yield row


def team_table(teams: Sequence[Team]) -> Table:
    """leadership_teams.xlsx: title, its own column order and a 合计 row."""
    table = Table("leadership_teams.xlsx", "领导班子职数", list(TEAM_ORDER))
    assert set(TEAM_ORDER) == set(TEAM_COLUMNS)
    table.title = "乐山市市县两级人大、政府、政协领导班子职数配备表"
    table.rows = [
        Row({"行政区划代码": team.code, "地区": team.region, "班子类别": team.team_type, "核定领导职数": team.seats})
        for team in teams
    ]
    table.total_label = f"合计：{sum(t.seats for t in teams)}"
    return table
