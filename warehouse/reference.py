"""Reference code tables, read from ``seeds/reference`` so Python and dbt share one truth.

The same CSV files are dbt seeds; the normalisers here read them to map the variants that
real exports contain (``民革``, ``本科``, ``正县级``, ``彝``) to their canonical names.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from warehouse.settings import REFERENCE_DIR


def _rows(name: str, directory: Path = REFERENCE_DIR) -> list[dict[str, str]]:
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _alias_map(rows: list[dict[str, str]], name_column: str) -> dict[str, str]:
    """Canonical name and every ``|``-separated alias → canonical name."""
    mapping: dict[str, str] = {}
    for row in rows:
        canonical = row[name_column]
        mapping[canonical] = canonical
        for alias in filter(None, row.get("aliases", "").split("|")):
            mapping[alias] = canonical
    return mapping


@dataclass(frozen=True)
class Reference:
    """Lookup tables for every coded column of the contract."""

    ethnicities: dict[str, str]
    affiliations: dict[str, str]
    party_member_affiliations: frozenset[str]
    lists: tuple[str, ...]
    ranks: dict[str, str]
    education: dict[str, str]
    regions: tuple[str, ...]
    region_codes: dict[str, str]
    code_values: dict[str, tuple[str, ...]]


@cache
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read all reference tables once per process."""
    ethnicities: dict[str, str] = {}
    for row in _rows("ref_ethnicities", directory):
        ethnicities[row["ethnicity_name"]] = row["ethnicity_name"]
        ethnicities[row["short_name"]] = row["ethnicity_name"]
    affiliation_rows = _rows("ref_affiliations", directory)
    affiliations = _alias_map(affiliation_rows, "affiliation_name")
    party_members = frozenset(
        name
        for name, canonical in affiliations.items()
        if any(
            r["affiliation_name"] == canonical and r["is_nonparty"] == "false"
            for r in affiliation_rows
        )
    )
    region_rows = _rows("ref_regions", directory)
    code_values: dict[str, list[str]] = {}
    for row in _rows("ref_code_values", directory):
        code_values.setdefault(row["domain"], []).append(row["code_value"])
    return Reference(
        ethnicities=ethnicities,
        affiliations=affiliations,
        party_member_affiliations=party_members,
        lists=tuple(r["list_name"] for r in sorted(
            _rows("ref_lists", directory), key=lambda r: int(r["list_id"]))),
        ranks=_alias_map(_rows("ref_ranks", directory), "rank_name"),
        education=_alias_map(_rows("ref_education", directory), "education_name"),
        regions=tuple(r["region_name"] for r in region_rows),
        region_codes={r["region_name"]: r["region_code"] for r in region_rows},
        code_values={domain: tuple(values) for domain, values in code_values.items()},
    )
