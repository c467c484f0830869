"""Fixed vocabulary of the sample: dates, lists, regions and the code lists of the contract.

Everything here is copied from ``/work/shared/raw-exports.md`` (the raw-export contract) so
that the generator writes only values the warehouse is supposed to accept, plus the written
variants (``民革`` for ``民革党员``, ``正县级`` for ``正处级`` ...) that stewards actually type.
"""

from __future__ import annotations

from datetime import date

AS_OF = date(2018, 4, 30)
"""The latest snapshot, hence the warehouse's as-of date."""

TERM_START = date(2016, 11, 1)
"""换届时间: the default term start of the warehouse settings."""

WINDOW_START = date(2015, 4, 30)
""""The last three years" is the half-open window (WINDOW_START, AS_OF]."""

SNAPSHOTS: tuple[date, ...] = (
    date(2015, 12, 31),
    date(2016, 12, 31),
    date(2017, 12, 31),
    AS_OF,
)

LISTS: tuple[str, ...] = (
    "副科级以上党外干部",
    "民主党派代表人士",
    "宗教界代表人士",
    "党外知识分子",
    "新社会阶层人士",
    "归国留学人员",
    "非公有制经济代表人士",
)
"""The seven lists in contract order; the first list a person is on wins conflicts."""

CITY = "乐山市本级"
HIGH_TECH_ZONE = "乐山高新区"

REGIONS: tuple[tuple[str, str], ...] = (
    ("511100", CITY),
    ("511102", "市中区"),
    ("511111", "沙湾区"),
    ("511112", "五通桥区"),
    ("511113", "金口河区"),
    ("511123", "犍为县"),
    ("511124", "井研县"),
    ("511126", "夹江县"),
    ("511129", "沐川县"),
    ("511132", "峨边彝族自治县"),
    ("511133", "马边彝族自治县"),
    ("511181", "峨眉山市"),
)
REGION_CODE: dict[str, str] = {name: code for code, name in REGIONS}
REGION_CODE[HIGH_TECH_ZONE] = "511100"
COUNTIES: tuple[str, ...] = tuple(name for _, name in REGIONS[1:])
YI_COUNTIES: tuple[str, ...] = ("峨边彝族自治县", "马边彝族自治县", "金口河区")

ORG_PREFIX: dict[str, str] = {CITY: "乐山市", "市中区": "乐山市市中区"} | {
    c: c for c in COUNTIES if c != "市中区"
}
"""How a region is written at the head of an organisation's name."""

DOC_PREFIX: dict[str, str] = {
    CITY: "乐",
    "市中区": "乐中",
    "沙湾区": "沙",
    "五通桥区": "五",
    "金口河区": "金",
    "犍为县": "犍",
    "井研县": "井",
    "夹江县": "夹",
    "沐川县": "沐",
    "峨边彝族自治县": "峨边",
    "马边彝族自治县": "马边",
    "峨眉山市": "峨眉",
}
"""Abbreviations used in 任免文号 such as 乐委〔2017〕12号."""

TEAM_TYPES: tuple[str, ...] = ("人大常委会", "政府", "政协")

DEMOCRATIC_PARTIES: tuple[str, ...] = (
    "民革党员",
    "民盟盟员",
    "民建会员",
    "民进会员",
    "农工党党员",
    "致公党党员",
    "九三学社社员",
    "台盟盟员",
)
PARTY_ORG: dict[str, str] = {
    "民革党员": "民革",
    "民盟盟员": "民盟",
    "民建会员": "民建",
    "民进会员": "民进",
    "农工党党员": "农工党",
    "致公党党员": "致公党",
    "九三学社社员": "九三学社",
    "台盟盟员": "台盟",
}
"""Short party name as it heads a committee, e.g. 民盟乐山市委."""

AFFILIATION_VARIANTS: dict[str, tuple[str, ...]] = {
    "共青团员": ("共青团员", "团员"),
    "民革党员": ("民革党员", "民革会员", "民革", "中国国民党革命委员会"),
    "民盟盟员": ("民盟盟员", "民盟", "中国民主同盟"),
    "民建会员": ("民建会员", "民建", "中国民主建国会"),
    "民进会员": ("民进会员", "民进", "中国民主促进会"),
    "农工党党员": ("农工党党员", "农工党", "中国农工民主党"),
    "致公党党员": ("致公党党员", "致公党", "中国致公党"),
    "九三学社社员": ("九三学社社员", "九三学社"),
    "台盟盟员": ("台盟盟员", "台盟", "台湾民主自治同盟"),
    "无党派人士": ("无党派人士", "无党派民主人士", "无党派"),
    "群众": ("群众",),
}
PARTY_WEIGHTS: dict[str, int] = {
    "民革党员": 12,
    "民盟盟员": 20,
    "民建会员": 14,
    "民进会员": 14,
    "农工党党员": 14,
    "致公党党员": 8,
    "九三学社社员": 16,
    "台盟盟员": 2,
}

MINORITIES: dict[str, int] = {
    "彝族": 32,
    "回族": 6,
    "藏族": 4,
    "苗族": 3,
    "土家族": 2,
    "满族": 1,
}
"""Minority ethnicities of the pool and how many of every 48 minority persons have each."""

EDUCATION_VARIANTS: dict[str, tuple[str, ...]] = {
    "研究生": ("研究生",),
    "大学本科": ("大学本科", "本科"),
    "大学专科": ("大学专科", "大专"),
    "中专": ("中专",),
    "高中及以下": ("高中及以下",),
}

RANKS: tuple[str, ...] = ("正厅级", "副厅级", "正处级", "副处级", "正科级", "副科级", "科员", "无")
"""Ranks from highest to lowest."""
RANK_ORDER: dict[str, int] = {rank: len(RANKS) - i for i, rank in enumerate(RANKS)}
RANK_VARIANTS: dict[str, tuple[str, ...]] = {r: (r,) for r in RANKS} | {
    "正处级": ("正处级", "正县级"),
    "副处级": ("副处级", "副县级"),
}
COUNTY_RANKS: tuple[str, ...] = ("正处级", "副处级")

SECTORS: tuple[str, ...] = ("党政机关", "事业单位", "体制外")
FIELDS: tuple[str, ...] = ("旅游", "交通", "农业", "高精尖技术", "其他")
READINESS: tuple[str, ...] = ("近期可用", "中长期培养")
METHODS: tuple[str, ...] = ("新提拔", "交流", "重用", "换届选举", "其他")
PLACING_METHODS: tuple[str, ...] = ("新提拔", "交流", "重用")

POOL_COLUMNS: tuple[str, ...] = (
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "身份证号",
    "政治面貌",
    "最高学历",
    "工作单位及职务",
    "职务层次",
    "身份类别",
    "所在地区",
    "专业领域",
    "成熟度",
    "入库时间",
    "推荐单位",
    "备注",
)
CLASS_COLUMNS: tuple[str, ...] = (
    "班次编号",
    "班次名称",
    "培训类型",
    "主办层级",
    "主办单位",
    "开始日期",
    "结束日期",
    "学时",
)
PARTICIPANT_COLUMNS: tuple[str, ...] = ("班次编号", "姓名", "身份证号", "结业情况")
APPOINTMENT_COLUMNS: tuple[str, ...] = (
    "姓名",
    "身份证号",
    "任用类别",
    "任职机构名称",
    "所在地区",
    "班子类别",
    "职务名称",
    "职务层次",
    "任职时间",
    "免职时间",
    "选拔任用方式",
    "岗位类型",
    "人岗相适",
    "任职文号",
    "免职文号",
)
TEAM_COLUMNS: tuple[str, ...] = ("行政区划代码", "地区", "班子类别", "核定领导职数")

CPC_AFFILIATIONS: tuple[str, ...] = ("中共党员", "中共预备党员", "中国共产党党员")
"""Affiliations that make a pool row invalid (the person is not non-party)."""


def snapshot_title(snapshot: date) -> str:
    """The merged title a steward puts above a talent-pool list."""
    return f"乐山市党外干部人才库名单（截至{snapshot.year}年{snapshot.month}月{snapshot.day}日）"


def in_window(day: date) -> bool:
    """Whether a class start date lies in "the last three years" before the as-of date."""
    return WINDOW_START < day <= AS_OF
