"""Run settings: the one documented place for defaults and their overrides.

Precedence, lowest to highest: the defaults below, environment variables
(``CADRES_RAW_DIR``, ``CADRES_WAREHOUSE``, ``CADRES_TERM_START``), command-line flags.
Paths are resolved against the project root so that ``cadres`` behaves the same from any
working directory of a checkout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
REFERENCE_DIR = PROJECT_ROOT / "seeds" / "reference"
SAMPLE_RAW_DIR = PROJECT_ROOT / "seeds" / "raw"

DEFAULT_RAW_DIR = SAMPLE_RAW_DIR
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "cadres.duckdb"
# 换届时间: the start of the current term of the people's congresses and CPPCCs (contract §10).
DEFAULT_TERM_START = date(2016, 11, 1)
# Limits on one export, checked before it is parsed (a workbook's parts unpacked; rows per
# file; cells of a worksheet's used range). Overridden by CADRES_MAX_XLSX_MB,
# CADRES_MAX_ROWS_PER_FILE and CADRES_MAX_CELLS_PER_SHEET.
DEFAULT_MAX_XLSX_UNPACKED_MB = 1024
DEFAULT_MAX_ROWS_PER_FILE = 3_000_000
DEFAULT_MAX_CELLS_PER_SHEET = 50_000_000


@dataclass(frozen=True)
class Settings:
    """Where the raw exports are, where the published warehouse lives, and the term start."""

    raw_dir: Path = DEFAULT_RAW_DIR
    warehouse: Path = DEFAULT_WAREHOUSE
    term_start: date = DEFAULT_TERM_START

    @classmethod
    def load(
        cls,
        raw_dir: str | Path | None = None,
        warehouse: str | Path | None = None,
        term_start: str | date | None = None,
    ) -> Settings:
        """Defaults, then environment, then explicit arguments (``None`` means not given)."""
        settings = cls()
        env = os.environ
        settings = settings.override(
            raw_dir=env.get("CADRES_RAW_DIR"),
            warehouse=env.get("CADRES_WAREHOUSE"),
            term_start=env.get("CADRES_TERM_START"),
        )
        return settings.override(raw_dir=raw_dir, warehouse=warehouse, term_start=term_start)

    def override(
        self,
        raw_dir: str | Path | None = None,
        warehouse: str | Path | None = None,
        term_start: str | date | None = None,
    ) -> Settings:
        """A copy with the given values replaced; ``None`` and empty strings are ignored."""
        changes: dict[str, object] = {}
        if raw_dir:
            changes["raw_dir"] = Path(raw_dir).expanduser().resolve()
        if warehouse:
            changes["warehouse"] = Path(warehouse).expanduser().resolve()
        if term_start:
            changes["term_start"] = (
                term_start if isinstance(term_start, date) else date.fromisoformat(str(term_start))
            )
        return replace(self, **changes)


def export_limits() -> tuple[int, int, int]:
    """(most MB a workbook may unpack to, most rows per file, most cells of a worksheet's
    used range): defaults, then environment.

    Read where the ingest starts, so a scheduled refresh can raise them without a flag; a
    value that is not a positive whole number is refused in one Chinese line.
    """
    limits = []
    for variable, default in (("CADRES_MAX_XLSX_MB", DEFAULT_MAX_XLSX_UNPACKED_MB),
                              ("CADRES_MAX_ROWS_PER_FILE", DEFAULT_MAX_ROWS_PER_FILE),
                              ("CADRES_MAX_CELLS_PER_SHEET", DEFAULT_MAX_CELLS_PER_SHEET)):
        text = os.environ.get(variable, "").strip()
        if text and (not text.isdigit() or int(text) < 1):
            raise ValueError(f"环境变量 {variable}=“{text[:20]}”应为正整数")
        limits.append(int(text) if text else default)
    return limits[0], limits[1], limits[2]
