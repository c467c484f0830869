"""The users file: account name → role, region and an argon2id hash; never a password.

Account names are ASCII work names (``leader01``, ``shizhong.zhang``): they are written into the
audit log and the sign-in state, and an ASCII rule keeps a person's Chinese name (who may be in
the pool) or a mistyped password out of both. Hashes are argon2id (``argon2-cffi``'s RFC 9106
low-memory profile); a hash made with older parameters is renewed at the next good sign-in.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from warehouse.accounts.errors import AccountsError
from warehouse.accounts.files import exclusive, require_private, write_private
from warehouse.accounts.roles import Role
from warehouse.reference import load_reference

FORMAT_VERSION = 1
NAME_PATTERN = re.compile(r"[a-z][a-z0-9._-]{1,31}")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
DEFAULT_HASHER = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4 (RFC 9106 low-memory)


def normalise_name(name: str) -> str:
    """Names compare case-insensitively: ``Leader01`` and ``leader01`` are one account."""
    return name.strip().lower()


def is_valid_name(name: str) -> bool:
    return NAME_PATTERN.fullmatch(normalise_name(name)) is not None


def validate_name(name: str) -> str:
    normalised = normalise_name(name)
    if not NAME_PATTERN.fullmatch(normalised):
        raise AccountsError(f"用户名“{name}”不合规：须为 2–32 个英文小写字母、数字或 . _ -，以字母开头"
                            "（不要用人员姓名）")
    return normalised


def validate_password(name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountsError(f"密码太短：至少 {MIN_PASSWORD_LENGTH} 个字符")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountsError(f"密码太长：至多 {MAX_PASSWORD_LENGTH} 个字符")
    if normalise_name(password) == name:
        raise AccountsError("密码不能与用户名相同")


def validate_region(role: Role, region: str | None) -> str | None:
    """A county account names one region of ``ref_regions``; the other roles see the whole city."""
    if not role.needs_region:
        if region:
            raise AccountsError(f"角色“{role.label}”看全市数据，不能指定 --region")
        return None
    regions = load_reference().regions
    if not region:
        raise AccountsError(f"角色“{role.label}”须用 --region 指定地区，可选：{'、'.join(regions)}")
    if region.strip() not in regions:
        raise AccountsError(f"未知地区“{region}”，可选：{'、'.join(regions)}")
    return region.strip()


@dataclass(frozen=True)
class Account:
    """Who is signed in: what the dashboard needs to decide what they may see."""

    name: str
    role: Role
    region: str | None = None

    @property
    def scope_label(self) -> str:
        """``市中区`` for a county account, ``全市`` otherwise (for captions and the audit log)."""
        return self.region or "全市"

    @property
    def label(self) -> str:
        """``leader01（领导·全市）``."""
        return f"{self.name}（{self.role.label}·{self.scope_label}）"


@dataclass(frozen=True)
class UserRecord:
    """One line of the users file."""

    account: Account
    password_hash: str
    created_at: str
    password_changed_at: str

    def as_json(self) -> dict[str, Any]:
        return {"role": self.account.role.value, "region": self.account.region,
                "hash": self.password_hash, "created_at": self.created_at,
                "password_changed_at": self.password_changed_at}

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> UserRecord:
        return cls(Account(name, Role(data["role"]), data.get("region")), data["hash"],
                   data["created_at"], data["password_changed_at"])


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash with the same parameters as real ones, so an unknown name costs the same time."""
    return hasher.hash(secrets.token_urlsafe(16))


def _now_text(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


class UserStore:
    """Read and change the users file; every change is a locked, atomic rewrite with mode 0600."""

    def __init__(self, path: Path, hasher: PasswordHasher = DEFAULT_HASHER) -> None:
        self.path = path
        self.hasher = hasher

    # --- reading -------------------------------------------------------------------------------

    def records(self) -> dict[str, UserRecord]:
        """All accounts; a missing file is no account, a readable-by-others file is refused."""
        if not self.path.exists():
            return {}
        require_private(self.path, "用户文件")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {name: UserRecord.from_json(name, entry) for name, entry in data["users"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise AccountsError(f"用户文件已损坏，无法读取：{self.path}") from None

    def has_accounts(self) -> bool:
        return bool(self.records())

    def get(self, name: str) -> UserRecord | None:
        return self.records().get(normalise_name(name))

    # --- passwords -----------------------------------------------------------------------------

    def check(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is right, else None, taking as long whether or not it exists."""
        record = self.get(name) if is_valid_name(name) else None
        stored = record.password_hash if record else _dummy_hash(self.hasher)
        try:
            self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if record is None:
            return None
        if self.hasher.check_needs_rehash(stored):
            self._update(record.account.name, lambda entry: entry | {"hash": self.hasher.hash(password)})
        return record.account

    # --- changes -------------------------------------------------------------------------------

    def _load_raw(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"format": FORMAT_VERSION, "users": {}}
        self.records()  # the same checks as a read: private, well-formed
        return json.loads(self.path.read_text(encoding="utf-8"))

    def _save_raw(self, data: dict[str, Any]) -> None:
        write_private(self.path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")

    def _update(self, name: str, change: Any) -> None:
        with exclusive(self.path):
            data = self._load_raw()
            if name not in data["users"]:
                raise AccountsError(f"没有用户“{name}”")
            data["users"][name] = change(data["users"][name])
            self._save_raw(data)

    def add(self, name: str, role: Role, region: str | None, password: str,
            now: datetime | None = None) -> Account:
        name = validate_name(name)
        region = validate_region(role, region)
        validate_password(name, password)
        password_hash = self.hasher.hash(password)
        with exclusive(self.path):
            data = self._load_raw()
            if name in data["users"]:
                raise AccountsError(f"用户“{name}”已存在（改密码用 cadres users passwd {name}）")
            stamp = _now_text(now)
            record = UserRecord(Account(name, role, region), password_hash, stamp, stamp)
            data["users"][name] = record.as_json()
            self._save_raw(data)
        return record.account

    def remove(self, name: str) -> Account:
        name = normalise_name(name)
        with exclusive(self.path):
            data = self._load_raw()
            if name not in data["users"]:
                raise AccountsError(f"没有用户“{name}”")
            record = UserRecord.from_json(name, data["users"].pop(name))
            self._save_raw(data)
        return record.account

    def set_password(self, name: str, password: str, now: datetime | None = None) -> Account:
        name = normalise_name(name)
        record = self.get(name)
        if record is None:
            raise AccountsError(f"没有用户“{name}”")
        validate_password(name, password)
        password_hash = self.hasher.hash(password)
        self._update(name, lambda entry: entry | {"hash": password_hash,
                                                  "password_changed_at": _now_text(now)})
        return record.account
