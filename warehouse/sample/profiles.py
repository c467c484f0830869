"""The attributes of pool members that no figure counts: region, affiliation, lists, posts.

These are filled in after the roles are known (a chair's affiliation is their party, a
county team member works in that county) and are otherwise drawn to look like the pool of
a prefecture-level city in Sichuan.  A person's rank and post at a snapshot come from their
leadership tenures when they hold one, so the pool and the appointment records agree.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date

from warehouse.sample.model import PoolMember, Tenure
from warehouse.sample.reference import (
    AS_OF,
    CITY,
    COUNTIES,
    DEMOCRATIC_PARTIES,
    HIGH_TECH_ZONE,
    ORG_PREFIX,
    PARTY_ORG,
    PARTY_WEIGHTS,
    RANK_ORDER,
    YI_COUNTIES,
)

REGION_WEIGHTS: dict[str, float] = {CITY: 30, HIGH_TECH_ZONE: 4} | {c: 6 for c in COUNTIES}
SECTIONS = ("办公室", "综合科", "规划科", "法规科", "业务科", "财务科", "人事科", "监督科")
AGENCIES = (
    "财政局", "教育局", "民政局", "农业局", "林业局", "水务局", "商务局", "审计局", "统计局",
    "国土资源局", "环境保护局", "交通运输局", "卫生和计划生育委员会", "发展和改革委员会",
)  # fmt: skip
INSTITUTION_POSTS = (
    "乐山市人民医院主任医师", "乐山市中医医院副主任医师", "乐山师范学院副教授",
    "乐山职业技术学院讲师", "乐山市第一中学高级教师", "乐山市农业科学研究院研究员",
    "乐山市疾病预防控制中心主管医师", "乐山市规划设计研究院高级工程师",
    "峨眉山风景名胜区管委会工程师", "乐山大佛景区管委会副主任科员", "乐山日报社主任编辑",
)  # fmt: skip
PRIVATE_OWNERS = (
    "四川{}实业有限公司董事长", "乐山{}农业开发有限公司总经理", "乐山{}旅游开发有限公司董事长",
    "四川{}科技有限公司总经理", "乐山{}建材有限公司董事长", "峨眉山{}茶业有限公司总经理",
)  # fmt: skip
NEW_CLASS_POSTS = (
    "四川{}律师事务所主任", "乐山{}会计师事务所合伙人", "乐山{}网络科技有限公司技术总监",
    "乐山{}建筑设计有限公司总工程师", "自由职业者（摄影）", "乐山{}文化传媒有限公司创意总监",
)  # fmt: skip
RELIGIOUS_POSTS = (
    "峨眉山佛教协会副会长", "乐山市佛教协会常务理事", "乐山市伊斯兰教协会副会长",
    "乐山市道教协会会长", "乐山市基督教两会副主席", "乐山乌尤寺监院", "峨眉山伏虎寺住持",
)  # fmt: skip
BRANDS = "嘉州凌云峨秀沫若犍乐金顶青衣三江大渡海棠"


class Offices:
    """Leadership tenures indexed by person: rank and post at any date."""

    def __init__(self, tenures: Iterable[Tenure]) -> None:
        self._by_pid: dict[str, list[Tenure]] = {}
        for t in tenures:
            if t.category == "领导职务" and t.defect is None:
                self._by_pid.setdefault(t.person.pid, []).append(t)

    def top(self, pid: str, day: date) -> Tenure | None:
        """The highest-ranking post sitting at ``day``."""
        sitting = [t for t in self._by_pid.get(pid, []) if t.sitting(day)]
        return max(sitting, key=lambda t: RANK_ORDER[t.rank], default=None)

    def latest(self, pid: str) -> Tenure | None:
        """The most recently started post, sitting or not."""
        return max(self._by_pid.get(pid, []), key=lambda t: t.start, default=None)


def complete(rng: random.Random, members: Iterable[PoolMember], offices: Offices) -> None:
    """Fill in every attribute a member still lacks."""
    for m in members:
        if not m.region:
            yi = m.person.ethnicity == "彝族" and rng.random() < 0.7
            regions, weights = zip(*REGION_WEIGHTS.items(), strict=True)
            m.region = rng.choice(YI_COUNTIES) if yi else rng.choices(regions, weights)[0]
        kind = _kind(rng, m)
        if not m.affiliation:
            m.affiliation = _affiliation(rng, m, kind)
        m.education = _education(rng, m.sector, kind)
        top = offices.top(m.person.pid, AS_OF) or offices.latest(m.person.pid)
        m.base_rank = top.rank if top else _rank(rng, m.sector)
        m.base_post = _post(rng, m, kind)
        m.lists = _lists(rng, m, kind)
        m.recommender = _recommender(rng, m, kind)


def _kind(rng: random.Random, m: PoolMember) -> str:
    """Sub-kind of a person outside the civil service: religious, owner or new class."""
    if m.sector != "体制外":
        return m.sector
    return rng.choices(("religious", "owner", "new_class"), weights=(8, 45, 47))[0]


def _party(rng: random.Random) -> str:
    parties, weights = zip(*PARTY_WEIGHTS.items(), strict=True)
    return rng.choices(parties, weights)[0]


def _affiliation(rng: random.Random, m: PoolMember, kind: str) -> str:
    if m.person.birth.year >= 1988 and rng.random() < 0.3:
        return "共青团员"
    shares = {
        "党政机关": (50, 40, 10),
        "事业单位": (55, 35, 10),
        "owner": (30, 25, 45),
        "new_class": (30, 25, 45),
        "religious": (0, 50, 50),
    }[kind]
    pick = rng.choices(("party", "无党派人士", "群众"), weights=shares)[0]
    return _party(rng) if pick == "party" else pick


def _education(rng: random.Random, sector: str, kind: str) -> str:
    levels = ("研究生", "大学本科", "大学专科", "中专", "高中及以下")
    weights = {
        "党政机关": (18, 65, 15, 2, 0),
        "事业单位": (35, 50, 12, 3, 0),
        "owner": (8, 40, 27, 13, 12),
        "new_class": (12, 55, 25, 5, 3),
        "religious": (5, 25, 20, 25, 25),
    }[kind]
    return rng.choices(levels, weights)[0]


def _rank(rng: random.Random, sector: str) -> str:
    if sector == "党政机关":
        return rng.choices(("副科级", "正科级", "副处级", "正处级"), (50, 40, 7, 3))[0]
    if sector == "事业单位":
        return rng.choices(("无", "科员", "副科级", "正科级", "副处级"), (30, 20, 25, 20, 5))[0]
    return "无"


def _post(rng: random.Random, m: PoolMember, kind: str) -> str:
    brand = rng.choice(BRANDS) + rng.choice(BRANDS)
    if kind == "religious":
        return rng.choice(RELIGIOUS_POSTS)
    if kind == "owner":
        return rng.choice(PRIVATE_OWNERS).format(brand)
    if kind == "new_class":
        return rng.choice(NEW_CLASS_POSTS).format(brand)
    if kind == "事业单位":
        return rng.choice(INSTITUTION_POSTS)
    head = "乐山高新区管委会" if m.region == HIGH_TECH_ZONE else ORG_PREFIX[m.region]
    title = {"正科级": "科长", "副科级": "副科长", "副处级": "副调研员", "正处级": "调研员"}
    return f"{head}{rng.choice(AGENCIES)}{rng.choice(SECTIONS)}{title.get(m.base_rank, '科员')}"


def _lists(rng: random.Random, m: PoolMember, kind: str) -> list[int]:
    lists: set[int] = set()
    if kind == "党政机关":
        lists.add(0)
    elif kind == "事业单位":
        lists.add(3)
        if RANK_ORDER[m.base_rank] >= RANK_ORDER["副科级"] and rng.random() < 0.3:
            lists.add(0)
    else:
        lists.add({"religious": 2, "owner": 6, "new_class": 4}[kind])
    if m.affiliation in DEMOCRATIC_PARTIES and (
        m.role in ("chair", "vice_chair") or rng.random() < 0.25
    ):
        lists.add(1)
    if kind == "党政机关" and m.education in ("研究生", "大学本科") and rng.random() < 0.1:
        lists.add(3)
    if kind == "new_class" and rng.random() < 0.1:
        lists.add(3)
    if (m.education == "研究生" and rng.random() < 0.25) or rng.random() < 0.02:
        lists.add(5)
    return sorted(lists)


def _recommender(rng: random.Random, m: PoolMember, kind: str) -> str:
    if m.affiliation in DEMOCRATIC_PARTIES and rng.random() < 0.4:
        return f"{PARTY_ORG[m.affiliation]}乐山市委"
    if kind == "religious":
        return "乐山市民族宗教事务局"
    if kind in ("owner", "new_class"):
        return rng.choice(("乐山市工商业联合会", "中共乐山市委统战部", "乐山市律师协会"))
    if m.region in COUNTIES:
        return f"中共{ORG_PREFIX[m.region]}委组织部"
    return rng.choice(("中共乐山市委组织部", "中共乐山市委统战部"))
