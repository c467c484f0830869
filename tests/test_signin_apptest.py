"""The sign-in component (``dashboard/signin.py``) in a tiny page, run headless by AppTest.

The page draws "看板内容" only when ``require_account`` lets it through, so each test can see
whether a visitor got past the form. A fake clock stands in for time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard import signin
from warehouse.accounts import AccountSettings, Role, UserStore, audit
from warehouse.accounts.authenticate import FAILED_MESSAGE
from warehouse.settings import SAMPLE_RAW_DIR

PASSWORD = "correct-horse-battery"
CONTENT = "看板内容"


@dataclass
class FakeClock:
    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def page(settings: object, raw_dir: object, clock: object) -> None:
    """The tiny page; AppTest runs its body as a script (hence builtins only in its signature)."""
    import streamlit as st

    from dashboard.signin import require_account, sign_out_button

    account = require_account(settings, raw_dir=raw_dir, clock=clock)
    st.markdown("看板内容：" + (account.label if account else "演示"))
    with st.sidebar:
        sign_out_button(settings)


@pytest.fixture
def settings(tmp_path: Path) -> AccountSettings:
    return replace(AccountSettings.for_users_file(tmp_path / "users.json"), lock_after_failures=3, idle_minutes=30)


@pytest.fixture
def store(settings: AccountSettings) -> UserStore:
    users = UserStore(settings.users_file, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    users.add("leader01", Role.LEADER, None, PASSWORD)
    return users


def start(settings: AccountSettings, clock: FakeClock, raw_dir: str | Path | None = "/srv/exports") -> AppTest:
    return AppTest.from_function(page, kwargs={"settings": settings, "raw_dir": raw_dir, "clock": clock},
                                 default_timeout=30).run()


def markdown(at: AppTest) -> str:
    return "\n".join(element.value for element in at.markdown)


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def shows_form(at: AppTest) -> bool:
    return [w.label for w in at.text_input] == [signin.NAME_LABEL, signin.PASSWORD_LABEL] and \
        [b.label for b in at.button] == [signin.SUBMIT_LABEL]


def test_without_a_session_only_the_form_is_shown(settings: AccountSettings, store: UserStore) -> None:
    at = start(settings, FakeClock())
    assert not at.exception
    assert shows_form(at)
    assert at.title[0].value == signin.SIGNIN_TITLE
    assert CONTENT not in markdown(at) and not at.sidebar.button


def test_a_wrong_password_and_an_unknown_name_get_the_same_generic_message(
        settings: AccountSettings, store: UserStore) -> None:
    clock = FakeClock()
    at = sign_in(start(settings, clock), "leader01", "not-the-password")
    assert [e.value for e in at.error] == [FAILED_MESSAGE]
    assert CONTENT not in markdown(at) and shows_form(at)
    clock.now += 100
    at = sign_in(at, "nobody", "not-the-password")
    assert [e.value for e in at.error] == [FAILED_MESSAGE]
    assert at.text_input[1].value == ""  # the password does not stay in the form


def test_the_right_password_returns_the_account_and_sign_out_ends_it(
        settings: AccountSettings, store: UserStore) -> None:
    at = sign_in(start(settings, FakeClock()), "leader01", PASSWORD)
    assert not at.exception and not at.error
    assert "看板内容：leader01（领导·全市）" in markdown(at)
    assert not at.text_input  # no form any more
    assert "leader01（领导·全市）" in at.sidebar.caption[0].value
    at.sidebar.button[0].click()
    at = at.run()
    assert shows_form(at) and CONTENT not in markdown(at)
    assert [i.value for i in at.info] == [signin.SIGNED_OUT_NOTICE]
    assert [e["event"] for e in audit.read_events(settings.audit_log)] == ["signin", "signout"]


def test_repeated_failures_lock_the_name_even_for_the_right_password(
        settings: AccountSettings, store: UserStore) -> None:
    clock = FakeClock()
    at = start(settings, clock)
    for attempt in range(3):
        clock.now += 100
        at = sign_in(at, "leader01", f"wrong-{attempt}")
    assert "已暂时锁定" in at.error[0].value
    clock.now += 100
    at = sign_in(at, "leader01", PASSWORD)
    assert "已暂时锁定" in at.error[0].value and CONTENT not in markdown(at)
    assert "lockout" in [e["event"] for e in audit.read_events(settings.audit_log)]


def test_an_idle_session_expires(settings: AccountSettings, store: UserStore) -> None:
    clock = FakeClock()
    at = sign_in(start(settings, clock), "leader01", PASSWORD)
    clock.now += 29 * 60
    at = at.run()
    assert CONTENT in markdown(at)  # activity at 29 minutes keeps it
    clock.now += 31 * 60
    at = at.run()
    assert shows_form(at) and CONTENT not in markdown(at)
    assert "超过 30 分钟未操作" in at.info[0].value
    assert audit.read_events(settings.audit_log)[-1]["event"] == "session_expired"


def test_removing_the_account_ends_its_session(settings: AccountSettings, store: UserStore) -> None:
    at = sign_in(start(settings, FakeClock()), "leader01", PASSWORD)
    assert CONTENT in markdown(at)
    store.add("steward01", Role.STEWARD, None, PASSWORD)  # accounts remain, so sign-in is still required
    store.remove("leader01")
    at = at.run()
    assert shows_form(at) and CONTENT not in markdown(at)


def test_the_sample_without_accounts_opens_in_demo_mode_with_a_banner(settings: AccountSettings) -> None:
    at = start(settings, FakeClock(), raw_dir=SAMPLE_RAW_DIR)
    assert "演示数据" in at.warning[0].value
    assert "看板内容：演示" in markdown(at) and not at.text_input


def test_real_data_without_accounts_shows_nothing(settings: AccountSettings) -> None:
    at = start(settings, FakeClock(), raw_dir="/srv/exports/2026")
    assert "cadres users add" in at.error[0].value
    assert CONTENT not in markdown(at) and not at.text_input


def test_the_sample_needs_sign_in_once_an_account_exists(settings: AccountSettings, store: UserStore) -> None:
    at = start(settings, FakeClock(), raw_dir=SAMPLE_RAW_DIR)
    assert shows_form(at) and not at.warning and CONTENT not in markdown(at)


def test_an_unsafe_users_file_shuts_the_door_without_telling_the_visitor_where_it_is(
        settings: AccountSettings, store: UserStore) -> None:
    settings.users_file.chmod(0o644)
    at = start(settings, FakeClock())
    assert [e.value for e in at.error] == [signin.MISCONFIGURED]
    assert str(settings.users_file.parent) not in at.error[0].value
    assert CONTENT not in markdown(at) and not at.text_input
