"""What the warehouse must compute from the generated sample: the spec others check against.

``EXPECTED_FIGURES`` are the article's figures (contract §10) at the as-of date 2018-04-30
with the term starting 2016-11-01, for ``generate_sample(seed=2018, scale=1)``.  A number
must come out exactly; ``(">=", x)`` means the article says "x 以上 / x 余" and the figure
must be at least x.  ``sample_figures`` gives the exact value the sample plants for every
figure (also for the ">=" ones) at any scale; it holds for every seed.

The other constants describe ``seed=2018, scale=1`` only: pool figures at every snapshot,
sitting non-party members per team, and the rows the warehouse must reject or warn about.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

AtLeast = tuple[str, float]

COUNTY_CPPCC_SITTING = 35
COUNTY_CPPCC_SEATS = 61


def sample_figures(scale: int = 1) -> dict[str, float]:
    """The exact value of every §10 figure in a sample generated at ``scale``."""
    k = scale
    return {
        "pool_total": 900 * k,
        "pool_born_1980s": 120 * k,
        "pool_female": 470 * k,
        "pool_ethnic_minority": 48 * k,
        "pool_sector_party_gov": 650 * k,
        "pool_sector_institution": 150 * k,
        "pool_sector_outside": 100 * k,
        "pool_ready_now": 100 * k,
        "pool_ready_longer": 500 * k,
        "pool_field_tourism": 32 * k,
        "pool_field_transport": 20 * k,
        "pool_field_agriculture": 55 * k,
        "pool_field_hightech": 15 * k,
        "progressive_classes": 3,
        "progressive_trainees": 75 * k,
        "themed_sessions": 32,
        "upper_level_trainees": 106 * k,
        "practice_trainees": 73 * k,
        "arranged_since_term": 2917 * k,
        "county_level_placed_since_term": 90 * k,
        "county_level_new_since_term": 30 * k,
        "county_level_born_1970s_since_term": 20 * k,
        "teams_total": 36,
        "teams_with_nonparty": 36,
        "county_cppcc_with_3_nonparty": 11,
        "county_cppcc_nonparty_share": float(Fraction(COUNTY_CPPCC_SITTING, COUNTY_CPPCC_SEATS)),
        "democratic_party_chairs": 7,
        "democratic_party_chairs_department_level": 7,
        "fit_rate_technical": 41 / 50,
        "fit_rate_complex": 77 / 100,
    }


CITY_DEPARTMENT_POSTS_YEAR = 2017
CITY_DEPARTMENT_POSTS = 7
"""领导职务 tenures at 乐山市本级 with 班子类别 部门 and 任职时间 in 2017 (the 班子配备 page's
"2017 city-level placements"): exactly the article's 质监局 局长 and six 副局长, at every seed
and scale.  Not a §10 figure; the generator checks it alongside them."""


AT_LEAST: dict[str, float] = {
    "themed_sessions": 30,
    "upper_level_trainees": 100,
    "county_cppcc_nonparty_share": 0.5,
    "fit_rate_technical": 0.80,
    "fit_rate_complex": 0.75,
}
"""The article's "以上 / 余" figures and their lower bounds at scale 1."""

SCALED_BOUNDS = ("upper_level_trainees",)


def expected_figures(scale: int = 1) -> dict[str, float | AtLeast]:
    """The article's figures at ``scale``: exact numbers, or (">=", bound)."""
    figures: dict[str, float | AtLeast] = dict(sample_figures(scale))
    for fid, bound in AT_LEAST.items():
        figures[fid] = (">=", bound * scale if fid in SCALED_BOUNDS else bound)
    return figures


EXPECTED_FIGURES: dict[str, float | AtLeast] = expected_figures(1)
"""The figures of contract §10 for ``seed=2018, scale=1``."""


def satisfies(value: float, expected: float | AtLeast, tol: float = 1e-9) -> bool:
    """Whether a computed figure meets an entry of EXPECTED_FIGURES."""
    if isinstance(expected, tuple):
        return value >= expected[1] - tol
    return abs(value - expected) <= tol


# --- seed 2018, scale 1 only (filled in from a generation run, checked by tests) -------------


@dataclass(frozen=True)
class PlantedRow:
    """A row planted to be rejected or warned about, as a steward would find it."""

    kind: str
    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: str


EXPECTED_POOL_BY_SNAPSHOT: dict[str, dict[str, int]] = {
    "2015-12-31": {
        "pool_total": 700,
        "pool_born_1980s": 55,
        "pool_female": 326,
        "pool_ethnic_minority": 41,
        "pool_sector_party_gov": 549,
        "pool_sector_institution": 94,
        "pool_sector_outside": 57,
        "pool_ready_now": 35,
        "pool_ready_longer": 237,
        "pool_field_tourism": 25,
        "pool_field_transport": 14,
        "pool_field_agriculture": 37,
        "pool_field_hightech": 9,
    },
    "2016-12-31": {
        "pool_total": 780,
        "pool_born_1980s": 71,
        "pool_female": 370,
        "pool_ethnic_minority": 45,
        "pool_sector_party_gov": 587,
        "pool_sector_institution": 117,
        "pool_sector_outside": 76,
        "pool_ready_now": 42,
        "pool_ready_longer": 365,
        "pool_field_tourism": 26,
        "pool_field_transport": 18,
        "pool_field_agriculture": 43,
        "pool_field_hightech": 11,
    },
    "2017-12-31": {
        "pool_total": 860,
        "pool_born_1980s": 97,
        "pool_female": 427,
        "pool_ethnic_minority": 48,
        "pool_sector_party_gov": 627,
        "pool_sector_institution": 141,
        "pool_sector_outside": 92,
        "pool_ready_now": 54,
        "pool_ready_longer": 452,
        "pool_field_tourism": 31,
        "pool_field_transport": 20,
        "pool_field_agriculture": 51,
        "pool_field_hightech": 13,
    },
    "2018-04-30": {
        "pool_total": 900,
        "pool_born_1980s": 120,
        "pool_female": 470,
        "pool_ethnic_minority": 48,
        "pool_sector_party_gov": 650,
        "pool_sector_institution": 150,
        "pool_sector_outside": 100,
        "pool_ready_now": 100,
        "pool_ready_longer": 500,
        "pool_field_tourism": 32,
        "pool_field_transport": 20,
        "pool_field_agriculture": 55,
        "pool_field_hightech": 15,
    },
}
"""pool_* figures at every snapshot (seed 2018, scale 1): the trend cards."""

EXPECTED_TEAM_MEMBERS: dict[str, int] = {
    "511100-人大常委会": 2,
    "511100-政府": 2,
    "511100-政协": 5,
    "511102-人大常委会": 2,
    "511102-政府": 1,
    "511102-政协": 4,
    "511111-人大常委会": 1,
    "511111-政府": 1,
    "511111-政协": 3,
    "511112-人大常委会": 1,
    "511112-政府": 1,
    "511112-政协": 3,
    "511113-人大常委会": 1,
    "511113-政府": 1,
    "511113-政协": 3,
    "511123-人大常委会": 2,
    "511123-政府": 1,
    "511123-政协": 3,
    "511124-人大常委会": 1,
    "511124-政府": 1,
    "511124-政协": 3,
    "511126-人大常委会": 2,
    "511126-政府": 1,
    "511126-政协": 3,
    "511129-人大常委会": 1,
    "511129-政府": 1,
    "511129-政协": 3,
    "511132-人大常委会": 1,
    "511132-政府": 1,
    "511132-政协": 3,
    "511133-人大常委会": 1,
    "511133-政府": 1,
    "511133-政协": 3,
    "511181-人大常委会": 2,
    "511181-政府": 1,
    "511181-政协": 4,
}
"""Distinct non-party persons sitting on each team at 2018-04-30, by team_key (structural:
the same for every seed and scale)."""

PLANTED_ROWS: tuple[PlantedRow, ...] = (
    PlantedRow(
        "reject",
        "appointments.xlsx",
        "任免及安排",
        3225,
        "任职时间",
        "2017/13/45",
        "任职时间不是可识别的日期",
    ),
    PlantedRow(
        "reject",
        "appointments.xlsx",
        "任免及安排",
        4627,
        "免职时间",
        "2016-12-01",
        "免职时间早于任职时间",
    ),
    PlantedRow(
        "reject",
        "talent_pool/2015-12-31.xlsx",
        "副科级以上党外干部",
        286,
        "性别",
        "女",
        "性别与身份证号不符",
    ),
    PlantedRow(
        "reject",
        "talent_pool/2016-12-31.xlsx",
        "非公有制经济代表人士",
        22,
        "身份类别",
        "国有企业",
        "身份类别不在允许值内",
    ),
    PlantedRow(
        "reject",
        "talent_pool/2017-12-31/新社会阶层人士.csv",
        "新社会阶层人士",
        19,
        "入库时间",
        "去年",
        "入库时间不是可识别的日期",
    ),
    PlantedRow(
        "reject",
        "talent_pool/2018-04-30.xlsx",
        "党外知识分子",
        106,
        "身份证号",
        "511132198004079461",
        "身份证号校验码错误",
    ),
    PlantedRow(
        "reject",
        "talent_pool/2018-04-30.xlsx",
        "副科级以上党外干部",
        343,
        "政治面貌",
        "中共党员",
        "政治面貌为中共党员，不是党外人士",
    ),
    PlantedRow(
        "reject",
        "training/classes.xlsx",
        "培训班次",
        26,
        "结束日期",
        "2016-05-13",
        "结束日期早于开始日期",
    ),
    PlantedRow(
        "reject",
        "training/participants.csv",
        "participants",
        662,
        "班次编号",
        "DX201605",
        "班次编号指向被拒收的班次",
    ),
    PlantedRow(
        "reject",
        "training/participants.csv",
        "participants",
        663,
        "班次编号",
        "DX201605",
        "班次编号指向被拒收的班次",
    ),
    PlantedRow(
        "reject",
        "training/participants.csv",
        "participants",
        736,
        "班次编号",
        "BC201799",
        "班次编号不存在",
    ),
    PlantedRow(
        "duplicate",
        "talent_pool/2017-12-31/副科级以上党外干部.csv",
        "副科级以上党外干部",
        228,
        "身份证号",
        "511112198502119238",
        "同一名单内身份证号重复：以第一行为准，此行不计",
    ),
    PlantedRow(
        "conflict",
        "talent_pool/2017-12-31/民主党派代表人士.csv",
        "民主党派代表人士",
        62,
        "职务层次",
        "副科级",
        "与《副科级以上党外干部》中同一人的属性不一致：以该名单为准",
    ),
    PlantedRow(
        "duplicate",
        "talent_pool/2018-04-30.xlsx",
        "党外知识分子",
        77,
        "身份证号",
        "511123197009205700",
        "同一名单内身份证号重复：以第一行为准，此行不计",
    ),
    PlantedRow(
        "conflict",
        "talent_pool/2018-04-30.xlsx",
        "党外知识分子",
        87,
        "职务层次+专业领域",
        "正科级+旅游",
        "与《副科级以上党外干部》中同一人的属性不一致：以该名单为准",
    ),
    PlantedRow(
        "conflict",
        "talent_pool/2018-04-30.xlsx",
        "党外知识分子",
        97,
        "成熟度",
        "近期可用",
        "与《民主党派代表人士》中同一人的属性不一致：以该名单为准",
    ),
    PlantedRow(
        "conflict",
        "talent_pool/2018-04-30.xlsx",
        "民主党派代表人士",
        16,
        "职务层次",
        "正处级",
        "与《副科级以上党外干部》中同一人的属性不一致：以该名单为准",
    ),
    PlantedRow(
        "duplicate",
        "training/participants.csv",
        "participants",
        804,
        "身份证号",
        "511132198601091539",
        "同一人在同一班次出现两次：计一次",
    ),
)
"""Every planted bad row (kind "reject") and every planted duplicate or cross-sheet conflict
(warnings), seed 2018, scale 1.  ``row`` is 1-based as a steward sees it (title and header rows
counted; for a CSV the line number); several columns are joined with ``+``.  Besides these,
training/participants.csv has one unknown column, 联系电话 (a file-level warning)."""

UNKNOWN_COLUMNS: tuple[tuple[str, str], ...] = (("training/participants.csv", "联系电话"),)
