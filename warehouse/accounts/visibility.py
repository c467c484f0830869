"""What a session may see: the one place that decides; the dashboard's pages ask it.

| role | aggregates | small cells | fine dimensions | person lists | stewardship |
| --- | --- | --- | --- | --- | --- |
| 领导 | city-wide | "<k" (see below) | no | no | no |
| 区县 | own region only | "<k" | no | no | no |
| 分析员 | city-wide | exact | yes | masked IDs, logged | no |
| 数据管理员 | city-wide | exact | yes | masked IDs, logged | rejects with values, audit |
| 演示数据 (no account, synthetic sample only) | city-wide | exact | yes | yes | yes |

Suppressed: person counts of the pool and training broken down by ethnicity, affiliation or
list (the 宗教界代表人士 list among them), or by any two dimensions.

The region lock itself is applied by ``dashboard.filters`` (``locked_region``); suppression by
:meth:`Visibility.shown` on every grouped metric result, so charts, tables and downloads (all
drawn from that result) agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl

from warehouse.accounts.roles import Role
from warehouse.accounts.store import Account
from warehouse.accounts.suppression import DEFAULT_MIN_CELL, suppress
from warehouse.semantic.query import Scope

# Dimensions finer than a birth year, or that name one person: never offered to 领导 / 区县.
# A post's 任职时间 is not here: an appointment is public (it has its 任职文号), and 班子配备
# lists the city's department posts by date for leaders.
_FINE = re.compile(r"birth_date|person_key|(^|__)person$|tenure_id|出生日期")
# Breakdowns of the people of the pool and of training (not public): by one of these sensitive
# dimensions, or by any two dimensions, their counts are suppressed. Appointments and teams are
# public posts (each has its 任职文号), and are not.
_PERSON_MODELS = ("pool_membership__", "list_membership__", "pool_flow__", "training__")
_SENSITIVE = re.compile(r"__(ethnicity|ethnic_group|affiliation|list_name)$")
COUNT_UNITS = frozenset({"人"})


@dataclass(frozen=True)
class Visibility:
    """A session's rights; ``account`` is ``None`` in 演示数据 mode (the synthetic sample)."""

    account: Account | None
    min_cell: int = DEFAULT_MIN_CELL

    @property
    def role(self) -> Role | None:
        return self.account.role if self.account else None

    @property
    def region(self) -> str | None:
        """The only region a county session sees."""
        return self.account.region if self.account and self.account.role is Role.COUNTY else None

    @property
    def suppresses(self) -> bool:
        """Leader and county sessions see aggregates in which no small group can be singled out."""
        return self.role in (Role.LEADER, Role.COUNTY)

    @property
    def sees_persons(self) -> bool:
        """Person-level lists (names, masked ID numbers): analysts and stewards."""
        return not self.suppresses

    @property
    def stewards(self) -> bool:
        """Rejected rows with their values and the audit log."""
        return self.account is None or self.role is Role.STEWARD

    @property
    def who(self) -> str:
        """The name the audit log records."""
        return self.account.name if self.account else "演示数据"

    def confine(self, scope: Scope) -> Scope:
        """``scope`` as this session may ask it: a county session's is its own region, whatever
        regions were asked (a briefing, like every page, never reaches outside it)."""
        if self.region is None:
            return scope
        return replace(scope, regions=(self.region,))

    def offers_dimension(self, name: str) -> bool:
        """False for a dimension finer than birth year (or naming a person) in a suppressed session."""
        return not (self.suppresses and _FINE.search(name))

    def shown(self, frame: pl.DataFrame, group_by: Sequence[str], units: dict[str, str]) -> pl.DataFrame:
        """A grouped metric result as this session may see it: small counts null (shown "<k")."""
        if not self.suppresses or not group_by:
            return frame
        for name in group_by:
            if not self.offers_dimension(name):
                raise PermissionError(f"维度“{name}”过细，当前角色不可使用")
        by = [name for name in group_by if not name.startswith("metric_time")]
        persons = [name for name in by if name.startswith(_PERSON_MODELS)]
        if not persons or not (len(by) >= 2 or any(_SENSITIVE.search(name) for name in by)):
            return frame
        counts = [metric for metric, unit in units.items() if unit in COUNT_UNITS]
        return suppress(frame, list(group_by), counts, self.min_cell)

    @property
    def hidden_text(self) -> str:
        return f"<{self.min_cell}"
