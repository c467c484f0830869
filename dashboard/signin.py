"""Sign-in for the dashboard: a Chinese form, idle expiry, sign-out, the 演示数据 banner.

Call :func:`require_account` at the top of ``app.py``, right after ``st.set_page_config`` and
before anything else is drawn or read. It returns the signed-in :class:`Account`, or ``None``
in 演示数据 mode (the bundled sample, no account configured; it has drawn the banner), and
otherwise draws the form and stops the script, so no page, sidebar or query runs for a visitor
who has not signed in. The logic (hashes, throttling, lock, policy, audit) lives in
``warehouse.accounts``; this file only draws it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard import addresses
from warehouse.accounts import (
    AccessMode,
    Account,
    AccountsError,
    AccountSettings,
    Authenticator,
    Session,
    UserStore,
    access_mode,
    audit,
    is_sample_raw_dir,
)

SESSION_KEY = "cadres_session"
NOTICE_KEY = "cadres_signin_notice"
ERROR_KEY = "cadres_signin_error"
NAME_KEY = "cadres_signin_name"
PASSWORD_KEY = "cadres_signin_password"

SIGNIN_TITLE = "党外干部队伍建设看板 · 登录"
SIGNIN_CAPTION = "本看板含个人信息，仅限授权人员使用；登录、查看名单和下载均记入审计日志。"
NAME_LABEL = "用户名"
PASSWORD_LABEL = "密码"
SUBMIT_LABEL = "登录"
SIGN_OUT_LABEL = "退出登录"
SIGNED_IN_AS = "已登录：{label}"
EXPIRED_NOTICE = "超过 {minutes} 分钟未操作，已自动退出，请重新登录。"
CHANGED_NOTICE = "账号已被管理员修改或删除，请重新登录。"
SIGNED_OUT_NOTICE = "已退出登录。"
EMPTY_FIELDS = "请输入用户名和密码。"
MISCONFIGURED = "看板的账号配置有误，暂时无法登录，请联系数据管理员（原因已写入服务器日志）。"
DEMO_BANNER = ("**演示数据**：这里展示的是随软件附带的合成样例，人员均为虚构。尚未配置账号，所以无需登录；"
               "接入真实数据前，请先在服务器上用 `cadres users add` 添加账号。")
CLOSED_MESSAGE = ("本看板的数据不是随软件附带的样例，但服务器上尚未配置任何账号，因此不予显示。"
                  "请数据管理员在服务器上添加账号，例如 `cadres users add leader01 --role 领导`，然后刷新本页。")


def current_account() -> Account | None:
    """The signed-in account of this browser session, if any (for pages and captions)."""
    session = st.session_state.get(SESSION_KEY)
    return session.account if isinstance(session, Session) else None


def _misconfigured(error: AccountsError) -> str:
    """The reason goes to the server log for the steward; the visitor learns no file path."""
    print(f"cadres 登录：{error}", file=sys.stderr, flush=True)
    return MISCONFIGURED


def _end_session(settings: AccountSettings, event: str, notice: str, detail: str | None = None) -> None:
    session = st.session_state.pop(SESSION_KEY, None)
    if isinstance(session, Session):
        audit.record(event, session.account.name, session.account.scope_label, detail=detail,
                     log=settings.audit_log)
    st.session_state[NOTICE_KEY] = notice


def _watch_idle(settings: AccountSettings, clock: Callable[[], float]) -> None:
    """Re-run the page once the session has gone idle, so an unattended screen does not stay open."""
    interval = max(5.0, min(60.0, settings.idle_minutes * 30))

    @st.fragment(run_every=interval)
    def watch() -> None:
        session = st.session_state.get(SESSION_KEY)
        if isinstance(session, Session) and session.is_expired(clock()):
            st.rerun(scope="app")

    watch()


def _submit(settings: AccountSettings, clock: Callable[[], float]) -> None:
    """The 登录 button's callback: check the attempt, then wipe the password from the session state.

    Running as a callback (before the script re-runs) lets it reset the password field on the
    server, rather than leave the typed password in ``st.session_state`` until the page is closed.
    """
    name = str(st.session_state.get(NAME_KEY) or "")
    password = str(st.session_state.get(PASSWORD_KEY) or "")
    st.session_state[PASSWORD_KEY] = ""
    if not name.strip() or not password:
        st.session_state[ERROR_KEY] = EMPTY_FIELDS
        return
    store = UserStore(settings.users_file)
    now = clock()
    try:
        result = Authenticator(settings, store).verify(name, password, now=now)
        record = store.get(result.account.name) if result.account else None
    except AccountsError as error:
        st.session_state[ERROR_KEY] = _misconfigured(error)
        return
    if result.ok and record is not None:
        st.session_state[SESSION_KEY] = Session.start(record, now, settings.idle_minutes * 60)
        st.session_state[NAME_KEY] = ""
    else:
        st.session_state[ERROR_KEY] = result.message


def _sign_in_form(settings: AccountSettings, clock: Callable[[], float]) -> None:
    """The form; the check itself runs in :func:`_submit` when 登录 is pressed."""
    st.title(SIGNIN_TITLE)
    st.caption(SIGNIN_CAPTION)
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice)
    with st.form("cadres_signin"):
        st.text_input(NAME_LABEL, key=NAME_KEY, autocomplete="username", max_chars=64)
        st.text_input(PASSWORD_LABEL, key=PASSWORD_KEY, type="password", autocomplete="current-password",
                      max_chars=256)
        st.form_submit_button(SUBMIT_LABEL, type="primary", on_click=_submit, args=(settings, clock))
    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error(error)


def require_account(settings: AccountSettings | None = None, *, raw_dir: str | Path | None = None,
                    clock: Callable[[], float] = time.time) -> Account | None:
    """The signed-in account; ``None`` in 演示数据 mode; otherwise the sign-in form and ``st.stop()``.

    ``raw_dir`` is ``meta.refresh_log.raw_dir`` of the published warehouse (``None`` if unknown):
    only a warehouse refreshed from the bundled ``seeds/raw`` may open without an account.
    """
    settings = settings or AccountSettings.load()
    store = UserStore(settings.users_file)
    try:
        records = store.records()
    except AccountsError as error:
        st.error(_misconfigured(error))
        st.stop()
    mode = access_mode(has_accounts=bool(records), is_sample=is_sample_raw_dir(raw_dir))
    if mode is AccessMode.DEMO:
        st.warning(DEMO_BANNER, icon=":material/science:")
        return None
    if mode is AccessMode.CLOSED:
        st.error(CLOSED_MESSAGE, icon=":material/lock:")
        st.stop()

    session = st.session_state.get(SESSION_KEY)
    now = clock()
    if isinstance(session, Session):
        if session.is_expired(now):
            minutes = f"{settings.idle_minutes:g}"
            _end_session(settings, "session_expired", EXPIRED_NOTICE.format(minutes=minutes))
        elif not session.still_matches(records.get(session.account.name)):
            _end_session(settings, "signout", CHANGED_NOTICE, detail="账号已被修改或删除")
        else:
            session.touch(now)
            _watch_idle(settings, clock)
            return session.account
    addresses.keep_requested_page()
    _sign_in_form(settings, clock)
    st.stop()


def sign_out_button(settings: AccountSettings | None = None) -> None:
    """Who is signed in and a 退出登录 button, drawn where called (e.g. ``with st.sidebar:``)."""
    account = current_account()
    if account is None:
        return
    st.caption(SIGNED_IN_AS.format(label=account.label))
    if st.button(SIGN_OUT_LABEL, key="cadres_sign_out", icon=":material/logout:"):
        _end_session(settings or AccountSettings.load(), "signout", SIGNED_OUT_NOTICE)
        st.rerun()
