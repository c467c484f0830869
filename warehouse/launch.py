"""``cadres dashboard``: make sure a warehouse exists, then run the Streamlit server on it.

Without any account the dashboard is served on this machine only (loopback): an address that
others can reach is refused before anything is built or started.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb

from warehouse.accounts.errors import AccountsError
from warehouse.accounts.policy import access_mode, check_serving_address, is_sample_raw_dir, launch_notice
from warehouse.accounts.settings import AccountSettings
from warehouse.accounts.store import UserStore
from warehouse.errors import RefreshError
from warehouse.readonly import connect_readonly
from warehouse.settings import PROJECT_ROOT, SAMPLE_RAW_DIR, Settings

DASHBOARD_DIR = PROJECT_ROOT / "dashboard"


def streamlit_command(port: int, address: str, dashboard_dir: Path = DASHBOARD_DIR) -> list[str]:
    """The server command; usage statistics are off (closed network, government data).
    ``dashboard_dir``: another checkout's dashboard, for a benchmark comparing two."""
    return [sys.executable, "-m", "streamlit", "run", str(dashboard_dir / "app.py"),
            "--server.port", str(port), "--server.address", address,
            "--server.headless", "true", "--browser.gatherUsageStats", "false"]


def published_raw_dir(warehouse: Path) -> str | None:
    """The raw folder the published warehouse was refreshed from (``meta.refresh_log``), if recorded."""
    try:
        with connect_readonly(warehouse) as connection:
            row = connection.execute(
                "select raw_dir from meta.refresh_log order by refreshed_at desc limit 1").fetchone()
    except (duckdb.Error, RefreshError):
        return None
    return row[0] if row else None


def launch_dashboard(settings: Settings, *, port: int, address: str,
                     progress: Callable[[str], None]) -> int:
    """Build from the bundled sample when there is no warehouse yet, then serve until stopped."""
    try:
        has_accounts = UserStore(AccountSettings.load().users_file).has_accounts()
        check_serving_address(address, has_accounts=has_accounts)
    except AccountsError as error:
        raise RefreshError(str(error)) from None
    if not settings.warehouse.exists():
        from warehouse.refresh import format_summary, run_refresh

        progress(f"尚无数据仓库，先用样例数据构建：{SAMPLE_RAW_DIR}")
        summary = run_refresh(settings.override(raw_dir=SAMPLE_RAW_DIR), progress)
        progress(format_summary(summary))
    notice = launch_notice(access_mode(has_accounts=has_accounts,
                                       is_sample=is_sample_raw_dir(published_raw_dir(settings.warehouse))))
    if notice:
        progress(notice)
    env = dict(os.environ, CADRES_WAREHOUSE=str(settings.warehouse))
    progress(f"看板地址：http://{address}:{port}/")
    try:
        return subprocess.call(streamlit_command(port, address), cwd=DASHBOARD_DIR, env=env)
    except KeyboardInterrupt:
        return 0
