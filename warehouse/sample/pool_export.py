"""The four talent-pool snapshots, each in its own export layout, with the planted faults.

What is planted where (the warehouse's rejects and warnings should list exactly these):

* 2015-12-31.xlsx, 副科级以上党外干部: a row whose 性别 contradicts the ID (rejected).
* 2016-12-31.xlsx, 非公有制经济代表人士: 身份类别 ``国有企业`` (rejected).
* 2017-12-31/新社会阶层人士.csv: 入库时间 ``去年`` (rejected).
* 2017-12-31/副科级以上党外干部.csv: one person twice, the second row with another 成熟度
  (duplicate, first row counts); a 职务层次 conflict with 民主党派代表人士.csv.
* 2018-04-30.xlsx: a 中共党员 row and a row with a bad check digit (rejected, extra persons);
  an exact duplicate row on 党外知识分子; three cross-sheet conflicts (职务层次; 职务层次 and
  专业领域; 成熟度) where the earlier list holds the true value.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from warehouse.sample.ids import with_wrong_check
from warehouse.sample.model import Defect, PoolMember, PoolRecord
from warehouse.sample.people import Population
from warehouse.sample.pool import birth_in_decade
from warehouse.sample.pool_tables import (
    SNAPSHOT_2_COLUMNS,
    SNAPSHOT_3_COLUMNS,
    Layout,
    PoolRenderer,
    number_rows,
    plant_conflict,
    plant_duplicate,
    plant_invalid,
    to_tables,
)
from warehouse.sample.profiles import Offices, complete
from warehouse.sample.tables import Table

LAYOUTS: tuple[Layout, ...] = (
    Layout(blank=tuple(range(7)), totals=(0, 3)),
    Layout(columns=SNAPSHOT_2_COLUMNS, titled=(0, 1, 2, 3)),
    Layout(csv=True, columns=SNAPSHOT_3_COLUMNS, titled=(0, 1, 3), blank=(0,), totals=(0,)),
    Layout(blank=(0, 1, 2), totals=(0, 3, 6)),
)


@dataclass(frozen=True)
class InvalidRow:
    """A planted invalid pool row: where it goes and what is wrong with it."""

    snapshot: int
    list_index: int
    sector: str
    column: str
    reason: str
    tag: str


INVALID_ROWS: tuple[InvalidRow, ...] = (
    InvalidRow(0, 0, "党政机关", "性别", "性别与身份证号不符", "reject:sex"),
    InvalidRow(1, 6, "体制外", "身份类别", "身份类别不在允许值内", "reject:sector"),
    InvalidRow(2, 4, "体制外", "入库时间", "入库时间不是可识别的日期", "reject:date"),
    InvalidRow(3, 0, "党政机关", "政治面貌", "政治面貌为中共党员，不是党外人士", "reject:cpc"),
    InvalidRow(3, 3, "事业单位", "身份证号", "身份证号校验码错误", "reject:check_digit"),
)


def _defect(plan: InvalidRow, member: PoolMember) -> Defect:
    values = {
        "性别": "女" if member.person.sex == "男" else "男",
        "身份类别": "国有企业",
        "入库时间": "去年",
        "政治面貌": "中共党员",
        "身份证号": with_wrong_check(member.person.pid),
    }
    return Defect(plan.column, values[plan.column], plan.reason)


def export_pool(
    rng: random.Random,
    pop: Population,
    renderer: PoolRenderer,
    members: list[PoolMember],
    offices: Offices,
) -> Iterator[tuple[list[Table], list[PoolRecord]]]:
    """Each snapshot's talent-pool tables and the meaning of every row in them, one snapshot
    at a time (so the caller can write and drop a snapshot before the next is rendered)."""
    for snapshot, layout in enumerate(LAYOUTS):
        excel = not layout.csv
        sheets = renderer.snapshot_rows(members, snapshot, excel)
        for plan in (p for p in INVALID_ROWS if p.snapshot == snapshot):
            member = PoolMember(
                person=pop.person(
                    rng.choice(("男", "女")), birth_in_decade(rng, rng.choice((1970, 1980)))
                ),
                sector=plan.sector,
                field="其他",
                present=[s == snapshot for s in range(4)],
                readiness=[None] * 4,
                entered=renderer.entry_day(snapshot),
            )
            complete(rng, [member], offices)
            plant_invalid(
                renderer, sheets, snapshot, plan.list_index, member, _defect(plan, member),
                plan.tag, excel,
            )  # fmt: skip
        if snapshot == 2:
            plant_conflict(sheets, 0, 1, "conflict:rank", {"职务层次": "<other rank>"})
        if snapshot == 3:
            plant_conflict(
                sheets, 0, 1, "conflict:rank", {"职务层次": "正处级"},
                accept=lambda r: r.record.rank == "副厅级",
            )  # fmt: skip
            plant_conflict(
                sheets, 0, 3, "conflict:rank+field",
                {"职务层次": "<other rank>", "专业领域": "<other field>"},
            )  # fmt: skip
            plant_conflict(sheets, 1, 3, "conflict:readiness", {"成熟度": "<other readiness>"})
        number_rows(sheets)
        if snapshot == 2:
            plant_duplicate(sheets, 0, "duplicate:changed", other_readiness=True)
        if snapshot == 3:
            plant_duplicate(sheets, 3, "duplicate:exact")
        yield to_tables(sheets, snapshot, layout), [r.record for rows in sheets for r in rows]
