"""Local accounts of the dashboard: users file, sign-in checks, sessions, policy, audit log.

The API the dashboard uses (``dashboard/signin.py`` wraps the first four for Streamlit):

* ``AccountSettings.load()`` — files and limits, from ``CADRES_*`` environment variables;
* ``Authenticator(settings).verify(name, password, now=None) -> SignInResult`` — one attempt,
  throttled, locked after repeated failures, audited; ``result.message`` is the Chinese line;
* ``Session`` — ``is_expired(now)``, ``touch(now)``, ``still_matches(record)``;
* ``access_mode(has_accounts=…, is_sample=…)``, ``is_sample_raw_dir(raw_dir)``,
  ``check_serving_address(address, has_accounts=…)`` — when sign-in is required;
* ``audit.record(event, user, scope, rows=None, detail=None)`` — person-level views, downloads;
* ``Account`` (``name``, ``role``, ``region``, ``scope_label``) and ``Role`` (codes
  ``leader``/``county``/``analyst``/``steward``, ``.label`` 领导/区县/分析员/数据管理员).
"""

from __future__ import annotations

from warehouse.accounts import audit
from warehouse.accounts.authenticate import Authenticator, Outcome, SignInResult
from warehouse.accounts.errors import AccountsError
from warehouse.accounts.policy import AccessMode, access_mode, check_serving_address, is_sample_raw_dir
from warehouse.accounts.roles import Role, parse_role
from warehouse.accounts.session import Session
from warehouse.accounts.settings import AccountSettings
from warehouse.accounts.store import Account, UserRecord, UserStore

__all__ = [
    "AccessMode",
    "Account",
    "AccountSettings",
    "AccountsError",
    "Authenticator",
    "Outcome",
    "Role",
    "Session",
    "SignInResult",
    "UserRecord",
    "UserStore",
    "access_mode",
    "audit",
    "check_serving_address",
    "is_sample_raw_dir",
    "parse_role",
]
