"""Who is in the talent pool, when, and with which counted attributes.

The pool at the as-of date is built from exact quotas (900 persons, 470 women, 120 born in
the 1980s ...), each quota list shuffled on its own, so the key figures hold by construction
and the attributes are spread independently.  Earlier snapshots are derived from entry
cohorts (younger people entered later) and from leavers who are on earlier snapshots only.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TypeVar

from warehouse.sample.model import PoolMember
from warehouse.sample.people import Population, random_birth
from warehouse.sample.reference import MINORITIES, SNAPSHOTS, YI_COUNTIES

T = TypeVar("T")

POOL_SIZE = 900
FEMALE = 470
BORN_1980S = 120
MINORITY = 48
SECTOR_COUNTS: dict[str, int] = {"党政机关": 650, "事业单位": 150, "体制外": 100}
READINESS_COUNTS: dict[str | None, int] = {"近期可用": 100, "中长期培养": 500, None: 300}
FIELD_COUNTS: dict[str, int] = {"旅游": 32, "交通": 20, "农业": 55, "高精尖技术": 15}
DECADE_COUNTS: dict[int, int] = {1950: 15, 1960: 300, 1970: 390, 1980: BORN_1980S, 1990: 75}

ENTRANTS: tuple[int, int, int] = (110, 110, 65)
"""Persons (per unit of scale) entering the pool before the 2nd, 3rd and 4th snapshot."""
LEAVERS: tuple[int, int, int] = (30, 30, 25)
"""Persons (per unit of scale) on the 1st/2nd/3rd snapshot but not on the next one."""


def quota(counts: Sequence[tuple[T, int]], rng: random.Random) -> list[T]:
    """Every value repeated its count, in random order: exact totals, random placement."""
    values = [value for value, count in counts for _ in range(count)]
    rng.shuffle(values)
    return values


def birth_in_decade(rng: random.Random, decade: int) -> date:
    """A birth date in the decade; the 1950s start at 1955 and the 1990s end at 1995."""
    first = max(decade, 1955)
    last = min(decade + 9, 1995)
    return random_birth(rng, first, last)


def build_current(rng: random.Random, pop: Population, scale: int) -> list[PoolMember]:
    """The persons of the latest snapshot, with the counted attributes fixed by quota."""
    n = POOL_SIZE * scale
    sexes = quota([("女", FEMALE * scale), ("男", (POOL_SIZE - FEMALE) * scale)], rng)
    sectors = quota([(s, c * scale) for s, c in SECTOR_COUNTS.items()], rng)
    readiness = quota([(r, c * scale) for r, c in READINESS_COUNTS.items()], rng)
    fields = quota(
        [(f, c * scale) for f, c in FIELD_COUNTS.items()]
        + [("其他", n - sum(FIELD_COUNTS.values()) * scale)],
        rng,
    )
    minorities = [e for e, c in MINORITIES.items() for _ in range(c * scale)]
    ethnicities = quota([(e, 1) for e in minorities] + [("汉族", n - len(minorities))], rng)
    decades = _decades(rng, sectors, scale)
    edge_births = {1980: [date(1980, 1, 1), date(1989, 12, 31)], 1970: [date(1979, 12, 31)]}
    edge_births[1990] = [date(1990, 1, 1)]

    members = []
    for i in range(n):
        decade = decades[i]
        birth = edge_births[decade].pop() if edge_births.get(decade) else None
        birth = birth or birth_in_decade(rng, decade)
        ethnicity = ethnicities[i]
        yi = ethnicity == "彝族"
        person = pop.person(
            sexes[i],
            birth,
            ethnicity=ethnicity,
            region=rng.choice(YI_COUNTIES) if yi else None,
            yi_name=yi and rng.random() < 0.5,
        )
        members.append(
            PoolMember(
                person=person,
                sector=sectors[i],
                field=fields[i],
                field_blank=fields[i] == "其他" and rng.random() < 0.35,
                present=[True] * 4,
                readiness=[None, None, None, readiness[i]],
            )
        )
    return members


def _decades(rng: random.Random, sectors: list[str], scale: int) -> list[int]:
    """Birth decades by quota; the oldest (1950s) go to persons outside the civil service."""
    n = len(sectors)
    decades: list[int | None] = [None] * n
    older = [i for i in range(n) if sectors[i] != "党政机关"]
    rng.shuffle(older)
    for i in older[: DECADE_COUNTS[1950] * scale]:
        decades[i] = 1950
    rest = quota([(d, c * scale) for d, c in DECADE_COUNTS.items() if d != 1950], rng)
    it = iter(rest)
    return [d if d is not None else next(it) for d in decades]


class Picker:
    """Hands out pool members for roles, each member at most once, in a random order."""

    def __init__(self, members: Sequence[PoolMember], rng: random.Random) -> None:
        self._order = list(members)
        rng.shuffle(self._order)
        self._taken: set[str] = set()

    def take(
        self, n: int, role: str, accept: Callable[[PoolMember], bool] = lambda m: True
    ) -> list[PoolMember]:
        """``n`` untaken members satisfying ``accept``, marked with ``role``."""
        chosen = []
        for member in self._order:
            if len(chosen) == n:
                break
            if member.person.pid not in self._taken and accept(member):
                chosen.append(member)
        if len(chosen) < n:
            raise RuntimeError(f"not enough pool members for role {role!r}: {len(chosen)}/{n}")
        for member in chosen:
            self._taken.add(member.person.pid)
            member.role = role
        return chosen

    def one(self, role: str, accept: Callable[[PoolMember], bool] = lambda m: True) -> PoolMember:
        """A single member for ``role``."""
        return self.take(1, role, accept)[0]


def decade_of(member: PoolMember) -> int:
    """Birth decade (1960, 1970 ...) read from the ID."""
    return member.person.birth.year // 10 * 10


def assign_cohorts(members: list[PoolMember], rng: random.Random, scale: int) -> None:
    """Decide the snapshot each current member entered at, and their entry date.

    Members with a role (office holders) have been in the pool from the start; otherwise the
    younger a person, the later they tend to have entered, so the 80后 share grows over time.
    """
    free = [m for m in members if not m.role]
    keyed = [
        (m.person.birth.year + (3 if m.person.sex == "女" else 0) + rng.uniform(-12, 12), i)
        for i, m in enumerate(free)
    ]
    keyed.sort(reverse=True)
    order = [free[i] for _, i in keyed]
    cohort: dict[str, int] = {}
    pos = 0
    for snap, count in ((3, ENTRANTS[2]), (2, ENTRANTS[1]), (1, ENTRANTS[0])):
        for m in order[pos : pos + count * scale]:
            cohort[m.person.pid] = snap
        pos += count * scale
    for m in members:
        first = cohort.get(m.person.pid, 0)
        m.present = [s >= first for s in range(4)]
        m.entered = entry_date(rng, first)
        m.readiness = readiness_history(rng, m.present, m.readiness[3])


def entry_date(rng: random.Random, first_snapshot: int) -> date:
    """An 入库时间 after the previous snapshot and on or before the first one holding them."""
    start = date(2008, 1, 1) if first_snapshot == 0 else SNAPSHOTS[first_snapshot - 1]
    start = start + timedelta(days=1) if first_snapshot else start
    end = SNAPSHOTS[first_snapshot]
    day = start + timedelta(days=rng.randrange((end - start).days + 1))
    if rng.random() < 0.3:
        day = day.replace(day=1)
        if day < start:
            day = start
    return day


def readiness_history(
    rng: random.Random, present: list[bool], final: str | None
) -> list[str | None]:
    """Grades over the snapshots: people move from ungraded to 中长期培养 to 近期可用."""
    snaps = [s for s in range(4) if present[s]]
    history: list[str | None] = [None] * 4
    history[snaps[-1]] = final
    if final is None:
        return history
    if final == "近期可用":
        promoted = rng.choices(snaps, weights=[1, 2, 3, 4][: len(snaps)])[0]
        for s in snaps:
            history[s] = "近期可用" if s >= promoted else "中长期培养"
    else:
        graded = rng.choices(snaps, weights=[4, 2, 1, 1][: len(snaps)])[0]
        for s in snaps:
            history[s] = "中长期培养" if s >= graded else None
    return history


def build_leavers(
    rng: random.Random, pop: Population, scale: int, required_l34: Sequence[tuple[int, str]]
) -> list[PoolMember]:
    """Persons on earlier snapshots only: 30/30/25 (per scale) leave after S1/S2/S3.

    ``required_l34`` lists (decade, role) of leavers after the 2017-12-31 snapshot that the
    appointments need (office holders who are no longer in the pool).
    """
    leavers = []
    groups = ((1, LEAVERS[0] * scale), (2, LEAVERS[1] * scale), (3, LEAVERS[2] * scale))
    for last_exclusive, count in groups:
        specs: list[tuple[int | None, str]] = []
        if last_exclusive == 3:
            specs = [(d, r) for d, r in required_l34]
        specs += [(None, "")] * (count - len(specs))
        for decade, role in specs:
            decade = decade or rng.choices([1950, 1960, 1970, 1980], weights=[20, 45, 25, 10])[0]
            minority = rng.random() < 0.05
            sex = rng.choices(("女", "男"), weights=(45, 55))[0]
            person = pop.person(
                sex,
                birth_in_decade(rng, decade),
                ethnicity="彝族" if minority else "汉族",
                region=rng.choice(YI_COUNTIES) if minority else None,
            )
            present = [s < last_exclusive for s in range(4)]
            sector = (
                "党政机关"
                if role
                else rng.choices(("党政机关", "事业单位", "体制外"), weights=(65, 20, 15))[0]
            )
            readiness = [
                rng.choice(("近期可用", "中长期培养", None)) if present[s] else None
                for s in range(4)
            ]
            field = rng.choices(
                ("旅游", "交通", "农业", "高精尖技术", "其他"), weights=(4, 3, 6, 2, 85)
            )[0]
            leavers.append(
                PoolMember(
                    person=person,
                    sector=sector,
                    field=field,
                    field_blank=field == "其他" and rng.random() < 0.35,
                    present=present,
                    readiness=readiness,
                    entered=entry_date(rng, 0),
                    role=role,
                )
            )
    return leavers
