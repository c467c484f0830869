"""The talent-pool snapshots as stewards export them, with the planted faults.

Each snapshot is laid out differently, the way four years of exports from changing systems
would be: a workbook with titles and blank rows, one with its own column order, a folder of
CSVs in two encodings, and the latest workbook.  On top of the faithful rows the renderer
plants invalid rows (extra persons that must be rejected), an exact duplicate row, and
cross-sheet conflicts whose first-list values are the true ones, so every figure stays exact.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import date

from warehouse.sample.dates import Cell, DateStyler
from warehouse.sample.model import Defect, PoolMember, PoolRecord
from warehouse.sample.pool import entry_date
from warehouse.sample.profiles import Offices
from warehouse.sample.reference import (
    AFFILIATION_VARIANTS,
    EDUCATION_VARIANTS,
    LISTS,
    POOL_COLUMNS,
    RANK_VARIANTS,
    REGIONS,
    SNAPSHOTS,
    snapshot_title,
)
from warehouse.sample.tables import Row, Table

SNAPSHOT_2_COLUMNS = (
    "序号", "姓名", "身份证号", "性别", "出生年月", "民族", "政治面貌", "所在地区",
    "工作单位及职务", "职务层次", "最高学历", "身份类别", "专业领域", "成熟度", "入库时间",
    "推荐单位", "备注",
)  # fmt: skip
SNAPSHOT_3_COLUMNS = (
    "序号", "所在地区", "姓名", "性别", "民族", "身份证号", "出生年月", "最高学历", "政治面貌",
    "身份类别", "工作单位及职务", "职务层次", "成熟度", "专业领域", "推荐单位", "入库时间",
    "备注",
)  # fmt: skip
GB18030_LISTS = (0, 2, 3)
"""Lists of the CSV snapshot exported by the older system, in GB18030."""
REMARKS = ("2017年调整入库", "挂职锻炼中", "市政协委员", "参加递进培训", "县人大代表", "待复核")
REGION_ORDER = {name: i for i, (_, name) in enumerate(REGIONS)}


@dataclasses.dataclass(slots=True)
class PoolRow:
    """A rendered row and what it means."""

    row: Row
    record: PoolRecord


class PoolRenderer:
    """Renders members to rows; one instance per generation run."""

    def __init__(
        self,
        rng: random.Random,
        offices: Offices,
        birth_styler: DateStyler,
        entry_styler: DateStyler,
    ) -> None:
        self.rng = rng
        self.offices = offices
        self.birth = birth_styler
        self.entry = entry_styler
        self.records: list[PoolRecord] = []

    def entry_day(self, snapshot: int) -> date:
        """An 入库时间 for a planted extra person first seen on ``snapshot``."""
        return entry_date(self.rng, snapshot)

    def rank_at(self, m: PoolMember, snapshot: int) -> str:
        """Rank on a snapshot: the highest sitting post then, else the member's usual rank."""
        top = self.offices.top(m.person.pid, SNAPSHOTS[snapshot])
        return top.rank if top else m.base_rank

    def post_at(self, m: PoolMember, snapshot: int) -> str:
        """Unit and post on a snapshot, from the sitting post if there is one."""
        top = self.offices.top(m.person.pid, SNAPSHOTS[snapshot])
        return f"{top.org}{top.title}" if top else m.base_post

    def render(self, m: PoolMember, snapshot: int, list_index: int, excel: bool) -> PoolRow:
        """One faithful row for a member on one list of one snapshot."""
        rng = self.rng
        person = m.person
        rank = self.rank_at(m, snapshot)
        readiness = m.readiness[snapshot]
        sex_cell: Cell = person.sex
        draw = rng.random()
        if draw < 0.07:
            sex_cell = None
        elif draw < 0.15:
            sex_cell = "1" if person.sex == "男" else "2"
        ethnicity: Cell = person.ethnicity
        if rng.random() < 0.25:
            ethnicity = ethnicity.removesuffix("族")
        remark = rng.choice(REMARKS) if rng.random() < 0.08 else None
        cells: dict[str, Cell] = {
            "序号": 0,
            "姓名": person.name_text(rng),
            "性别": sex_cell,
            "民族": ethnicity,
            "出生年月": None if rng.random() < 0.05 else self.birth.cell(person.birth, excel=excel),
            "身份证号": person.id_text(rng),
            "政治面貌": rng.choice(AFFILIATION_VARIANTS[m.affiliation]),
            "最高学历": rng.choice(EDUCATION_VARIANTS[m.education]),
            "工作单位及职务": self.post_at(m, snapshot),
            "职务层次": _rank_text(rng, rank),
            "身份类别": m.sector,
            "所在地区": m.region,
            "专业领域": None if m.field_blank else m.field,
            "成熟度": readiness,
            "入库时间": self.entry.cell(m.entered, excel=excel),
            "推荐单位": m.recommender,
            "备注": remark,
        }
        record = PoolRecord(
            snapshot=snapshot,
            list_index=list_index,
            pid=person.pid,
            valid=True,
            sex=person.sex,
            ethnicity=person.ethnicity,
            birth=person.birth,
            sector=m.sector,
            readiness=readiness,
            field=m.field,
            rank=rank,
        )
        return PoolRow(Row(cells), record)

    def snapshot_rows(
        self, members: list[PoolMember], snapshot: int, excel: bool
    ) -> list[list[PoolRow]]:
        """Rows of every list of one snapshot, ordered by region and entry date."""
        present = [m for m in members if m.present[snapshot]]
        present.sort(key=lambda m: (REGION_ORDER.get(m.region, 0), m.entered, m.person.pid))
        sheets: list[list[PoolRow]] = []
        for list_index in range(len(LISTS)):
            if snapshot == 0 and list_index == 5:
                sheets.append([])
                continue
            sheets.append(
                [
                    self.render(m, snapshot, list_index, excel)
                    for m in present
                    if list_index in m.lists
                ]
            )
        return sheets


def _rank_text(rng: random.Random, rank: str) -> str:
    variants = RANK_VARIANTS[rank]
    return variants[-1] if len(variants) > 1 and rng.random() < 0.2 else variants[0]


def plant_invalid(
    renderer: PoolRenderer,
    sheets: list[list[PoolRow]],
    snapshot: int,
    list_index: int,
    member: PoolMember,
    defect: Defect,
    tag: str,
    excel: bool,
) -> None:
    """Insert a row for ``member`` (who is on no other row) that breaks one rule."""
    planted = renderer.render(member, snapshot, list_index, excel)
    planted.row.cells[defect.column] = defect.value
    planted.row.tag = tag
    planted.row.column = defect.column
    planted.row.reason = defect.reason
    planted.record = dataclasses.replace(planted.record, valid=False)
    rows = sheets[list_index]
    rows.insert(len(rows) // 2, planted)


def plant_duplicate(
    sheets: list[list[PoolRow]], list_index: int, tag: str, *, other_readiness: bool = False
) -> PoolRow:
    """Repeat an ordinary row later on the same sheet: exactly, or with another 成熟度."""
    rows = sheets[list_index]
    plain = [i for i, r in enumerate(rows) if not r.row.tag]
    at = plain[len(plain) // 3]
    original = rows[at]
    cells = dict(original.row.cells)
    record = original.record
    if other_readiness:
        readiness = "近期可用" if record.readiness != "近期可用" else "中长期培养"
        cells["成熟度"] = readiness
        record = dataclasses.replace(record, readiness=readiness)
    reason = "同一名单内身份证号重复：以第一行为准，此行不计"
    rows.insert(at + 7, PoolRow(Row(cells, tag, "身份证号", reason), record))
    return original


def plant_conflict(
    sheets: list[list[PoolRow]],
    first: int,
    later: int,
    tag: str,
    change: dict[str, str | None],
    accept: Callable[[PoolRow], bool] = lambda r: True,
) -> PoolRow:
    """Give a person on lists ``first`` and ``later`` different values on the later sheet.

    The first list's row keeps the person's true values; the warehouse must let it win.
    """
    on_first = {r.record.pid for r in sheets[first]}
    candidates = [
        r for r in sheets[later] if r.record.pid in on_first and not r.row.tag and accept(r)
    ]
    target = candidates[len(candidates) // 2]
    fields = {"职务层次": "rank", "专业领域": "field", "成熟度": "readiness"}
    updates: dict[str, str | None] = {}
    for column, wanted in change.items():
        value = wanted
        if wanted == "<other rank>":
            value = "正科级" if target.record.rank != "正科级" else "副科级"
        elif wanted == "<other field>":
            value = "旅游" if target.record.field != "旅游" else "农业"
        elif wanted == "<other readiness>":
            value = "近期可用" if target.record.readiness != "近期可用" else "中长期培养"
        target.row.cells[column] = value
        updates[fields[column]] = value
    target.record = dataclasses.replace(target.record, **updates)
    target.row.tag = tag
    target.row.column = "+".join(change)
    earliest = next(
        i for i, rows in enumerate(sheets) if any(r.record.pid == target.record.pid for r in rows)
    )
    target.row.reason = f"与《{LISTS[earliest]}》中同一人的属性不一致：以该名单为准"
    return target


def number_rows(sheets: list[list[PoolRow]]) -> None:
    """Fill 序号 1, 2, 3 ... (before duplicates are planted, so copies keep their number)."""
    for rows in sheets:
        for n, r in enumerate(rows, start=1):
            r.row.cells["序号"] = n


@dataclasses.dataclass(frozen=True)
class Layout:
    """How one snapshot's export is laid out."""

    csv: bool = False
    columns: tuple[str, ...] = POOL_COLUMNS
    titled: tuple[int, ...] = tuple(range(7))
    blank: tuple[int, ...] = ()
    totals: tuple[int, ...] = ()


def to_tables(sheets: list[list[PoolRow]], snapshot: int, layout: Layout) -> list[Table]:
    """Lay one snapshot's sheets out as its export format dictates."""
    day: date = SNAPSHOTS[snapshot]
    tables = []
    for list_index, rows in enumerate(sheets):
        name = LISTS[list_index]
        if layout.csv:
            path = f"talent_pool/{day:%Y-%m-%d}/{name}.csv"
            encoding = "gb18030" if list_index in GB18030_LISTS else "utf-8-sig"
        else:
            path, encoding = f"talent_pool/{day:%Y-%m-%d}.xlsx", None
        distinct = sum(1 for r in rows if not r.row.tag.startswith("duplicate"))
        tables.append(
            Table(
                path=path,
                sheet=name,
                columns=list(layout.columns),
                rows=[r.row for r in rows],
                title=snapshot_title(day) if list_index in layout.titled else None,
                blank_rows=1 if list_index in layout.blank else 0,
                total_label=f"合计：共{distinct}人" if list_index in layout.totals else None,
                encoding=encoding,
            )
        )
    return tables
