"""``cadres users …`` and ``cadres audit``: accounts and the audit log from the command line.

A password is never a command-line argument (it would sit in the shell history and in ``ps``):
it is asked twice without echo, or read as one line from standard input for scripts
(``--password-stdin``, or whenever standard input is not a terminal). Every change is written to
the audit log with the operating-system user who made it.
"""

from __future__ import annotations

import argparse
import getpass
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, NoReturn, TextIO

from warehouse.accounts import audit
from warehouse.accounts.authenticate import Authenticator
from warehouse.accounts.errors import AccountsError
from warehouse.accounts.files import is_too_open
from warehouse.accounts.roles import Role, parse_role
from warehouse.accounts.settings import AccountSettings
from warehouse.accounts.store import UserStore


def read_new_password(*, from_stdin: bool, stdin: TextIO | None = None) -> str:
    """One line from standard input for scripts, else asked twice on the terminal."""
    stdin = stdin or sys.stdin
    if from_stdin or not stdin.isatty():
        line = stdin.readline()
        if not line.strip():
            raise AccountsError("标准输入中没有读到密码")
        return line.rstrip("\r\n")
    try:
        first = getpass.getpass("新密码：")
        second = getpass.getpass("再输入一次：")
    except EOFError:
        raise AccountsError("没有输入密码") from None
    if first != second:
        raise AccountsError("两次输入的密码不一致，未作更改")
    return first


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "未知"


def _record(settings: AccountSettings, event: str, name: str, scope: str, detail: str | None = None) -> None:
    operator = f"系统用户 {_operator()} 在命令行操作"
    audit.record(event, name, scope, detail=f"{detail}；{operator}" if detail else operator,
                 log=settings.audit_log)


def cmd_users_add(args: argparse.Namespace) -> int:
    settings = AccountSettings.load()
    role = parse_role(args.role)
    store = UserStore(settings.users_file)
    store.records()  # refuse an unsafe users file before asking for a password
    password = read_new_password(from_stdin=args.password_stdin)
    account = store.add(args.name, role, args.region, password)
    _record(settings, "user_added", account.name, account.scope_label, role.label)
    print(f"已添加用户 {account.label}；用户文件：{settings.users_file}")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    settings = AccountSettings.load()
    records = UserStore(settings.users_file).records()
    authenticator = Authenticator(settings)
    rows: list[dict[str, Any]] = [
        {"name": name, "role": record.account.role.value, "role_label": record.account.role.label,
         "region": record.account.region, "created_at": record.created_at,
         "password_changed_at": record.password_changed_at, "locked": authenticator.is_locked(name)}
        for name, record in sorted(records.items())
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"尚无用户（用户文件：{settings.users_file}）。添加：cadres users add 用户名 --role 领导")
        return 0
    widths = (16, 10, 14, 20, 20)
    header = ("用户名", "角色", "地区", "创建时间（UTC）", "改密时间（UTC）", "状态")
    print("  ".join(audit.pad(text, width) for text, width in zip(header, (*widths, 0), strict=True)).rstrip())
    for row in rows:
        cells = (row["name"], row["role_label"], row["region"] or "全市", row["created_at"][:19].replace("T", " "),
                 row["password_changed_at"][:19].replace("T", " "), "已锁定" if row["locked"] else "正常")
        print("  ".join(audit.pad(text, width) for text, width in zip(cells, (*widths, 0), strict=True)).rstrip())
    print(f"共 {len(rows)} 个用户；用户文件：{settings.users_file}")
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    settings = AccountSettings.load()
    account = UserStore(settings.users_file).remove(args.name)
    Authenticator(settings).unlock(account.name)
    _record(settings, "user_removed", account.name, account.scope_label, account.role.label)
    print(f"已删除用户 {account.label}；其已登录的会话在下一次操作时结束")
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    settings = AccountSettings.load()
    store = UserStore(settings.users_file)
    if store.get(args.name) is None:
        raise AccountsError(f"没有用户“{args.name}”")
    password = read_new_password(from_stdin=args.password_stdin)
    account = store.set_password(args.name, password)
    Authenticator(settings).unlock(account.name)
    _record(settings, "password_changed", account.name, account.scope_label)
    print(f"已修改 {account.label} 的密码（失败计数已清零）；其已登录的会话在下一次操作时结束")
    return 0


def cmd_users_unlock(args: argparse.Namespace) -> int:
    settings = AccountSettings.load()
    record = UserStore(settings.users_file).get(args.name)
    if record is None:
        raise AccountsError(f"没有用户“{args.name}”")
    Authenticator(settings).unlock(record.account.name)
    _record(settings, "user_unlocked", record.account.name, record.account.scope_label)
    print(f"已解除 {record.account.label} 的锁定")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    settings = AccountSettings.load()
    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        raise AccountsError(f"--since 应为日期 YYYY-MM-DD，实际为“{args.since}”") from None
    log = settings.audit_log
    if log.exists() and is_too_open(log):
        print(f"警告：审计日志权限过宽，他人可能读到：{log}（请运行 chmod 600 {log}）", file=sys.stderr)
    broken = audit.broken_link(log)
    if broken is not None:
        print(f"警告：审计日志第 {broken} 行与前一行的校验值不符，日志在此处可能被改动或删除过：{log}",
              file=sys.stderr)
    events = audit.read_events(log, since)
    if args.json:
        print(audit.as_json(events))
    elif args.csv:
        sys.stdout.write(audit.as_csv(events))
    else:
        print(audit.format_table(events))
    return 0


def _guarded(handler: Any) -> Any:
    """One Chinese line and exit status 1 for an account error, never a traceback."""
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except AccountsError as error:
            print(f"错误：{error}", file=sys.stderr)
            return 1
    return run


_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少参数 {0}"),
    (re.compile(r"argument (\S+): invalid choice: '?([^' ]+)'?.*"), "不认识“{1}”（可选：{0}）"),
    (re.compile(r"argument (\S+): expected one argument"), "{0} 后面需要一个值"),
    (re.compile(r"unrecognized arguments: (.+)"), "不认识的参数 {0}"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "{0} 不能与 {1} 同时使用"),
)


def _usage_error(parser: argparse.ArgumentParser) -> Callable[[str], NoReturn]:
    """argparse's English usage errors as one Chinese line (exit status 2, as argparse's own)."""
    def error(message: str) -> NoReturn:
        for pattern, chinese in _ARGPARSE_MESSAGES:
            match = pattern.fullmatch(message)
            if match:
                message = chinese.format(*match.groups())
                break
        parser.exit(2, f"错误：{message}；用法见 {parser.prog} --help\n")
    return error


def add_account_commands(commands: Any) -> None:
    """Register ``users`` and ``audit`` on the ``cadres`` sub-command parser."""
    role_help = "角色：" + "、".join(f"{role.label}（{role.value}）" for role in Role)
    users = commands.add_parser("users", help="管理看板账号（领导、区县、分析员、数据管理员）",
                                description="管理看板账号。用户文件位置由 CADRES_USERS_FILE 指定"
                                            "（默认 ~/.config/cadres/users.json）。")
    users.error = _usage_error(users)
    actions = users.add_subparsers(dest="users_command", required=True, metavar="{add,list,remove,passwd,unlock}")

    def action(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.error = _usage_error(sub)
        sub.set_defaults(handler=_guarded(handler))
        return sub

    add = action("add", cmd_users_add, "添加账号（密码在提示时输入两次，或从标准输入读一行）")
    add.add_argument("name", help="用户名：英文小写字母、数字或 . _ -（不要用人员姓名）")
    add.add_argument("--role", required=True, help=role_help)
    add.add_argument("--region", help="区县账号所看的地区（ref_regions 中的名称，如 市中区）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（脚本用）")

    listing = action("list", cmd_users_list, "列出账号（不显示密码散列）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")

    remove = action("remove", cmd_users_remove, "删除账号")
    remove.add_argument("name")

    passwd = action("passwd", cmd_users_passwd, "修改账号密码（同时解除锁定）")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（脚本用）")

    unlock = action("unlock", cmd_users_unlock, "解除因多次登录失败造成的锁定")
    unlock.add_argument("name")

    audit_parser = commands.add_parser("audit", help="查看或导出审计日志（登录、查看名单、下载）",
                                       description="查看或导出审计日志（CADRES_AUDIT_LOG，默认在用户文件旁）")
    audit_parser.error = _usage_error(audit_parser)
    audit_parser.set_defaults(handler=_guarded(cmd_audit))
    audit_parser.add_argument("--since", help="只看该日期（北京时间，YYYY-MM-DD）及以后")
    output = audit_parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="以 JSON 输出（导出）")
    output.add_argument("--csv", action="store_true", help="以 CSV 输出（导出给 Excel，已防公式注入）")
