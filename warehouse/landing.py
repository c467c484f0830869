"""Column types of the landing schema (see docs/architecture.md).

``LANDING_SCHEMAS`` is what the ingest reads and checks (names and ID numbers included);
``LANDED_SCHEMAS`` is what the warehouse file holds after ``warehouse.personal.separate``.

The landed tables keep the contract's Chinese headers as column names; dbt staging renames
them. Lineage columns (``_file``, ``_sheet``, ``_row``) come last in every data table.
"""

from __future__ import annotations

import polars as pl

_LINEAGE = {"_file": pl.String, "_sheet": pl.String, "_row": pl.Int32}
_PERSON_FROM_ID = {"身份证号": pl.String, "出生日期": pl.Date, "性别": pl.String}

LANDING_SCHEMAS: dict[str, dict[str, type[pl.DataType] | pl.DataType]] = {
    "talent_pool": {
        "_snapshot_date": pl.Date, "名单": pl.String, "姓名": pl.String, **_PERSON_FROM_ID,
        "民族": pl.String, "出生年月": pl.Date, "政治面貌": pl.String, "最高学历": pl.String,
        "工作单位及职务": pl.String, "职务层次": pl.String, "身份类别": pl.String,
        "所在地区": pl.String, "专业领域": pl.String, "成熟度": pl.String, "入库时间": pl.Date,
        "推荐单位": pl.String, **_LINEAGE,
    },
    "training_classes": {
        "班次编号": pl.String, "班次名称": pl.String, "培训类型": pl.String,
        "主办层级": pl.String, "主办单位": pl.String, "开始日期": pl.Date, "结束日期": pl.Date,
        "学时": pl.Float64, **_LINEAGE,
    },
    "training_participants": {
        "班次编号": pl.String, "姓名": pl.String, **_PERSON_FROM_ID, "结业情况": pl.String,
        **_LINEAGE,
    },
    "appointments": {
        "姓名": pl.String, **_PERSON_FROM_ID, "任用类别": pl.String, "任职机构名称": pl.String,
        "所在地区": pl.String, "班子类别": pl.String, "职务名称": pl.String,
        "职务层次": pl.String, "任职时间": pl.Date, "免职时间": pl.Date,
        "选拔任用方式": pl.String, "岗位类型": pl.String, "人岗相适": pl.String,
        "任职文号": pl.String, "免职文号": pl.String, **_LINEAGE,
    },
    "leadership_teams": {
        "行政区划代码": pl.String, "地区": pl.String, "班子类别": pl.String,
        "核定领导职数": pl.Int32, **_LINEAGE,
    },
    "rejects": {
        "file": pl.String, "sheet": pl.String, "row": pl.Int32, "column": pl.String,
        "value": pl.String, "reason": pl.String, "record": pl.String,
    },
    "warnings": {
        "file": pl.String, "sheet": pl.String, "row": pl.Int32, "column": pl.String,
        "value": pl.String, "message": pl.String,
    },
    "files": {
        "file": pl.String, "sheet": pl.String, "table_name": pl.String, "encoding": pl.String,
        "snapshot_date": pl.Date, "rows_read": pl.Int32, "rows_loaded": pl.Int32,
        "rows_rejected": pl.Int32,
    },
}

# What identifies a person directly: read and checked by the ingest, never landed (see
# warehouse/personal/). The landed person tables carry ``person_key`` where the name was.
PERSONAL_COLUMNS = ("姓名", "身份证号")
PERSON_TABLES = ("talent_pool", "training_participants", "appointments")


Schema = dict[str, type[pl.DataType] | pl.DataType]


def _landed(name: str, schema: Schema) -> Schema:
    if name == "rejects":
        return {column: dtype for column, dtype in schema.items() if column != "record"}
    if name not in PERSON_TABLES:
        return schema
    landed: Schema = {}
    for column, dtype in schema.items():
        if column == "姓名":
            landed["person_key"] = pl.String
        elif column not in PERSONAL_COLUMNS:
            landed[column] = dtype
    return landed


# The tables as the analytics warehouse holds them: no name, no ID number, no raw reject record.
LANDED_SCHEMAS = {name: _landed(name, schema) for name, schema in LANDING_SCHEMAS.items()}
