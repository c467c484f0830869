"""Where accounts live and how strict sign-in is: one place for the defaults and their overrides.

The users file holds password hashes, so it lives outside the checkout (a clone, a backup of the
repository or a shared folder must never carry it): by default ``~/.config/cadres/users.json``
(``$XDG_CONFIG_HOME`` is honoured). The sign-in state (failure counters, locks) and the audit log
sit beside it unless set on their own. Every value can be overridden by an environment variable:

| setting | default | environment |
| --- | --- | --- |
| users file | ``~/.config/cadres/users.json`` | ``CADRES_USERS_FILE`` |
| sign-in state | ``<users dir>/signin-state.json`` | ``CADRES_SIGNIN_STATE`` |
| audit log | ``<users dir>/audit.jsonl`` | ``CADRES_AUDIT_LOG`` |
| idle minutes before a session ends | 30 | ``CADRES_SESSION_IDLE_MINUTES`` |
| failures before a name is locked | 5 | ``CADRES_LOCK_AFTER_FAILURES`` |
| minutes a name stays locked | 15 | ``CADRES_LOCK_MINUTES`` |
| first delay after a failure, doubling | 1 second | ``CADRES_FAILURE_DELAY_SECONDS`` |
| smallest count shown to 领导/区县 (k; smaller ones show "<k") | 5 | ``CADRES_MIN_CELL`` |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from warehouse.accounts.errors import AccountsError

USERS_FILE_NAME = "users.json"
STATE_FILE_NAME = "signin-state.json"
AUDIT_FILE_NAME = "audit.jsonl"


def default_users_file(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/cadres/users.json``, else ``~/.config/cadres/users.json``."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "cadres" / USERS_FILE_NAME


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise AccountsError(f"环境变量 {name} 应为正数，实际为“{text}”") from None
    if value <= 0:
        raise AccountsError(f"环境变量 {name} 应为正数，实际为“{text}”")
    return value


@dataclass(frozen=True)
class AccountSettings:
    """Files and limits of local sign-in; see the module docstring for defaults and variables."""

    users_file: Path
    state_file: Path
    audit_log: Path
    idle_minutes: float = 30
    lock_after_failures: int = 5
    lock_minutes: float = 15
    failure_delay_seconds: float = 1
    min_cell: int = 5

    @classmethod
    def for_users_file(cls, users_file: Path) -> AccountSettings:
        """Defaults with the state file and the audit log beside ``users_file``."""
        users_file = users_file.expanduser().resolve()
        return cls(users_file=users_file, state_file=users_file.with_name(STATE_FILE_NAME),
                   audit_log=users_file.with_name(AUDIT_FILE_NAME))

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None) -> AccountSettings:
        """Defaults, then the ``CADRES_*`` environment variables."""
        env = os.environ if env is None else env
        users_file = Path(env.get("CADRES_USERS_FILE") or default_users_file(env))
        settings = cls.for_users_file(users_file)
        if env.get("CADRES_SIGNIN_STATE"):
            settings = replace(settings, state_file=Path(env["CADRES_SIGNIN_STATE"]).expanduser().resolve())
        if env.get("CADRES_AUDIT_LOG"):
            settings = replace(settings, audit_log=Path(env["CADRES_AUDIT_LOG"]).expanduser().resolve())
        return replace(
            settings,
            idle_minutes=_positive(env, "CADRES_SESSION_IDLE_MINUTES", settings.idle_minutes),
            lock_after_failures=int(_positive(env, "CADRES_LOCK_AFTER_FAILURES", settings.lock_after_failures)),
            lock_minutes=_positive(env, "CADRES_LOCK_MINUTES", settings.lock_minutes),
            failure_delay_seconds=_positive(env, "CADRES_FAILURE_DELAY_SECONDS", settings.failure_delay_seconds),
            min_cell=int(_positive(env, "CADRES_MIN_CELL", settings.min_cell)),
        )
