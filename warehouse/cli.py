"""The ``cadres`` command line: refresh, check, history, figures, report, rejects, template,
contract-doc, sample, dashboard, dbt, docs.

Every command prints a one-line Chinese reason and exits non-zero when it fails, so a steward
running it by hand and a scheduler running it at night both see what went wrong; the exit
codes (``warehouse.errors``) tell a scheduler which kind of failure it was.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from warehouse.accounts.commands import add_account_commands
from warehouse.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_PUBLISHED,
    EXIT_USAGE,
    FileError,
    GateRefused,
    RefreshError,
)
from warehouse.semantic.compiler import CompileError
from warehouse.semantic.reader import ScopeError
from warehouse.settings import Settings

if TYPE_CHECKING:
    from warehouse.semantic.query import Scope

Handler = Callable[[argparse.Namespace], int]


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.load(raw_dir=getattr(args, "raw", None),
                         warehouse=getattr(args, "warehouse", None),
                         term_start=getattr(args, "term_start", None),
                         max_reject_share=getattr(args, "max_reject_share", None),
                         max_figure_change=getattr(args, "max_figure_change", None))


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run(args: argparse.Namespace, *, publish_build: bool) -> int:
    from warehouse.refresh import RefreshSummary, format_summary, run_refresh, summary_as_dict

    def show(summary: RefreshSummary) -> None:
        if args.json:
            print(json.dumps(summary_as_dict(summary), ensure_ascii=False, indent=2), flush=True)
        else:
            print(format_summary(summary), flush=True)

    try:
        summary = run_refresh(_settings(args), _progress, wait=args.wait,
                              accept=getattr(args, "accept", False), publish_build=publish_build)
    except GateRefused as refused:
        if isinstance(refused.summary, RefreshSummary):
            show(refused.summary)
        raise
    show(summary)
    return EXIT_PUBLISHED


def cmd_refresh(args: argparse.Namespace) -> int:
    return _run(args, publish_build=True)


def cmd_check(args: argparse.Namespace) -> int:
    return _run(args, publish_build=False)


def cmd_history(args: argparse.Namespace) -> int:
    from warehouse.history import format_history, read_history

    entries = read_history(_settings(args).warehouse)
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        print(format_history(entries, limit=args.limit))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from warehouse.template import write_templates

    written = write_templates(Path(args.out))
    print(f"已生成 {len(written)} 个空白模板：{args.out}")
    for path in written:
        print(f"  {path.relative_to(Path(args.out)).as_posix()}")
    return 0


def cmd_contract_doc(args: argparse.Namespace) -> int:
    from warehouse.contract_doc import CONTRACT_DOC, render_contract_doc

    text = render_contract_doc()
    if args.check:
        if not CONTRACT_DOC.exists() or CONTRACT_DOC.read_text(encoding="utf-8") != text:
            raise RefreshError(f"{CONTRACT_DOC.name} 与 warehouse/contract.py 和 seeds/reference 不一致，"
                               "请运行 cadres contract-doc 重新生成")
        print(f"{CONTRACT_DOC.name} 是最新的")
        return 0
    out = Path(args.out) if args.out else CONTRACT_DOC
    out.write_text(text, encoding="utf-8")
    print(f"数据导出规范已生成：{out}")
    return 0


def _scope(args: argparse.Namespace) -> Scope:
    """The scope flags shared by ``figures`` and ``metrics query``; a bad date names itself."""
    from warehouse.semantic.query import Scope

    snapshot = None
    if args.snapshot:
        try:
            snapshot = date.fromisoformat(args.snapshot)
        except ValueError as error:
            raise RefreshError(f"统计截止日期“{args.snapshot}”不是 YYYY-MM-DD 格式的日期") from error
    return Scope(tuple(args.region or ()), tuple(args.sector or ()), tuple(args.list or ()), snapshot)


def cmd_figures(args: argparse.Namespace) -> int:
    from warehouse.figures import as_json, format_table
    from warehouse.semantic.local import open_reader

    with open_reader(_settings(args).warehouse) as reader:
        scope = reader.options.check(_scope(args))
        figures = reader.figures(scope)
    if args.json:
        print(json.dumps(as_json(scope.snapshot, scope, figures), ensure_ascii=False))
    else:
        print(format_table(scope.snapshot, scope, figures))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from warehouse.report import make_report
    from warehouse.semantic.local import open_reader

    with open_reader(_settings(args).warehouse) as reader:
        scope = reader.options.check(_scope(args))
        data, name = make_report(reader, scope, args.format)
    out = Path(args.out) if args.out else Path(name)
    out.write_bytes(data)
    print(f"简报已生成：{out}（范围：{scope.describe()}；数据截至 {scope.snapshot}）")
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    from warehouse.metrics_cli import list_metrics, query_metrics

    if args.metrics_command == "query":
        return query_metrics(_settings(args).warehouse, args, _scope(args))
    return list_metrics(_settings(args).warehouse, as_json=args.json)


def cmd_rejects(args: argparse.Namespace) -> int:
    from warehouse.rejects import format_rejects, read_rejects

    rows = read_rejects(_settings(args).warehouse, file=args.file, reason=args.reason)
    print(format_rejects(rows, as_csv=args.csv), end="" if args.csv else "\n")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from warehouse.sample import generate_sample

    generate_sample(Path(args.out), seed=args.seed, scale=args.scale)
    print(f"样例原始数据已生成：{args.out}（seed={args.seed}，scale={args.scale}）")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from warehouse.launch import launch_dashboard

    return launch_dashboard(_settings(args), port=args.port, address=args.address,
                            progress=_progress)


def cmd_dbt(args: argparse.Namespace) -> int:
    from warehouse.develop import run_dev_dbt

    return run_dev_dbt(_settings(args), args.dbt_args)


def cmd_docs(args: argparse.Namespace) -> int:
    from warehouse.develop import serve_docs

    return serve_docs(_settings(args), port=args.port, serve=not args.no_serve)


class _Parser(argparse.ArgumentParser):
    """argparse with the project's one-line Chinese failure (exit code 2 stays argparse's)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"错误：命令行参数有误（{message}）；用法见 {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cadres", description="党外干部数据仓库与看板")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def warehouse_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--warehouse", help="已发布的数据仓库文件（默认 data/cadres.duckdb）")

    def build_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--raw", help="原始数据文件夹（默认 seeds/raw）")
        warehouse_option(sub)
        sub.add_argument("--term-start", help="换届时间 YYYY-MM-DD（默认 2016-11-01）")
        sub.add_argument("--max-reject-share", help="一个文件拒收行占比的上限（默认 0.2，即 20%%）")
        sub.add_argument("--max-figure-change", help="关键指标相对上次发布变动的上限（默认 0.3，即 30%%）")
        sub.add_argument("--wait", action="store_true", help="已有刷新在进行时排队等待")
        sub.add_argument("--json", action="store_true", help="以 JSON 输出摘要")

    refresh = add("refresh", cmd_refresh, "读取原始数据、构建并检验，通过后发布数据仓库")
    build_options(refresh)
    refresh.add_argument("--accept", action="store_true",
                         help="发布检查未通过时仍然发布（先用 cadres check 核实；会记入刷新记录）")

    check = add("check", cmd_check, "做刷新的全部步骤但不发布：显示摘要和与已发布数据仓库的差异")
    build_options(check)

    history = add("history", cmd_history, "显示刷新记录（每次刷新和检查，无论是否发布）")
    warehouse_option(history)
    history.add_argument("--limit", type=int, default=20, help="显示最近几次（默认 20）")
    history.add_argument("--json", action="store_true", help="以 JSON 输出全部记录")

    template = add("template", cmd_template, "生成数据导出的空白 Excel 模板（含下拉选项和填写说明）")
    template.add_argument("--out", default="templates", help="输出文件夹（默认 templates）")

    contract_doc = add("contract-doc", cmd_contract_doc,
                       "由 warehouse/contract.py 和 seeds/reference 生成数据导出规范（docs/）")
    contract_doc.add_argument("--out", help="输出文件（默认 docs/raw-exports.zh.md）")
    contract_doc.add_argument("--check", action="store_true", help="只检查已提交的文件是否最新")

    def scope_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--region", action="append", help="地区（可重复）")
        sub.add_argument("--sector", action="append", help="身份类别（可重复）")
        sub.add_argument("--list", action="append", help="名单（可重复）")
        sub.add_argument("--snapshot", help="统计截止日期 YYYY-MM-DD（人才库快照日期，默认最新）")

    figures = add("figures", cmd_figures, "显示关键指标（可按地区、名单、身份类别和快照）")
    warehouse_option(figures)
    scope_options(figures)
    figures.add_argument("--json", action="store_true", help="以 JSON 输出")

    report = add("report", cmd_report, "生成简报（Word 或 PDF）：关键指标、较上年同期和较年初、图表、口径")
    warehouse_option(report)
    scope_options(report)
    report.add_argument("--format", choices=("docx", "pdf"), default="docx", help="格式（默认 docx）")
    report.add_argument("--out", help="输出文件（默认 党外干部工作简报_<范围>_<日期>.<格式>，在当前文件夹）")

    metrics = add("metrics", cmd_metrics, "列出指标及其口径；metrics query 按维度查询任意指标")
    warehouse_option(metrics)
    metrics.add_argument("--json", action="store_true", help="以 JSON 输出")
    metrics.set_defaults(metrics_command="list")
    metrics_sub = metrics.add_subparsers(dest="metrics_command")
    query = metrics_sub.add_parser("query", help="查询指标", description="按维度和筛选查询指标")
    query.set_defaults(handler=cmd_metrics)
    query.add_argument("metric_names", nargs="+", metavar="METRIC", help="指标名（见 cadres metrics）")
    query.add_argument("--by", action="append", default=[], metavar="DIM", help="分组维度（可重复；见 cadres metrics）")
    query.add_argument("--where", action="append", default=[], metavar="DIM=V1,V2", help="维度筛选（可重复）")
    warehouse_option(query)
    scope_options(query)
    query.add_argument("--json", action="store_true", help="以 JSON 输出")
    query.add_argument("--csv", action="store_true", help="以 CSV 输出")

    rejects = add("rejects", cmd_rejects, "列出被拒收的行及原因")
    warehouse_option(rejects)
    rejects.add_argument("--file", help="只看某个文件（部分匹配）")
    rejects.add_argument("--reason", help="只看某种原因（部分匹配）")
    rejects.add_argument("--csv", action="store_true", help="以 CSV 输出")

    sample = add("sample", cmd_sample, "生成合成样例原始数据")
    sample.add_argument("--out", required=True, help="输出文件夹")
    sample.add_argument("--seed", type=int, default=2018)
    sample.add_argument("--scale", type=int, default=1, help="人数倍数（用于性能测试）")

    dashboard = add("dashboard", cmd_dashboard, "启动看板（没有数据仓库时先用样例数据构建）")
    warehouse_option(dashboard)
    dashboard.add_argument("--port", type=int, default=8501)
    dashboard.add_argument("--address", default="127.0.0.1")

    dbt = add("dbt", cmd_dbt, "在开发副本上运行 dbt（不影响已发布的数据仓库）")
    warehouse_option(dbt)
    dbt.add_argument("dbt_args", nargs=argparse.REMAINDER, help="传给 dbt 的参数")

    docs = add("docs", cmd_docs, "生成并在本地提供 dbt 文档与血缘图")
    warehouse_option(docs)
    docs.add_argument("--port", type=int, default=8080)
    docs.add_argument("--no-serve", action="store_true", help="只生成，不启动服务")

    add_account_commands(commands)
    return parser


def _os_error(error: OSError) -> str:
    where = f"：{error.filename}" if error.filename else ""
    what = {PermissionError: "没有权限访问", FileNotFoundError: "找不到文件或文件夹",
            IsADirectoryError: "应为文件，却是文件夹", NotADirectoryError: "应为文件夹，却是文件"}
    reason = next((text for kind, text in what.items() if isinstance(error, kind)), "无法访问")
    return f"{reason}{where}（{error.strerror or type(error).__name__}）"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure ends in one Chinese line on stderr and its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (FileError, RefreshError) as error:
        message, code = str(error), error.exit_code
    except (ScopeError, CompileError) as error:
        message, code = str(error), EXIT_ERROR
    except BrokenPipeError:
        # `cadres rejects | head`: the reader has all it wanted; stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        message, code = _os_error(error), EXIT_ERROR
    except KeyboardInterrupt:
        message, code = "已中断", EXIT_INTERRUPTED
    except Exception as error:  # a bug: still one line for the steward, the detail for a developer
        if os.environ.get("CADRES_DEBUG"):
            raise
        message = f"内部错误（{type(error).__name__}：{str(error).splitlines()[0] if str(error) else ''}）；"
        message += "设置 CADRES_DEBUG=1 再运行可看到详细信息"
        code = EXIT_ERROR
    print(f"错误：{' '.join(message.split())}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
