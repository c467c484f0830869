"""Checking a name and password: slow down guessing, lock a name, never say whether it exists.

Failures are counted per *typed* name, whether or not an account of that name exists, so the
delays and the lock look the same for a real and an invented name; an unknown name costs one
argon2 verification of a dummy hash, like a known one. After each failure the next attempt on
that name must wait ``failure_delay_seconds × 2^(failures-1)`` (1, 2, 4, 8 s by default); at
``lock_after_failures`` failures the name is locked for ``lock_minutes``. An attempt counts as a
failure *before* the password is checked and is cleared on success, so many attempts in
parallel cannot slip past the counter.

The counters live in the sign-in state file (mode 0600), so restarting the dashboard does not
reset them. Its keys are HMACs of the typed names under a random key kept in the same file:
what someone typed into the name field (sometimes a password, sometimes a person's name) is
never written down. Failures older than the lock period are forgotten.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from warehouse.accounts import audit
from warehouse.accounts.errors import AccountsError
from warehouse.accounts.files import exclusive, require_private, write_private
from warehouse.accounts.settings import AccountSettings
from warehouse.accounts.store import Account, UserStore, is_valid_name, normalise_name

FAILED_MESSAGE = "用户名或密码不正确。"
THROTTLED_MESSAGE = "登录失败次数较多，请 {seconds} 秒后再试。"
LOCKED_MESSAGE = "登录失败次数过多，该用户名已暂时锁定，请 {minutes} 分钟后再试，或请数据管理员解锁。"


class Outcome(StrEnum):
    OK = "ok"
    FAILED = "failed"
    THROTTLED = "throttled"
    LOCKED = "locked"


@dataclass(frozen=True)
class SignInResult:
    """What happened; ``message`` is the Chinese line to show, the same for known and unknown names."""

    outcome: Outcome
    account: Account | None = None
    retry_after: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def message(self) -> str:
        if self.outcome is Outcome.THROTTLED:
            return THROTTLED_MESSAGE.format(seconds=max(1, math.ceil(self.retry_after)))
        if self.outcome is Outcome.LOCKED:
            return LOCKED_MESSAGE.format(minutes=max(1, math.ceil(self.retry_after / 60)))
        if self.outcome is Outcome.FAILED:
            return FAILED_MESSAGE
        return ""


class Authenticator:
    """``verify`` for the sign-in form; ``unlock`` for ``cadres users unlock`` and ``passwd``."""

    def __init__(self, settings: AccountSettings, store: UserStore | None = None) -> None:
        self.settings = settings
        self.store = store or UserStore(settings.users_file)

    # --- the state file --------------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        path = self.settings.state_file
        if not path.exists():
            return {"format": 1, "key": secrets.token_hex(32), "names": {}}
        require_private(path, "登录状态文件")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data.get("names"), dict) or not data.get("key"):
                raise ValueError
            return data
        except ValueError:
            raise AccountsError(f"登录状态文件已损坏：{path}（删除它即可清零所有失败计数）") from None

    def _save(self, data: dict[str, Any], now: float) -> None:
        window = self.settings.lock_minutes * 60
        data["names"] = {key: entry for key, entry in data["names"].items()
                         if entry.get("locked_until", 0) > now or entry["last_failure"] + window > now}
        write_private(self.settings.state_file, json.dumps(data, sort_keys=True) + "\n")

    @staticmethod
    def _key(data: dict[str, Any], name: str) -> str:
        return hmac.new(bytes.fromhex(data["key"]), normalise_name(name).encode("utf-8"),
                        hashlib.sha256).hexdigest()

    def _delay(self, failures: int) -> float:
        return self.settings.failure_delay_seconds * 2 ** (failures - 1) if failures else 0.0

    def _current(self, data: dict[str, Any], key: str, now: float) -> dict[str, Any]:
        """The live entry of a name: an expired lock or stale failures count as none."""
        entry = data["names"].get(key)
        if entry is None:
            return {"failures": 0, "last_failure": 0.0, "locked_until": 0.0}
        if entry["locked_until"] and entry["locked_until"] <= now:
            return {"failures": 0, "last_failure": 0.0, "locked_until": 0.0}
        if not entry["locked_until"] and entry["last_failure"] + self.settings.lock_minutes * 60 <= now:
            return {"failures": 0, "last_failure": 0.0, "locked_until": 0.0}
        return entry

    # --- the check -------------------------------------------------------------------------------

    def _admit(self, name: str, now: float) -> SignInResult | None:
        """Refuse a locked or too-early attempt; otherwise count it as a failure in advance."""
        with exclusive(self.settings.state_file):
            data = self._load()
            key = self._key(data, name)
            entry = self._current(data, key, now)
            if entry["locked_until"] > now:
                return SignInResult(Outcome.LOCKED, retry_after=entry["locked_until"] - now)
            wait = entry["last_failure"] + self._delay(entry["failures"]) - now
            if entry["failures"] and wait > 0:
                return SignInResult(Outcome.THROTTLED, retry_after=wait)
            failures = entry["failures"] + 1
            locks = failures >= self.settings.lock_after_failures
            locked_until = now + self.settings.lock_minutes * 60 if locks else 0.0
            data["names"][key] = {"failures": failures, "last_failure": now, "locked_until": locked_until}
            self._save(data, now)
        return None

    def _clear(self, name: str, now: float) -> None:
        with exclusive(self.settings.state_file):
            data = self._load()
            data["names"].pop(self._key(data, name), None)
            self._save(data, now)

    def verify(self, name: str, password: str, now: float | None = None) -> SignInResult:
        """Check one sign-in attempt and write it to the audit log."""
        now = time.time() if now is None else now
        known = self.store.get(name) if is_valid_name(name) else None
        who = known.account.name if known else None
        scope = known.account.scope_label if known else None
        refused = self._admit(name, now)
        if refused is not None:
            audit.record("signin_refused", who, scope, detail=_unknown(known, refused.message),
                         log=self.settings.audit_log)
            return refused
        account = self.store.check(name, password)
        if account is not None:
            self._clear(name, now)
            audit.record("signin", account.name, account.scope_label, detail=account.role.label,
                         log=self.settings.audit_log)
            return SignInResult(Outcome.OK, account=account)
        data = self._load()
        state = self._current(data, self._key(data, name), now)
        if state["locked_until"] > now:
            result = SignInResult(Outcome.LOCKED, retry_after=state["locked_until"] - now)
            audit.record("lockout", who, scope, detail=_unknown(known, f"连续失败 {state['failures']} 次"),
                         log=self.settings.audit_log)
        else:
            result = SignInResult(Outcome.FAILED)
            audit.record("signin_failed", who, scope, detail=_unknown(known, None),
                         log=self.settings.audit_log)
        return result

    def unlock(self, name: str, now: float | None = None) -> None:
        """Forget a name's failures and lock (a steward vouched for the person)."""
        self._clear(name, time.time() if now is None else now)

    def is_locked(self, name: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        if not self.settings.state_file.exists():
            return False
        data = self._load()
        return self._current(data, self._key(data, name), now)["locked_until"] > now


def _unknown(known: object | None, detail: str | None) -> str | None:
    """The audit line says an attempt used no existing name, without writing what was typed."""
    if known is not None:
        return detail
    return "未知用户名" + (f"；{detail}" if detail else "")
