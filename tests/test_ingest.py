"""Reading raw folders: encodings, title rows, totals, and file-level versus row-level errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.rawkit import appointment, participant, person, training_class, write_csv, write_raw
from warehouse.contract import TALENT_POOL
from warehouse.errors import FileError
from warehouse.ingest import ingest, land
from warehouse.personal.separate import separate


def _pool_ids(raw: Path) -> list[str]:
    return sorted(r["身份证号"] for r in ingest(raw).tables["talent_pool"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_snapshot_folder_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    raw = write_raw(tmp_path)
    folder = raw / "talent_pool" / "2017-12-31"
    rows = [person(5, 姓名="阿苏·拉且", 民族="彝"), person(6, 政治面貌="中国民主同盟")]
    write_csv(folder / "党外知识分子.csv", TALENT_POOL.headers, rows, encoding=encoding,
              title="乐山市党外干部人才库名单（截至2017年12月31日）")
    result = ingest(raw)
    landed = [r for r in result.tables["talent_pool"] if r["_file"].startswith("talent_pool/2017")]
    assert [r["姓名"] for r in landed] == ["阿苏·拉且", "测试6"]
    assert landed[0]["民族"] == "彝族"
    assert landed[1]["政治面貌"] == "民盟盟员"
    assert landed[0]["_row"] == 3  # title row, header row, then the first data row
    report = next(f for f in result.files if f.file.endswith(".csv"))
    assert report.encoding == ("utf-8" if encoding == "utf-8" else encoding)


def test_csv_with_mixed_line_endings(tmp_path: Path) -> None:
    raw = write_raw(tmp_path)
    folder = raw / "talent_pool" / "2017-12-31"
    write_csv(folder / "党外知识分子.csv", TALENT_POOL.headers, [person(5), person(6), person(7)])
    path = folder / "党外知识分子.csv"
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(lines[0] + b"\n" + lines[1] + b"\r\n" + lines[2] + b"\r" + b"\r\n".join(lines[3:]))
    assert len([r for r in ingest(raw).tables["talent_pool"] if "2017" in r["_file"]]) == 3


def test_title_rows_blank_rows_and_total_row_are_skipped(tmp_path: Path) -> None:
    raw = write_raw(tmp_path, pool={"2018-04-30": {"副科级以上党外干部": [
        person(1), {"序号": "合计", "姓名": None}, ]}})
    result = ingest(raw)
    assert len(result.tables["talent_pool"]) == 1
    assert result.tables["talent_pool"][0]["_row"] == 4
    assert not result.rejects


def test_as_of_is_the_latest_snapshot(tmp_path: Path) -> None:
    raw = write_raw(tmp_path, pool={"2016-12-31": {"党外知识分子": [person(1)]},
                                    "2018-04-30": {"党外知识分子": [person(1)]}})
    assert str(ingest(raw).as_of) == "2018-04-30"


@pytest.mark.parametrize(
    ("mutate", "file", "fragment"),
    [
        (lambda raw: (raw / "appointments.xlsx").unlink(), "appointments.xlsx", "缺少"),
        (lambda raw: (raw / "talent_pool" / "2018-04-30.xlsx").rename(
            raw / "talent_pool" / "2018年4月.xlsx"), "talent_pool/2018年4月.xlsx", "YYYY-MM-DD"),
        (lambda raw: (raw / "talent_pool" / "2018-04-30.xlsx").rename(
            raw / "talent_pool" / "2018-02-30.xlsx"), "talent_pool/2018-02-30.xlsx", "不存在"),
        (lambda raw: (raw / "appointments.xlsx").write_bytes(b""), "appointments.xlsx", "文件为空"),
        (lambda raw: (raw / "appointments.xlsx").write_text("<html><table></table></html>"),
         "appointments.xlsx", "不是有效的 .xlsx"),
        (lambda raw: (raw / "appointments.xlsx").write_bytes(
            (raw / "appointments.xlsx").read_bytes()[:300]), "appointments.xlsx", "无法打开"),
        (lambda raw: shutil.copy(raw / "appointments.xlsx", raw / "appointments.csv"),
         "appointments.xlsx", "同时存在"),
    ],
)
def test_bad_files_stop_with_a_reason_naming_the_file(tmp_path: Path, mutate, file: str,
                                                     fragment: str) -> None:
    raw = write_raw(tmp_path)
    mutate(raw)
    with pytest.raises(FileError) as error:
        ingest(raw)
    assert error.value.file == file
    assert fragment in str(error.value)


def test_unknown_sheet_is_a_file_error(tmp_path: Path) -> None:
    raw = write_raw(tmp_path, pool={"2018-04-30": {"优秀青年名单": [person(1)]}})
    with pytest.raises(FileError, match="未知名单“优秀青年名单”"):
        ingest(raw)


def test_missing_required_column_is_a_file_error(tmp_path: Path) -> None:
    raw = write_raw(tmp_path)
    headers = [h for h in TALENT_POOL.headers if h != "身份类别"]
    write_csv(raw / "talent_pool" / "2017-12-31" / "党外知识分子.csv", headers, [person(2)])
    with pytest.raises(FileError) as error:
        ingest(raw)
    assert error.value.file == "talent_pool/2017-12-31/党外知识分子.csv"
    assert "缺少必需列：身份类别" in error.value.reason


def test_unknown_column_is_kept_out_and_reported_once(tmp_path: Path) -> None:
    raw = write_raw(tmp_path)
    write_csv(raw / "talent_pool" / "2017-12-31" / "党外知识分子.csv",
              [*TALENT_POOL.headers, "联系电话"], [person(2, 联系电话="13800000000"), person(3)])
    result = ingest(raw)
    assert all("联系电话" not in r for r in result.tables["talent_pool"])
    messages = [w["message"] for w in result.warnings if w["column"] == "联系电话"]
    assert messages == ["未知列“联系电话”未导入"]


@pytest.mark.parametrize(
    ("kwargs", "column", "fragment"),
    [
        ({"pool": {"2018-04-30": {"党外知识分子": [person(1), person(2, 政治面貌="中共党员")]}}},
         "政治面貌", "中共党员不属于党外干部"),
        ({"pool": {"2018-04-30": {"党外知识分子": [person(1), person(2, 身份证号="511102198001010050")]}}},
         "身份证号", "校验位错误"),
        ({"pool": {"2018-04-30": {"党外知识分子": [person(1), person(2, 身份类别="外企")]}}},
         "身份类别", "不在允许的取值中"),
        ({"pool": {"2018-04-30": {"党外知识分子": [person(1), person(2, 所在地区="成都市")]}}},
         "所在地区", "不在允许的取值中"),
        ({"pool": {"2018-04-30": {"党外知识分子": [person(1), person(2, 入库时间="去年")]}}},
         "入库时间", "格式无法识别"),
        ({"pool": {"2018-04-30": {"党外知识分子": [person(1), person(2, 性别="女")]}}},
         "性别", "与身份证号"),
        ({"pool": {"2018-04-30": {"党外知识分子": [person(1), person(2, 出生年月="1979.01")]}}},
         "出生年月", "与身份证号"),
        ({"pool": {"2018-04-30": {"党外知识分子": [person(1), person(1)]}}},
         None, "身份证号重复"),
        ({"appointments": [appointment(1), appointment(2, 免职时间="2016-01-01")]},
         "免职时间", "免职时间早于任职时间"),
        ({"participants": [participant("C001", 1), participant("C999", 2)]},
         None, "班次编号“C999”在培训班次中不存在"),
        ({"classes": [training_class("C001"), training_class("C002", 结束日期="2017-01-01")],
          "participants": [participant("C001", 1), participant("C002", 2)]},
         "结束日期", "结束日期早于开始日期"),
    ],
)
def test_each_rejection_reason_lands_in_the_rejects_table(tmp_path: Path, kwargs, column,
                                                          fragment: str) -> None:
    raw = write_raw(tmp_path, **kwargs)
    result = ingest(raw)
    personal = separate(result, b"test-secret")
    connection = duckdb.connect()
    land(result, connection)
    rejects = connection.execute(
        'SELECT file, sheet, "row", "column", value, reason FROM landing.rejects '
        "WHERE contains(reason, ?)", [fragment]).fetchall()
    assert rejects, result.rejects
    file, sheet, row, rejected_column, value, _reason = rejects[0]
    assert file and sheet and row >= 2
    assert rejected_column == column
    if column in ("姓名", "身份证号"):
        assert value is None  # the value as read is only in the restricted store
    # the whole row as read goes to the restricted store, never to the warehouse
    records = personal.rejects.filter(file=file, sheet=sheet, row=row)["record"].to_list()
    assert records and records[0].startswith("{")


def test_a_folder_without_read_permission_is_a_chinese_file_error(tmp_path: Path, monkeypatch) -> None:
    """As root a chmod does not stop reading, so the refusal the OS gives is simulated."""
    raw = write_raw(tmp_path)
    listing = Path.iterdir

    def refused(folder: Path):
        if folder.name == "talent_pool":
            raise PermissionError(13, "Permission denied", str(folder))
        return listing(folder)

    monkeypatch.setattr(Path, "iterdir", refused)
    with pytest.raises(FileError) as error:
        ingest(raw)
    assert error.value.file == "talent_pool"
    assert error.value.reason == "无法读取文件夹：没有读取权限（请检查文件或文件夹的权限）"


def test_an_unreadable_csv_is_a_chinese_file_error(tmp_path: Path, monkeypatch) -> None:
    raw = write_raw(tmp_path)
    write_csv(raw / "talent_pool" / "2017-12-31" / "党外知识分子.csv", TALENT_POOL.headers, [person(2)])
    reading = Path.read_bytes

    def refused(path: Path) -> bytes:
        if path.suffix == ".csv":
            raise PermissionError(13, "Permission denied", str(path))
        return reading(path)

    monkeypatch.setattr(Path, "read_bytes", refused)
    with pytest.raises(FileError) as error:
        ingest(raw)
    assert error.value.file == "talent_pool/2017-12-31/党外知识分子.csv"
    assert error.value.reason == "无法读取文件：没有读取权限（请检查文件或文件夹的权限）"


def test_a_bad_limit_setting_is_one_chinese_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CADRES_MAX_ROWS_PER_FILE", "很多")
    with pytest.raises(FileError) as error:
        ingest(write_raw(tmp_path))
    assert error.value.reason == "环境变量 CADRES_MAX_ROWS_PER_FILE=“很多”应为正整数"


def test_the_scan_ahead_plans_the_workbooks_in_reading_order_and_nothing_outside(tmp_path: Path) -> None:
    """The worksheet scans run ahead of the reading (issue 12), over the workbooks the reading
    will open, in its order; a link leading out of the raw folder is not among them."""
    from warehouse.ingest import Ingestor

    raw = write_raw(tmp_path / "raw", pool={"2017-12-31": {"党外知识分子": [person(1)]},
                                            "2018-04-30": {"党外知识分子": [person(1)]}})
    outside = tmp_path / "elsewhere.xlsx"
    shutil.copy(raw / "appointments.xlsx", outside)
    (raw / "talent_pool" / "2016-12-31.xlsx").symlink_to(outside)
    folder = raw / "talent_pool" / "2015-12-31"
    folder.mkdir()
    shutil.copy(raw / "talent_pool" / "2017-12-31.xlsx", folder / "党外知识分子.xlsx")
    (folder / "~$党外知识分子.xlsx").write_bytes(b"lock file")
    plan = [(path.relative_to(raw).as_posix(), every) for path, every in Ingestor(raw)._workbooks()]
    assert plan == [("talent_pool/2015-12-31/党外知识分子.xlsx", False),
                    ("talent_pool/2017-12-31.xlsx", True), ("talent_pool/2018-04-30.xlsx", True),
                    ("training/classes.xlsx", False), ("training/participants.xlsx", False),
                    ("appointments.xlsx", False), ("leadership_teams.xlsx", False)]
