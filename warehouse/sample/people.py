"""Persons of the sample and how their name and ID are written in a given row.

A :class:`Person` is identified by a canonical 18-character ID; sex and birth date are read
off that ID, so the sample can never contradict itself on them.  The written forms vary
(a space inside the name, a lowercase ``x``, the old 15-digit number) the way they do in
real exports; the contract normalises all of them back to the same person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from warehouse.sample.ids import birth_of, make_id, sex_of, to_old_form
from warehouse.sample.names import NameMaker
from warehouse.sample.reference import REGION_CODE, REGIONS

ID_REGION_CODES: tuple[str, ...] = tuple(code for code, _ in REGIONS[1:])
"""Issuing-region prefixes (5111xx) of the IDs; the city level itself issues none."""


@dataclass(slots=True)
class Person:
    """One natural person, whatever tables they appear in."""

    pid: str
    name: str
    ethnicity: str
    old_id: bool = False
    lower_x: bool = False
    spaced_name: bool = False

    sex: str = field(init=False)
    birth: date = field(init=False)

    def __post_init__(self) -> None:
        # Sex and birth date are read off the ID (the only source of truth), once.
        self.sex = sex_of(self.pid)
        self.birth = birth_of(self.pid)

    def id_text(self, rng: random.Random) -> str:
        """The ID as one particular row writes it."""
        if self.old_id and rng.random() < 0.7:
            return to_old_form(self.pid)
        if self.lower_x and self.pid.endswith("X") and rng.random() < 0.7:
            return self.pid[:17] + "x"
        return self.pid

    def name_text(self, rng: random.Random) -> str:
        """The name as one row writes it; some systems pad two-character names with a space."""
        if self.spaced_name and "·" not in self.name and rng.random() < 0.7:
            space = " " if rng.random() < 0.5 else "\u3000"
            return self.name[0] + space + self.name[1:]
        return self.name


class Population:
    """Makes persons with unique IDs from one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._names = NameMaker(rng)
        self._taken: set[str] = set()
        self.everyone: list[Person] = []

    def person(
        self,
        sex: str,
        birth: date,
        *,
        ethnicity: str = "汉族",
        region: str | None = None,
        yi_name: bool = False,
    ) -> Person:
        """A new person; ``region`` (a region name) biases the ID's issuing code."""
        rng = self._rng
        if (
            region
            and region in REGION_CODE
            and REGION_CODE[region] != "511100"
            and (rng.random() < 0.75)
        ):
            code = REGION_CODE[region]
        else:
            code = rng.choice(ID_REGION_CODES)
        parity = (1, 3, 5, 7, 9) if sex == "男" else (0, 2, 4, 6, 8)
        while True:
            sequence = rng.randrange(100) * 10 + rng.choice(parity)
            pid = make_id(code, birth, sequence)
            if pid not in self._taken:
                break
        self._taken.add(pid)
        name = self._names.yi(sex) if yi_name else self._names.han(sex)
        person = Person(
            pid=pid,
            name=name,
            ethnicity=ethnicity,
            old_id=rng.random() < 0.02,
            lower_x=rng.random() < 0.5,
            spaced_name=len(name) == 2 and rng.random() < 0.03,
        )
        self.everyone.append(person)
        return person

    def anyone(self, *, born_from: int = 1955, born_to: int = 1995) -> Person:
        """A person with random sex and birth date, for people outside the pool."""
        rng = self._rng
        return self.person(rng.choice(("男", "女")), random_birth(rng, born_from, born_to))


def random_birth(rng: random.Random, first_year: int, last_year: int) -> date:
    """A uniformly drawn birth date between 1 January of first_year and 31 December of last."""
    start = date(first_year, 1, 1)
    span = (date(last_year, 12, 31) - start).days
    return start + timedelta(days=rng.randrange(span + 1))
