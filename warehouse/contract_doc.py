"""The stewards' 数据导出规范, generated from the contract and the reference seeds.

``warehouse/contract.py`` (files, headers, column kinds) and ``seeds/reference/*.csv`` (the
allowed values) are what the ingest enforces; this module turns them into the Chinese markdown
that stewards read (``docs/raw-exports.zh.md``) and into the drop-down lists of the templates
(``warehouse.template``). A test checks that the committed document is what this module
writes, so the document cannot drift from the rules. Regenerate with ``cadres contract-doc``.
"""

from __future__ import annotations

import csv

import yaml

from warehouse.contract import (
    SINGLE_FILE_TABLES,
    TALENT_POOL,
    TALENT_POOL_DIR,
    Column,
    Kind,
    Table,
)
from warehouse.reference import Reference, load_reference
from warehouse.settings import (
    DBT_PROJECT_DIR,
    DEFAULT_MAX_FIGURE_CHANGE,
    DEFAULT_MAX_REJECT_SHARE,
    PROJECT_ROOT,
    REFERENCE_DIR,
)

CONTRACT_DOC = PROJECT_ROOT / "docs" / "raw-exports.zh.md"

DATE_FORMATS = ("YYYY-MM-DD", "YYYY/M/D", "YYYY.M.D", "YYYYMMDD", "YYYY年M月D日", "Excel 日期单元格")
MONTH_FORMATS = ("YYYY.MM", "YYYYMM", "YYYY-MM", "YYYY年M月")

# Where each table lives in the raw folder, for the document and the templates.
ALL_TABLES: tuple[tuple[str, Table], ...] = ((f"{TALENT_POOL_DIR}/YYYY-MM-DD", TALENT_POOL),
                                             *SINGLE_FILE_TABLES)


def _aliases(canonical_to_aliases: dict[str, list[str]]) -> str:
    return "、".join(name + (f"（也可写 {'、'.join(aliases)}）" if aliases else "")
                    for name, aliases in canonical_to_aliases.items())


def _grouped(mapping: dict[str, str]) -> dict[str, list[str]]:
    """Canonical name → its aliases, canonical names in first-seen order."""
    grouped: dict[str, list[str]] = {}
    for alias, canonical in mapping.items():
        grouped.setdefault(canonical, [])
        if alias != canonical:
            grouped[canonical].append(alias)
    return grouped


def _nonparty_affiliations(reference: Reference) -> list[str]:
    return [name for name in dict.fromkeys(reference.affiliations.values())
            if name not in reference.party_member_affiliations]


def allowed_values(column: Column, reference: Reference | None = None) -> list[str] | None:
    """The canonical values of a coded column (a template's drop-down list), else ``None``."""
    reference = reference or load_reference()
    if column.kind is Kind.CODE:
        return list(reference.code_values[column.domain or ""])
    if column.kind is Kind.SEX:
        return list(reference.code_values["sex"])
    if column.kind is Kind.REGION:
        return list(reference.regions)
    if column.kind is Kind.RANK:
        return list(dict.fromkeys(reference.ranks.values()))
    if column.kind is Kind.EDUCATION:
        return list(dict.fromkeys(reference.education.values()))
    if column.kind is Kind.AFFILIATION:
        return _nonparty_affiliations(reference)
    if column.kind is Kind.ETHNICITY:
        return list(dict.fromkeys(reference.ethnicities.values()))
    if column.kind is Kind.DIVISION_CODE:
        return sorted(set(reference.region_codes.values()))
    return None


def rule_text(column: Column, reference: Reference | None = None) -> str:
    """What a cell of the column may hold, in the steward's words."""
    reference = reference or load_reference()
    kind = column.kind
    if kind is Kind.IGNORED:
        return "不导入，可留空或删去"
    if kind is Kind.TEXT:
        return "自由文本"
    if kind is Kind.KEY:
        return "编号，用于跨文件对应；全角字符按半角、空格去掉"
    if kind is Kind.NAME:
        return "姓名；空格（含全角空格）去掉，保留“·”"
    if kind is Kind.ID:
        return ("18 位居民身份证号，校验位须正确（末位 x 按 X）；15 位旧号自动转为 18 位。"
                "单元格须为**文本**格式：存成数字会丢失末几位，整行拒收")
    if kind is Kind.DATE:
        return "日期，格式见“日期”一节"
    if kind is Kind.BIRTH_MONTH:
        return "年月（日期格式见“日期”一节）；须与身份证号中的出生年月一致；留空则取自身份证号"
    if kind is Kind.SEX:
        return "男 / 女（也可写 1 / 2）；须与身份证号一致；留空则取自身份证号"
    if kind is Kind.ETHNICITY:
        return "GB/T 3304 民族名称，带不带“族”字均可（如 彝 = 彝族）；汉族以外均为少数民族"
    if kind is Kind.AFFILIATION:
        party = "、".join(sorted(a for a in reference.party_member_affiliations))
        nonparty = _nonparty_affiliations(reference)
        grouped = {k: v for k, v in _grouped(reference.affiliations).items() if k in nonparty}
        return f"{_aliases(grouped)}。写作 {party} 的行不属于党外干部，整行拒收"
    if kind is Kind.EDUCATION:
        return _aliases(_grouped(reference.education))
    if kind is Kind.RANK:
        return _aliases(_grouped(reference.ranks))
    if kind is Kind.REGION:
        return "、".join(reference.regions)
    if kind is Kind.NUMBER:
        return "不小于 0 的数字"
    if kind is Kind.SEATS:
        return "1 至 999 的整数"
    if kind is Kind.DIVISION_CODE:
        codes = sorted({(code, name) for name, code in reference.region_codes.items()})
        shown: dict[str, str] = {}
        for code, name in codes:
            shown.setdefault(code, name)
        return "、".join(f"{code}（{name}）" for code, name in shown.items())
    values = "、".join(reference.code_values[column.domain or ""])
    blank = f"；留空 = {column.blank_means}" if column.blank_means else ""
    return values + blank


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table_section(number: int, location: str, table: Table, reference: Reference) -> list[str]:
    is_pool = table is TALENT_POOL
    where = (f"`{location}.xlsx`：每个统计截止日期一个工作簿，每个名单一张工作表（工作表名 = 名单名）；"
             f"或文件夹 `{location}/`，每个名单一个 CSV（文件名 = 名单名）" if is_pool
             else f"`{location}.xlsx` 或 `{location}.csv`，读第一张工作表")
    lines = [f"## {number}. {table.title}", "", f"- 文件：{where}",
             f"- 表头行：第一个含“{table.key_header}”的行（上方可有标题行和空行）", ""]
    if is_pool:
        lines += ["名单（工作表名，按此顺序；同一人在多个名单中属性不一致时以靠前的名单为准）：", ""]
        lines += [f"{i}. {name}" for i, name in enumerate(reference.lists, 1)]
        lines.append("")
    lines += ["| 列名 | 必填 | 填写要求 |", "| --- | --- | --- |"]
    for column in table.columns:
        required = "是" if column.not_blank else ("—" if column.kind is Kind.IGNORED else "否")
        lines.append(f"| {column.header} | {required} | {_cell(rule_text(column, reference))} |")
    return [*lines, ""]


def _key_figures() -> list[str]:
    """Contract §10's figures with the label, unit and 口径 of their metric in dbt's YAML."""
    with (REFERENCE_DIR / "ref_key_figures.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    metrics: dict[str, dict] = {}
    for path in sorted((DBT_PROJECT_DIR / "models").rglob("*.yml")):
        for metric in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("metrics") or []:
            metrics[metric["name"]] = metric
    lines = ["| 指标 | 编号 | 单位 | 口径 |", "| --- | --- | --- | --- |"]
    for row in rows:
        metric = metrics[row["figure_id"]]
        unit = ((metric.get("config") or {}).get("meta") or {}).get("unit", "")
        lines.append(f"| {_cell(metric['label'])} | `{row['figure_id']}` | {unit} | {_cell(metric['description'])} |")
    return lines


def render_contract_doc(reference: Reference | None = None) -> str:
    """The whole document; deterministic, so the committed copy can be compared byte for byte."""
    reference = reference or load_reference()
    tree = [f"{TALENT_POOL_DIR}/2017-12-31.xlsx        人才库名单：每个统计截止日期一个工作簿",
            f"{TALENT_POOL_DIR}/2018-04-30/<名单>.csv   或一个文件夹，每个名单一个 CSV"]
    tree += [f"{base}.xlsx{' ' * max(1, 31 - len(base) - 5)}{table.title}" for base, table in SINGLE_FILE_TABLES]
    lines = [
        "# 数据导出规范（党外干部数据仓库）",
        "",
        "<!-- 本文件由 `cadres contract-doc` 根据 warehouse/contract.py 和 seeds/reference/*.csv 生成，"
        "请勿手工修改；测试会检查它与生成结果一致。 -->",
        "",
        "本规范说明数据仓库接受的原始导出文件：放在哪里、每列填什么、什么会被拒收。"
        "准备数据时可先用 `cadres template --out 模板` 生成带下拉选项的空白模板，"
        "填好后用 `cadres check --raw 文件夹` 检查，再用 `cadres refresh --raw 文件夹` 发布。",
        "",
        "## 0. 文件夹",
        "",
        "```",
        *tree,
        "```",
        "",
        "- 每个文件可以是 `.xlsx` 或 `.csv`（同名只能有一个）；不支持旧版 `.xls`。"
        "CSV 编码：UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK。",
        "- 人才库文件（或文件夹）名是统计截止日期 `YYYY-MM-DD`；最新的一个是数据仓库的统计截止日期（as-of）。",
        "- 列的顺序不限；多余的列不导入，会在摘要中提示；缺少必需列是文件错误。",
        "- 表头上方可有标题行（如合并单元格的“……名单（截至2017年12月31日）”）和空行；"
        "表尾的空行和以“合计”开头的行不读。",
        "- 以 `.` 或 `~$` 开头的文件（隐藏文件、Excel/WPS 打开时的锁文件）不读。",
        "",
    ]
    for number, (location, table) in enumerate(ALL_TABLES, 1):
        lines += _table_section(number, location, table, reference)
    n = len(ALL_TABLES)
    lines += [
        f"## {n + 1}. 日期",
        "",
        f"日期列接受：{'、'.join(f'`{f}`' if 'Excel' not in f else f for f in DATE_FORMATS)}；"
        f"只有年月（{'、'.join(f'`{f}`' for f in MONTH_FORMATS)}）表示该月 1 日。其他写法整行拒收，不做猜测。",
        "",
        f"## {n + 2}. 拒收与停止",
        "",
        "- **坏行**（违反上面任一规则，或取值不在列出的范围内）：不导入，连同文件、工作表、行号、列、"
        "值和中文原因保存在拒收表中，刷新继续。`cadres rejects` 列出全部拒收行，"
        "`cadres rejects --csv > 拒收.csv` 可用 Excel 打开。",
        "- **坏文件**（打不开、缺必需列、未知工作表或名单、文件名不是日期）：刷新停止，"
        "一行中文说明哪个文件出了什么问题，已发布的数据仓库不变。",
        "- 同一工作表中身份证号（或班次编号、地区 + 班子类别）重复：保留第一行，其余行拒收。",
        "- 参训学员的班次编号在培训班次中不存在（或该班次被拒收）：该行拒收。",
        "- 结束日期早于开始日期、免职时间早于任职时间：该行拒收。",
        "",
        f"## {n + 3}. 发布检查",
        "",
        "通过全部 dbt 检验后，刷新还会把新数据与已发布的数据仓库比较；下列任一情况出现就不发布，"
        "并说明原因。核实无误后可用 `cadres refresh --accept` 发布（会记入刷新记录）。",
        "",
        "- 一张表在已发布的数据仓库中有数据，这次为空（如只有表头的文件）；",
        f"- 一个文件（工作表）的拒收行超过读取行数的 {DEFAULT_MAX_REJECT_SHARE:.0%}"
        "（设置 `--max-reject-share` / `CADRES_MAX_REJECT_SHARE`）；",
        f"- 一个关键指标与上次发布相比变动超过 {DEFAULT_MAX_FIGURE_CHANGE:.0%}"
        "（设置 `--max-figure-change` / `CADRES_MAX_FIGURE_CHANGE`）；",
        "- 统计截止日期晚于今天；",
        "- 最新的人才库快照（文件或文件夹）没有导入任何人。",
        "",
        f"## {n + 4}. 关键指标",
        "",
        "数据仓库按统计截止日期计算以下指标（定义见 dbt 语义层 `dbt_project/models/marts/metrics/`，"
        "`cadres metrics` 列出全部指标及口径，`cadres figures --region … --snapshot …` 给出任一范围的数值）：",
        "",
        *_key_figures(),
        "",
    ]
    return "\n".join(lines)
