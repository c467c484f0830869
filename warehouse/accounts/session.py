"""A signed-in session: who, since when, and when they were last active.

The dashboard keeps one in ``st.session_state``. A session ends after ``idle_seconds`` without
activity (a screen left open in an office must not stay signed in), and also when the account
behind it changes: removed, given another role or region, or a new password.
"""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.accounts.store import Account, UserRecord


@dataclass
class Session:
    """Times are seconds since the epoch (``time.time()``), so tests pass their own clock."""

    account: Account
    password_changed_at: str
    started_at: float
    last_seen: float
    idle_seconds: float

    @classmethod
    def start(cls, record: UserRecord, now: float, idle_seconds: float) -> Session:
        return cls(record.account, record.password_changed_at, now, now, idle_seconds)

    def is_expired(self, now: float) -> bool:
        """True once the user has been idle for longer than the idle limit."""
        return now - self.last_seen > self.idle_seconds

    def touch(self, now: float) -> None:
        """Record activity (any rerun of the page)."""
        self.last_seen = max(self.last_seen, now)

    def still_matches(self, record: UserRecord | None) -> bool:
        """False when the account was removed or its role, region or password changed since sign-in."""
        return (record is not None and record.account == self.account
                and record.password_changed_at == self.password_changed_at)
