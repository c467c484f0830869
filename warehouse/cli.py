"""The ``cadres`` command line: refresh, figures, rejects, sample, dashboard, dbt, docs.

Every command prints a one-line Chinese reason and exits non-zero when it fails, so a steward
running it by hand and a scheduler running it at night both see what went wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from warehouse.accounts.commands import add_account_commands
from warehouse.errors import FileError, RefreshError
from warehouse.semantic.compiler import CompileError
from warehouse.semantic.reader import ScopeError
from warehouse.settings import Settings

if TYPE_CHECKING:
    from warehouse.semantic.query import Scope

Handler = Callable[[argparse.Namespace], int]


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.load(raw_dir=getattr(args, "raw", None),
                         warehouse=getattr(args, "warehouse", None),
                         term_start=getattr(args, "term_start", None))


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_refresh(args: argparse.Namespace) -> int:
    from warehouse.refresh import format_summary, run_refresh, summary_as_dict

    summary = run_refresh(_settings(args), _progress, wait=args.wait)
    if args.json:
        print(json.dumps(summary_as_dict(summary), ensure_ascii=False, indent=2))
    else:
        print(format_summary(summary))
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


def cmd_metrics(args: argparse.Namespace) -> int:
    from warehouse.metrics_cli import list_metrics, query_metrics

    if args.metrics_command == "query":
        return query_metrics(_settings(args).warehouse, args, _scope(args))
    return list_metrics(_settings(args).warehouse, as_json=args.json)


def cmd_rejects(args: argparse.Namespace) -> int:
    from warehouse.rejects import format_rejects, read_rejects

    rows = read_rejects(_settings(args).warehouse, file=args.file, reason=args.reason)
    print(format_rejects(rows, as_csv=args.csv))
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cadres", description="党外干部数据仓库与看板")
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def warehouse_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--warehouse", help="已发布的数据仓库文件（默认 data/cadres.duckdb）")

    refresh = add("refresh", cmd_refresh, "读取原始数据、构建并检验，通过后发布数据仓库")
    refresh.add_argument("--raw", help="原始数据文件夹（默认 seeds/raw）")
    warehouse_option(refresh)
    refresh.add_argument("--term-start", help="换届时间 YYYY-MM-DD（默认 2016-11-01）")
    refresh.add_argument("--wait", action="store_true", help="已有刷新在进行时排队等待")
    refresh.add_argument("--json", action="store_true", help="以 JSON 输出摘要")

    def scope_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--region", action="append", help="地区（可重复）")
        sub.add_argument("--sector", action="append", help="身份类别（可重复）")
        sub.add_argument("--list", action="append", help="名单（可重复）")
        sub.add_argument("--snapshot", help="统计截止日期 YYYY-MM-DD（人才库快照日期，默认最新）")

    figures = add("figures", cmd_figures, "显示关键指标（可按地区、名单、身份类别和快照）")
    warehouse_option(figures)
    scope_options(figures)
    figures.add_argument("--json", action="store_true", help="以 JSON 输出")

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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (FileError, RefreshError, ScopeError, CompileError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
