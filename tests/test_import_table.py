"""Importing a register kept as .csv or .xlsx: good rows kept, bad rows reported by number."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from search.models import Document, DocumentLink, Kind, Status

HEADER = ["文号", "文件名称", "制定机关", "文件类别", "公布日期", "施行日期", "有效期届满日", "效力状态", "正文", "废止的文件"]  # fmt: skip
ROWS = [
    ["衡政规〔2016〕7号", "衡水市居住证管理办法", "衡水市人民政府", "政府规范性文件", "2016-03-01", "2016-04-01", "2021-03-31", "", "第一条 为了规范居住证管理……", ""],
    ["衡政规〔2018〕3号", "衡水市流动人口服务管理办法", "衡水市人民政府", "政府规范性文件", "2018年1月18日", "2018-02-18", "2023-02-17", "有效", "第一条 ……", "衡政规[2016]7号"],
    ["衡政规〔2018〕4号", "", "衡水市人民政府", "", "2018-02-01", "", "", "", "", ""],
    ["衡政规〔2018〕5号", "衡水市养犬管理规定", "衡水市人民政府", "", "2018-13-01", "", "", "", "", ""],
    ["衡政规〔2018〕6号", "衡水市停车管理办法", "衡水市人民政府", "", "2018-03-01", "", "", "作废", "", ""],
]  # fmt: skip


def write_csv(path, rows, header=HEADER):
    import csv

    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def run(path, capsys):
    call_command("import_register", str(path), verbosity=0)
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_good_rows_are_kept_and_bad_rows_reported_with_their_row_numbers(db, tmp_path, capsys):
    out, err = run(write_csv(tmp_path / "登记表.csv", ROWS), capsys)
    assert "新增 2 件" in out
    assert "第4行：文件名称不能为空" in err
    assert "第5行：公布日期“2018-13-01”不是有效日期" in err
    assert "第6行：效力状态“作废”无法识别" in err
    lapsed = Document.objects.get(number="衡政规〔2016〕7号")
    assert lapsed.status == Status.LAPSED  # its validity ended in 2021
    assert lapsed.kind == Kind.GOVERNMENT_NORMATIVE
    newer = Document.objects.get(number="衡政规〔2018〕3号")
    assert newer.published_on.isoformat() == "2018-01-18"
    assert DocumentLink.objects.get(source=newer).target == lapsed


def test_an_xlsx_register_imports_the_same_way_and_twice_changes_nothing(db, tmp_path, capsys):
    book = Workbook()
    book.active.append(HEADER)
    for row in ROWS[:2]:
        book.active.append(row)
    book.save(tmp_path / "登记表.xlsx")
    out, _ = run(tmp_path / "登记表.xlsx", capsys)
    assert "新增 2 件" in out
    out, _ = run(tmp_path / "登记表.xlsx", capsys)
    assert "新增 0 件，更新 0 件，未变 2 件" in out
    assert Document.objects.count() == 2


def test_a_corrected_row_updates_its_document_with_a_history_line(db, tmp_path, capsys):
    run(write_csv(tmp_path / "a.csv", ROWS[:1]), capsys)
    corrected = [ROWS[0][:7] + ["已废止"] + ROWS[0][8:]]
    out, _ = run(write_csv(tmp_path / "b.csv", corrected), capsys)
    assert "更新 1 件" in out
    doc = Document.objects.get()
    assert doc.status == Status.REPEALED
    assert [c.new_status for c in doc.status_changes.all()] == [Status.LAPSED, Status.REPEALED]


def test_a_table_without_the_required_columns_is_refused_whole(db, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [["衡政规〔2016〕7号"]], header=["文号"])
    with pytest.raises(CommandError, match="缺少必填列：文件名称、制定机关"):
        call_command("import_register", str(path), verbosity=0)
    assert not Document.objects.exists()


def test_an_unknown_file_type_is_refused(db, tmp_path):
    path = tmp_path / "register.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match=r"\.xlsx、\.csv"):
        call_command("import_register", str(path), verbosity=0)
