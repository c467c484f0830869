"""When sign-in is required, and where the dashboard may listen: pure decisions, tested alone.

Sign-in is required always, with one exception: the bundled synthetic sample (a warehouse
refreshed from the repository's ``seeds/raw``) with no account configured opens in a bannered
演示数据 mode, so that ``./run.sh dashboard`` on a fresh checkout still shows something. A
warehouse built from any other raw folder is never shown without an account, and the dashboard
is never served beyond this machine while no account exists.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from pathlib import Path

from warehouse.accounts.errors import AccountsError
from warehouse.settings import SAMPLE_RAW_DIR

ADD_ACCOUNT_HINT = ("请先添加账号，例如：cadres users add leader01 --role 领导"
                    "（角色还有 区县 --region 市中区、分析员、数据管理员）")


class AccessMode(StrEnum):
    SIGN_IN = "sign_in"  # accounts exist: everyone signs in
    DEMO = "demo"  # the synthetic sample and no account: open, with a 演示数据 banner
    CLOSED = "closed"  # real data and no account: nothing is shown


def is_sample_raw_dir(raw_dir: str | Path | None) -> bool:
    """True when the warehouse was refreshed from this checkout's bundled sample (``seeds/raw``)."""
    if not raw_dir:
        return False
    return Path(raw_dir).expanduser().resolve() == SAMPLE_RAW_DIR.resolve()


def access_mode(*, has_accounts: bool, is_sample: bool) -> AccessMode:
    """Sign-in whenever an account exists; the demo only for the sample; otherwise closed."""
    if has_accounts:
        return AccessMode.SIGN_IN
    return AccessMode.DEMO if is_sample else AccessMode.CLOSED


def is_loopback(address: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: reachable from this machine only."""
    host = address.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name may resolve to anything: treat it as reachable from outside


def check_serving_address(address: str, *, has_accounts: bool) -> None:
    """Refuse to serve beyond this machine while no account exists."""
    if has_accounts or is_loopback(address):
        return
    raise AccountsError(f"尚未配置任何账号，不能在 {address} 上对外提供看板（任何能访问的人都能看到数据）。"
                        f"{ADD_ACCOUNT_HINT}；或去掉 --address，只在本机（127.0.0.1）查看。")


def launch_notice(mode: AccessMode) -> str | None:
    """What ``cadres dashboard`` tells the steward at start when nobody will be asked to sign in."""
    if mode is AccessMode.DEMO:
        return "尚未配置账号：看板以“演示数据”模式打开（仅限随软件附带的合成样例），无需登录。"
    if mode is AccessMode.CLOSED:
        return f"尚未配置账号：这个数据仓库不是样例数据，看板不会显示任何内容。{ADD_ACCOUNT_HINT}。"
    return None
