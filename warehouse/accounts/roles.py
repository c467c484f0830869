"""The four roles: stable ASCII codes in files and code, Chinese labels for people.

Codes are what the users file and the audit log store, so renaming a label never breaks an
installation; labels are what the command line and the dashboard show.
"""

from __future__ import annotations

from enum import StrEnum

from warehouse.accounts.errors import AccountsError


class Role(StrEnum):
    LEADER = "leader"
    COUNTY = "county"
    ANALYST = "analyst"
    STEWARD = "steward"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def needs_region(self) -> bool:
        """A county user sees one region only, so the account must name it."""
        return self is Role.COUNTY


ROLE_LABELS: dict[Role, str] = {
    Role.LEADER: "领导",
    Role.COUNTY: "区县",
    Role.ANALYST: "分析员",
    Role.STEWARD: "数据管理员",
}


def parse_role(text: str) -> Role:
    """A role from its code (``county``) or its label (``区县``)."""
    cleaned = text.strip()
    for role in Role:
        if cleaned.lower() == role.value or cleaned == role.label:
            return role
    choices = "、".join(f"{role.label}（{role.value}）" for role in Role)
    raise AccountsError(f"未知角色“{text}”，可选：{choices}")
