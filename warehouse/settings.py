"""Run settings: the one documented place for defaults and their overrides.

Precedence, lowest to highest: the defaults below, environment variables
(``CADRES_RAW_DIR``, ``CADRES_WAREHOUSE``, ``CADRES_TERM_START``, ``CADRES_MAX_REJECT_SHARE``,
``CADRES_MAX_FIGURE_CHANGE``), command-line flags. A value that cannot be read is a one-line
Chinese error naming the setting, never a traceback.
Paths are resolved against the project root so that ``cadres`` behaves the same from any
working directory of a checkout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from warehouse.errors import RefreshError

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
# Publish gates (warehouse/gates.py): a file losing more than this share of its rows to rejects,
# or a key figure moving by more than this share since the last publish, stops the publish.
DEFAULT_MAX_REJECT_SHARE = 0.2
DEFAULT_MAX_FIGURE_CHANGE = 0.3

_ENVIRONMENT = {
    "raw_dir": "CADRES_RAW_DIR",
    "warehouse": "CADRES_WAREHOUSE",
    "term_start": "CADRES_TERM_START",
    "max_reject_share": "CADRES_MAX_REJECT_SHARE",
    "max_figure_change": "CADRES_MAX_FIGURE_CHANGE",
}


def _share(value: str | float, name: str) -> float:
    """A share between 0 and 1, also written as a percentage (``20%``)."""
    text = str(value).strip()
    try:
        share = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        share = -1.0
    if not 0 <= share < float("inf"):  # also false for NaN
        raise RefreshError(f"设置 {name} 的值“{value}”无效：应为不小于 0 的小数或百分比（如 0.2 或 20%）")
    return share


def _date(value: str | date, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise RefreshError(f"设置 {name} 的值“{value}”不是日期：应为 YYYY-MM-DD（如 2016-11-01）") from None


@dataclass(frozen=True)
class Settings:
    """Where the raw exports are, where the published warehouse lives, the term start, and the
    thresholds of the publish gates."""

    raw_dir: Path = DEFAULT_RAW_DIR
    warehouse: Path = DEFAULT_WAREHOUSE
    term_start: date = DEFAULT_TERM_START
    max_reject_share: float = DEFAULT_MAX_REJECT_SHARE
    max_figure_change: float = DEFAULT_MAX_FIGURE_CHANGE

    @classmethod
    def load(
        cls,
        raw_dir: str | Path | None = None,
        warehouse: str | Path | None = None,
        term_start: str | date | None = None,
        max_reject_share: str | float | None = None,
        max_figure_change: str | float | None = None,
    ) -> Settings:
        """Defaults, then environment, then explicit arguments (``None`` means not given)."""
        from_env = {name: os.environ.get(variable) for name, variable in _ENVIRONMENT.items()}
        settings = cls().override(**from_env, source="environment")
        return settings.override(raw_dir=raw_dir, warehouse=warehouse, term_start=term_start,
                                 max_reject_share=max_reject_share,
                                 max_figure_change=max_figure_change)

    def override(
        self,
        raw_dir: str | Path | None = None,
        warehouse: str | Path | None = None,
        term_start: str | date | None = None,
        max_reject_share: str | float | None = None,
        max_figure_change: str | float | None = None,
        *,
        source: str = "flag",
    ) -> Settings:
        """A copy with the given values replaced; ``None`` and empty strings are ignored."""
        def name(setting: str) -> str:
            return _ENVIRONMENT[setting] if source == "environment" else "--" + setting.replace("_", "-")

        changes: dict[str, object] = {}
        if raw_dir:
            changes["raw_dir"] = Path(raw_dir).expanduser().resolve()
        if warehouse:
            changes["warehouse"] = Path(warehouse).expanduser().resolve()
        if term_start:
            changes["term_start"] = _date(term_start, name("term_start"))
        for setting, value in (("max_reject_share", max_reject_share),
                               ("max_figure_change", max_figure_change)):
            if value is not None and value != "":
                changes[setting] = _share(value, name(setting))
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
