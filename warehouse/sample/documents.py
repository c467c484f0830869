"""Appointment document numbers (任免文号), free text that only has to look right."""

from __future__ import annotations

import random
import sys

from warehouse.sample.reference import DOC_PREFIX

ISSUERS: dict[str, str] = {
    "党委": "委",
    "政府": "府人",
    "人大": "人常",
    "政协": "政协",
    "统战": "委统",
    "党派": "",
}


def doc_number(rng: random.Random, region: str, year: int, issuer: str = "党委") -> str:
    """A number like 乐委〔2017〕123号 or 犍府人〔2016〕45号."""
    if issuer == "党派":
        return sys.intern(f"{year}年换届大会选举")
    prefix = DOC_PREFIX.get(region, "乐")
    # a few hundred thousand distinct numbers among millions of tenures at scale 300: share them
    return sys.intern(f"{prefix}{ISSUERS[issuer]}〔{year}〕{rng.randrange(1, 260)}号")
