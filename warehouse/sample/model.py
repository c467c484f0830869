"""The typed records the generator reasons with before anything is written.

Figures are planned and checked on these records; the writers only decide how each value
is *spelled*.  A record carrying a :class:`Defect` is a row planted to be rejected: it is
written with the defect's raw value and counts in no figure.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date

from warehouse.sample.people import Person


@dataclass(frozen=True, slots=True)
class Defect:
    """Why a planted row must be rejected: the column, the raw text written there, the reason."""

    column: str
    value: str
    reason: str


@dataclass(slots=True)
class PoolMember:
    """A person on the talent pool at one or more snapshots, with their pool attributes."""

    person: Person
    sector: str
    field: str
    present: list[bool]
    readiness: list[str | None] = field(default_factory=lambda: [None] * 4)
    field_blank: bool = False
    entered: date = date(2015, 1, 1)
    region: str = ""
    affiliation: str = ""
    education: str = ""
    base_rank: str = ""
    base_post: str = ""
    recommender: str = ""
    lists: list[int] = field(default_factory=list)
    role: str = ""


@dataclass(slots=True)
class Tenure:
    """One row of appointments.xlsx: a post or a political arrangement from start to end."""

    person: Person
    category: str
    org: str
    region: str
    team_type: str
    title: str
    rank: str
    start: date
    end: date | None
    method: str
    hint: str = "general"
    post_type: str | None = None
    fit: str | None = None
    doc_in: str = ""
    doc_out: str = ""
    defect: Defect | None = None

    def __post_init__(self) -> None:
        # Organisation names are built with f-strings, one copy per tenure: share them.
        self.org = sys.intern(self.org)

    def sitting(self, day: date) -> bool:
        """Contract §4: started on or before ``day`` and not yet ended on ``day``."""
        return self.start <= day and (self.end is None or self.end > day)


@dataclass(slots=True)
class TrainingClass:
    """One row of training/classes.xlsx."""

    code: str
    name: str
    kind: str
    level: str
    host: str
    start: date
    end: date
    hours: float | None
    defect: Defect | None = None


@dataclass(slots=True)
class Participation:
    """One row of the participants table."""

    class_code: str
    person: Person
    status: str
    defect: Defect | None = None
    tag: str = ""


@dataclass(frozen=True, slots=True)
class Team:
    """One row of leadership_teams.xlsx."""

    code: str
    region: str
    team_type: str
    seats: int

    @property
    def key(self) -> str:
        """The warehouse's team key, ``<region_code>-<team_type>``."""
        return f"{self.code}-{self.team_type}"


@dataclass(frozen=True, slots=True)
class PoolRecord:
    """What one written talent-pool row means, for checking the figures."""

    snapshot: int
    list_index: int
    pid: str
    valid: bool
    sex: str
    ethnicity: str
    birth: date
    sector: str
    readiness: str | None
    field: str
    rank: str
