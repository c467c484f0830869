"""Coded values: the canonical names of the reference tables, or a rejection.

A value outside its listed set is rejected, never guessed (contract §2). The variants that
the contract names (``本科``, ``正县级``, ``民革``, ``彝``) come from ``seeds/reference``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from warehouse.normalise.result import Invalid
from warehouse.normalise.text import clean_code, quote
from warehouse.reference import Reference

_SEX = {"男": "男", "女": "女", "1": "男", "2": "女"}


def lookup(raw: object, allowed: Mapping[str, str] | Iterable[str], label: str) -> str | Invalid | None:
    """The canonical value for a cell; blank → ``None``; unknown → Invalid naming the column."""
    value = clean_code(raw)
    if value is None:
        return None
    mapping = allowed if isinstance(allowed, Mapping) else {v: v for v in allowed}
    canonical = mapping.get(value)
    if canonical is None:
        return Invalid(f"{label}{quote(value)}不在允许的取值中")
    return canonical


def parse_sex(raw: object) -> str | Invalid | None:
    """男 / 女, also written 1 / 2."""
    return lookup(raw, _SEX, "性别")


def parse_ethnicity(raw: object, reference: Reference) -> str | Invalid | None:
    """A GB/T 3304 name with or without 族 (``彝`` = ``彝族``)."""
    return lookup(raw, reference.ethnicities, "民族")


def parse_affiliation(raw: object, reference: Reference) -> str | Invalid | None:
    """GB/T 4762 name; a member of the Communist Party is not a non-party cadre: rejected."""
    value = clean_code(raw)
    if value is not None and value in reference.party_member_affiliations:
        return Invalid(f"政治面貌为{quote(value)}，中共党员不属于党外干部，不应列入名单")
    return lookup(raw, reference.affiliations, "政治面貌")
