"""`manage.py inspect_docx`: what support staff see when a user says text went missing."""

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
RULES = CORPUS / "policies" / "天津" / "天津市廉租住房管理办法.docx"
TABLE_NOTICE = (
    CORPUS / "policies" / "天津" / "关于落实《天津市限价商品住房管理暂行办法》有关问题的通知.docx"
)
REPO = Path(__file__).resolve().parents[1]


def run(*args) -> str:
    out = io.StringIO()
    call_command("inspect_docx", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_full_text_and_the_article_outline():
    result = json.loads(run(str(RULES), "--json"))
    assert result["kind"] == "docx"
    assert result["sha256"] == hashlib.sha256(RULES.read_bytes()).hexdigest()
    assert result["unit"] == "article"
    assert [a["label"] for a in result["articles"]][:3] == ["第一条", "第二条", "第三条"]
    assert len(result["articles"]) == 25
    fifth = result["articles"][4]
    assert fifth["chapter"] == "第二章 保障资金及房屋来源"
    assert [i["label"] for i in fifth["items"]] == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
    ]
    assert result["text"][fifth["start"] : fifth["end"]] == fifth["text"]


def test_json_shows_text_that_lives_in_a_table():
    result = json.loads(run(str(TABLE_NOTICE), "--json"))
    assert result["table_count"] >= 1
    assert "限价商品住房申请人家庭人均年收入线标准为2.5万元" in result["text"]
    assert result["unit"] == "section"


def test_summary_lists_counts_and_the_indented_outline():
    summary = run(str(RULES))
    assert "类型：docx" in summary
    assert "表格：4" in summary
    assert "结构：按条（第X条），共 25 条" in summary
    assert "\n  第二章 保障资金及房屋来源\n    第五条 廉租住房保障资金来源主要包括：\n" in summary
    assert "\n      （一）年度财政预算安排的廉租住房保障资金；\n" in summary
    assert "正文开头：" in summary


def test_a_rejected_file_gives_the_chinese_message_and_status_2(tmp_path):
    fake = tmp_path / "草案.docx"
    fake.write_text("只是文本")
    with pytest.raises(CommandError) as caught:
        run(str(fake))
    assert caught.value.returncode == 2
    assert "文件内容与扩展名不符" in str(caught.value)


def test_the_exit_status_and_stderr_from_the_shell(tmp_path):
    fake = tmp_path / "草案.docx"
    fake.write_text("只是文本")
    process = subprocess.run(
        [sys.executable, "manage.py", "inspect_docx", str(fake)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DJANGO_DEBUG": "true"},
    )
    assert process.returncode == 2
    assert "文件内容与扩展名不符" in process.stderr
    assert process.stdout == ""


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run(str(tmp_path / "不存在.docx"))


@pytest.mark.libreoffice
def test_a_doc_is_read_through_libreoffice():
    path = CORPUS / "policies" / "重庆" / "重庆市城镇职工基本医疗保险.doc"
    result = json.loads(run(str(path), "--json"))
    assert (result["kind"], result["converted"]) == ("doc", True)
    assert result["unit"] == "article"
    assert result["articles"][0]["label"] == "第一条"
