"""Accounts as a steward and an attacker meet them: hashes, file modes, lockout, expiry, audit, policy.

Hashes here use cheap argon2id parameters (the same code path; the production parameters cost
about half a second per hash on the CI machine, which is the point of them).
"""

from __future__ import annotations

import csv
import io
import json
import stat
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from warehouse.accounts import (
    AccessMode,
    AccountsError,
    AccountSettings,
    Authenticator,
    Outcome,
    Role,
    Session,
    UserStore,
    access_mode,
    audit,
    check_serving_address,
    is_sample_raw_dir,
    parse_role,
)
from warehouse.accounts.authenticate import FAILED_MESSAGE
from warehouse.settings import SAMPLE_RAW_DIR

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct-horse-battery"
T0 = 1_800_000_000.0


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def settings(tmp_path: Path) -> AccountSettings:
    return replace(AccountSettings.for_users_file(tmp_path / "cfg" / "users.json"),
                   lock_after_failures=3, lock_minutes=10, failure_delay_seconds=2)


@pytest.fixture
def store(settings: AccountSettings) -> UserStore:
    users = UserStore(settings.users_file, hasher=FAST)
    users.add("leader01", Role.LEADER, None, PASSWORD)
    users.add("shizhong01", Role.COUNTY, "市中区", "another-long-pass")
    return users


@pytest.fixture
def auth(settings: AccountSettings, store: UserStore) -> Authenticator:
    return Authenticator(settings, store)


# --- users file -------------------------------------------------------------------------------

def test_users_file_holds_argon2id_hashes_only_and_is_private(settings: AccountSettings, store: UserStore) -> None:
    text = settings.users_file.read_text(encoding="utf-8")
    assert PASSWORD not in text and "another-long-pass" not in text
    entries = json.loads(text)["users"]
    assert entries["leader01"]["hash"].startswith("$argon2id$")
    assert entries["shizhong01"]["role"] == "county" and entries["shizhong01"]["region"] == "市中区"
    assert mode(settings.users_file) == 0o600
    assert mode(settings.users_file.parent) == 0o700


def test_a_users_file_readable_by_others_is_refused(settings: AccountSettings, store: UserStore) -> None:
    settings.users_file.chmod(0o644)
    with pytest.raises(AccountsError, match="权限过宽"):
        store.records()


def test_a_rewrite_restores_mode_0600_whatever_the_umask(settings: AccountSettings, store: UserStore) -> None:
    import os

    old = os.umask(0)
    try:
        store.set_password("leader01", "a-new-long-password")
    finally:
        os.umask(old)
    assert mode(settings.users_file) == 0o600


def test_add_checks_name_role_region_and_password(store: UserStore) -> None:
    with pytest.raises(AccountsError, match="已存在"):
        store.add("Leader01", Role.LEADER, None, PASSWORD)
    with pytest.raises(AccountsError, match="不合规"):
        store.add("张伟", Role.LEADER, None, PASSWORD)
    with pytest.raises(AccountsError, match="须用 --region"):
        store.add("county02", Role.COUNTY, None, PASSWORD)
    with pytest.raises(AccountsError, match="未知地区"):
        store.add("county02", Role.COUNTY, "火星区", PASSWORD)
    with pytest.raises(AccountsError, match="不能指定 --region"):
        store.add("analyst01", Role.ANALYST, "市中区", PASSWORD)
    with pytest.raises(AccountsError, match="太短"):
        store.add("analyst01", Role.ANALYST, None, "short")
    assert sorted(store.records()) == ["leader01", "shizhong01"]


def test_roles_parse_from_code_or_chinese_label() -> None:
    assert parse_role("区县") is Role.COUNTY and parse_role("steward") is Role.STEWARD
    assert [role.label for role in Role] == ["领导", "区县", "分析员", "数据管理员"]
    with pytest.raises(AccountsError, match="未知角色"):
        parse_role("admin")


def test_check_accepts_the_password_and_nothing_else(store: UserStore) -> None:
    account = store.check("LEADER01", PASSWORD)
    assert account is not None and account.role is Role.LEADER and account.scope_label == "全市"
    assert store.check("leader01", PASSWORD + "x") is None
    assert store.check("nobody", PASSWORD) is None


def test_an_old_hash_is_renewed_at_the_next_good_sign_in(settings: AccountSettings, store: UserStore) -> None:
    stronger = UserStore(settings.users_file, hasher=PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert stronger.check("leader01", PASSWORD) is not None
    assert "t=2" in json.loads(settings.users_file.read_text())["users"]["leader01"]["hash"]


# --- verify, throttling, lockout ----------------------------------------------------------------

def test_the_message_is_the_same_for_a_wrong_password_and_an_unknown_name(auth: Authenticator) -> None:
    wrong = auth.verify("leader01", "not-the-password", now=T0)
    unknown = auth.verify("nobody", "not-the-password", now=T0)
    assert wrong.outcome is unknown.outcome is Outcome.FAILED
    assert wrong.message == unknown.message == FAILED_MESSAGE


def test_failures_slow_down_then_lock_the_name_even_for_the_right_password(auth: Authenticator) -> None:
    assert auth.verify("leader01", "wrong-1", now=T0).outcome is Outcome.FAILED
    early = auth.verify("leader01", PASSWORD, now=T0 + 1)  # delay after 1 failure: 2 s
    assert early.outcome is Outcome.THROTTLED and early.message == "登录失败次数较多，请 1 秒后再试。"
    assert auth.verify("leader01", "wrong-2", now=T0 + 2).outcome is Outcome.FAILED
    assert auth.verify("leader01", "wrong-3", now=T0 + 5).outcome is Outcome.THROTTLED  # 4 s after 2 failures
    locked = auth.verify("leader01", "wrong-3", now=T0 + 6)  # the third failure locks (setting: 3)
    assert locked.outcome is Outcome.LOCKED and "10 分钟" in locked.message
    assert auth.verify("leader01", PASSWORD, now=T0 + 60).outcome is Outcome.LOCKED
    assert auth.is_locked("leader01", now=T0 + 60)
    assert auth.verify("leader01", PASSWORD, now=T0 + 6 + 600 + 1).ok  # the lock ran out


def test_an_unknown_name_is_locked_the_same_way(auth: Authenticator) -> None:
    outcomes = [auth.verify("nobody", "guess", now=T0 + 100 * i).outcome for i in range(4)]
    assert outcomes == [Outcome.FAILED, Outcome.FAILED, Outcome.LOCKED, Outcome.LOCKED]


def test_the_counter_survives_a_restart_and_lives_in_a_private_file(
        settings: AccountSettings, store: UserStore, auth: Authenticator) -> None:
    for i in range(3):
        auth.verify("leader01", "wrong", now=T0 + 100 * i)
    restarted = Authenticator(settings, UserStore(settings.users_file, hasher=FAST))
    assert restarted.verify("leader01", PASSWORD, now=T0 + 300).outcome is Outcome.LOCKED
    assert mode(settings.state_file) == 0o600
    state = settings.state_file.read_text(encoding="utf-8")
    assert "leader01" not in state and "wrong" not in state


def test_a_success_clears_the_failures_and_unlock_clears_a_lock(auth: Authenticator) -> None:
    auth.verify("leader01", "wrong", now=T0)
    assert auth.verify("leader01", PASSWORD, now=T0 + 10).ok
    for i in range(3):
        auth.verify("leader01", "wrong", now=T0 + 100 + 100 * i)
    assert auth.is_locked("leader01", now=T0 + 400)
    auth.unlock("leader01", now=T0 + 400)
    assert auth.verify("leader01", PASSWORD, now=T0 + 401).ok


def test_old_failures_are_forgotten(auth: Authenticator) -> None:
    auth.verify("leader01", "wrong", now=T0)
    auth.verify("leader01", "wrong", now=T0 + 100)
    assert auth.verify("leader01", "wrong", now=T0 + 100 + 601).outcome is Outcome.FAILED  # not LOCKED


# --- sessions ---------------------------------------------------------------------------------

def test_a_session_expires_after_the_idle_time_and_activity_extends_it(store: UserStore) -> None:
    record = store.get("leader01")
    assert record is not None
    session = Session.start(record, now=T0, idle_seconds=1800)
    assert not session.is_expired(T0 + 1800)
    session.touch(T0 + 1000)
    assert not session.is_expired(T0 + 2700) and session.is_expired(T0 + 2801)


def test_a_session_ends_when_its_account_changes(store: UserStore) -> None:
    record = store.get("shizhong01")
    assert record is not None
    session = Session.start(record, now=T0, idle_seconds=1800)
    assert session.still_matches(store.get("shizhong01"))
    store.set_password("shizhong01", "yet-another-password", now=datetime(2030, 1, 1, tzinfo=UTC))
    assert not session.still_matches(store.get("shizhong01"))
    store.remove("shizhong01")
    assert not session.still_matches(store.get("shizhong01"))


# --- audit ------------------------------------------------------------------------------------

def test_sign_ins_failures_and_lockouts_are_audited_without_secrets(
        settings: AccountSettings, auth: Authenticator) -> None:
    auth.verify("leader01", PASSWORD, now=T0)
    auth.verify("leader01", "wrong-secret-1", now=T0 + 10)
    auth.verify("some.typo", "wrong-secret-2", now=T0 + 10)
    for i in range(3):  # the second of these is the third failure of leader01: it locks
        auth.verify("leader01", "wrong-secret-3", now=T0 + 100 + 100 * i)
    events = audit.read_events(settings.audit_log)
    assert [e["event"] for e in events] == ["signin", "signin_failed", "signin_failed", "signin_failed",
                                            "lockout", "signin_refused"]
    assert events[0]["user"] == "leader01" and events[0]["scope"] == "全市"
    assert events[2]["user"] is None and events[2]["detail"] == "未知用户名"
    text = settings.audit_log.read_text(encoding="utf-8")
    assert "wrong-secret" not in text and PASSWORD not in text and "some.typo" not in text
    assert mode(settings.audit_log) == 0o600


def test_record_appends_and_masks_anything_shaped_like_an_id_number(settings: AccountSettings) -> None:
    audit.record("person_view", "analyst01", {"地区": "市中区", "成熟度": "近期可用"}, rows=12,
                 log=settings.audit_log)
    audit.record("download", "analyst01", "市中区", rows=12, detail="筛选 511102198001010011 的名单",
                 log=settings.audit_log)
    lines = settings.audit_log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["scope"] == {"地区": "市中区", "成熟度": "近期可用"}
    assert "511102198001010011" not in lines[1] and "[已屏蔽]" in lines[1]
    with pytest.raises(ValueError, match="unknown audit event"):
        audit.record("viewed", "analyst01", None, log=settings.audit_log)


def test_since_filters_by_beijing_date(settings: AccountSettings) -> None:
    audit.record("signin", "a1", "全市", log=settings.audit_log, now=datetime(2026, 3, 1, 15, 59, tzinfo=UTC))
    audit.record("signin", "a2", "全市", log=settings.audit_log, now=datetime(2026, 3, 1, 16, 1, tzinfo=UTC))
    assert [e["user"] for e in audit.read_events(settings.audit_log, since=date(2026, 3, 2))] == ["a2"]


def test_csv_export_defuses_formulas() -> None:
    events = [{"time": "2026-03-01T00:00:00+00:00", "event": "download", "user": "analyst01",
               "scope": "=HYPERLINK(\"http://x\")", "rows": 3, "detail": "@SUM(A1)"},
              {"time": "2026-03-01T00:00:00+00:00", "event": "download", "user": "analyst01",
               "scope": "-1+2", "rows": None, "detail": "\tcmd"}]
    rows = list(csv.reader(io.StringIO(audit.as_csv(events))))
    assert rows[0][0] == "时间（北京时间）"
    assert rows[1][0] == "2026-03-01 08:00:00" and rows[1][1] == "下载"
    assert rows[1][4] == "'=HYPERLINK(\"http://x\")" and rows[1][6] == "'@SUM(A1)"
    assert rows[2][4] == "'-1+2" and rows[2][6] == "'\tcmd"


# --- policy -----------------------------------------------------------------------------------

def test_sign_in_is_required_except_for_the_sample_without_accounts() -> None:
    assert access_mode(has_accounts=True, is_sample=True) is AccessMode.SIGN_IN
    assert access_mode(has_accounts=False, is_sample=True) is AccessMode.DEMO
    assert access_mode(has_accounts=False, is_sample=False) is AccessMode.CLOSED
    assert is_sample_raw_dir(SAMPLE_RAW_DIR) and is_sample_raw_dir(f"{SAMPLE_RAW_DIR}/../raw")
    assert not is_sample_raw_dir("/srv/exports/2026") and not is_sample_raw_dir(None)


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "192.168.1.10", "dashboard.example.gov.cn"])
def test_serving_beyond_loopback_needs_an_account(address: str) -> None:
    with pytest.raises(AccountsError, match="cadres users add"):
        check_serving_address(address, has_accounts=False)
    check_serving_address(address, has_accounts=True)


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_is_always_allowed(address: str) -> None:
    check_serving_address(address, has_accounts=False)


def test_settings_come_from_the_environment(tmp_path: Path) -> None:
    settings = AccountSettings.load({"CADRES_USERS_FILE": str(tmp_path / "u.json"),
                                     "CADRES_SESSION_IDLE_MINUTES": "10", "CADRES_LOCK_AFTER_FAILURES": "4"})
    assert settings.users_file == tmp_path / "u.json" and settings.audit_log == tmp_path / "audit.jsonl"
    assert settings.idle_minutes == 10 and settings.lock_after_failures == 4
    assert AccountSettings.load({"XDG_CONFIG_HOME": str(tmp_path)}).users_file == tmp_path / "cadres" / "users.json"
    with pytest.raises(AccountsError, match="CADRES_LOCK_MINUTES"):
        AccountSettings.load({"CADRES_LOCK_MINUTES": "soon"})


def test_an_unknown_name_costs_one_hash_verification_like_a_known_one(settings: AccountSettings,
                                                                      store: UserStore) -> None:
    class Counting(PasswordHasher):
        calls = 0

        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            Counting.calls += 1
            return super().verify(hash, password)

    counting = UserStore(settings.users_file, hasher=Counting(time_cost=1, memory_cost=1024, parallelism=1))
    counting.check("leader01", "wrong-password")
    counting.check("nobody", "wrong-password")
    counting.check("这不是用户名", "wrong-password")
    assert Counting.calls == 3


def test_each_line_chains_to_the_one_before_so_edits_and_deletions_show(settings: AccountSettings) -> None:
    for user in ("a1", "a2", "a3"):
        audit.record("signin", user, "全市", log=settings.audit_log)
    assert audit.broken_link(settings.audit_log) is None
    lines = settings.audit_log.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = lines[1].replace('"user": "a2"', '"user": "x9"')
    assert edited != lines[1]
    settings.audit_log.write_text(lines[0] + edited + lines[2], encoding="utf-8")
    assert audit.broken_link(settings.audit_log) == 3
    settings.audit_log.write_text(lines[0] + lines[2], encoding="utf-8")
    assert audit.broken_link(settings.audit_log) == 2


def test_cadres_dashboard_says_at_start_when_nobody_will_be_asked_to_sign_in(tmp_path: Path) -> None:
    import duckdb

    from warehouse.accounts.policy import launch_notice
    from warehouse.launch import published_raw_dir

    warehouse = tmp_path / "cadres.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema meta")
        connection.execute("create table meta.refresh_log (refreshed_at timestamp, raw_dir varchar)")
        connection.execute("insert into meta.refresh_log values (now(), ?)", [str(SAMPLE_RAW_DIR)])
    assert published_raw_dir(warehouse) == str(SAMPLE_RAW_DIR)
    assert published_raw_dir(tmp_path / "missing.duckdb") is None
    assert "演示数据" in (launch_notice(AccessMode.DEMO) or "")
    assert "cadres users add" in (launch_notice(AccessMode.CLOSED) or "")
    assert launch_notice(AccessMode.SIGN_IN) is None
