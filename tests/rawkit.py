"""Small raw-export folders for tests: valid by default, each part replaceable.

Tests describe the rows they care about; everything else is a minimal valid export, so a
failing test points at the one thing it changed.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from warehouse.contract import (
    APPOINTMENTS,
    LEADERSHIP_TEAMS,
    TALENT_POOL,
    TRAINING_CLASSES,
    TRAINING_PARTICIPANTS,
)
from warehouse.normalise.idcard import check_digit

Row = dict[str, Any]
REGION_CODES = ("511100", "511102", "511111", "511112", "511113", "511123", "511124",
                "511126", "511129", "511132", "511133", "511181")


def make_id(birth: str = "19800101", sequence: int = 1, female: bool = False,
            region: str = "511102") -> str:
    """A valid 18-digit ID number for a synthetic person."""
    sex_digit = sequence * 2 % 10 if female else (sequence * 2 + 1) % 10
    first17 = f"{region}{birth}{sequence // 10 % 100:02d}{sex_digit}"
    return first17 + check_digit(first17)


def person(sequence: int = 1, **overrides: Any) -> Row:
    """A valid talent-pool row."""
    row: Row = {
        "序号": sequence, "姓名": f"测试{sequence}", "性别": "男", "民族": "汉族",
        "出生年月": "1980.01", "身份证号": make_id("19800101", sequence),
        "政治面貌": "民盟盟员", "最高学历": "大学本科", "工作单位及职务": "乐山市某局副局长",
        "职务层次": "副处级", "身份类别": "党政机关", "所在地区": "市中区", "专业领域": "旅游",
        "成熟度": "近期可用", "入库时间": "2015-06-01", "推荐单位": "市委统战部", "备注": "",
    }
    row.update(overrides)
    return row


def training_class(class_id: str = "C001", **overrides: Any) -> Row:
    row: Row = {"班次编号": class_id, "班次名称": "递进培训班", "培训类型": "递进培训班",
                "主办层级": "市级", "主办单位": "市委统战部", "开始日期": "2017-03-01",
                "结束日期": "2017-03-10", "学时": 40}
    row.update(overrides)
    return row


def participant(class_id: str = "C001", sequence: int = 1, **overrides: Any) -> Row:
    row: Row = {"班次编号": class_id, "姓名": f"测试{sequence}",
                "身份证号": make_id("19800101", sequence), "结业情况": "结业"}
    row.update(overrides)
    return row


def appointment(sequence: int = 1, **overrides: Any) -> Row:
    row: Row = {"姓名": f"测试{sequence}", "身份证号": make_id("19800101", sequence),
                "任用类别": "领导职务", "任职机构名称": "市中区政协", "所在地区": "市中区",
                "班子类别": "政协", "职务名称": "副主席", "职务层次": "副处级",
                "任职时间": "2016-12-01", "免职时间": "", "选拔任用方式": "换届选举",
                "岗位类型": "综合型", "人岗相适": "相适", "任职文号": "乐委〔2016〕1号",
                "免职文号": ""}
    row.update(overrides)
    return row


def teams() -> list[Row]:
    """The 36 leadership teams, five seats each."""
    return [{"行政区划代码": code, "地区": code, "班子类别": kind, "核定领导职数": 5}
            for code in REGION_CODES for kind in ("人大常委会", "政府", "政协")]


def write_xlsx(path: Path, sheets: dict[str, tuple[Sequence[str], list[Row]]],
               title: str | None = None) -> None:
    """A workbook with one sheet per entry: header row (after an optional title) and rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(path)
    workbook.set_properties({"created": datetime(2018, 5, 1)})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, (headers, rows) in sheets.items():
        sheet = workbook.add_worksheet(name)
        top = 0
        if title:
            sheet.merge_range(0, 0, 0, max(len(headers) - 1, 1), title)
            top = 2
        sheet.write_row(top, 0, headers)
        for r, row in enumerate(rows, start=top + 1):
            for c, header in enumerate(headers):
                value = row.get(header)
                if isinstance(value, date):
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day),
                                         date_format)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif value is not None and value != "":
                    sheet.write_string(r, c, str(value))
    workbook.close()


def write_csv(path: Path, headers: Sequence[str], rows: list[Row], encoding: str = "utf-8",
              title: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        if title:
            writer.writerow([title])
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])


def write_raw(root: Path, *, pool: dict[str, dict[str, list[Row]]] | None = None,
              classes: list[Row] | None = None, participants: list[Row] | None = None,
              appointments: list[Row] | None = None, leadership_teams: list[Row] | None = None,
              ) -> Path:
    """A complete raw folder; ``pool`` maps a snapshot date to {list name: rows}."""
    pool = pool if pool is not None else {"2018-04-30": {"副科级以上党外干部": [person(1)]}}
    for snapshot, lists in pool.items():
        write_xlsx(root / "talent_pool" / f"{snapshot}.xlsx",
                   {name: (TALENT_POOL.headers, rows) for name, rows in lists.items()},
                   title=f"党外干部人才库名单（截至{snapshot}）")
    write_xlsx(root / "training" / "classes.xlsx",
               {"Sheet1": (TRAINING_CLASSES.headers,
                           classes if classes is not None else [training_class()])})
    write_xlsx(root / "training" / "participants.xlsx",
               {"Sheet1": (TRAINING_PARTICIPANTS.headers,
                           participants if participants is not None else [participant()])})
    write_xlsx(root / "appointments.xlsx",
               {"Sheet1": (APPOINTMENTS.headers,
                           appointments if appointments is not None else [appointment()])})
    write_xlsx(root / "leadership_teams.xlsx",
               {"Sheet1": (LEADERSHIP_TEAMS.headers,
                           leadership_teams if leadership_teams is not None else teams())})
    return root
