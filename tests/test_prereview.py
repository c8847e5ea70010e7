"""The pre-review of a draft: the laws it cites checked against the register (in force,
amended since, repealed or replaced, not in the register), the repeals the register learns
from repealing texts, and the reviewer turning a flag into a finding or dismissing it."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from review.signals import text_extracted
from search.models import Document, FlagDecision, PreReview, StatedRepeal, Status
from search.prereview import accepted_findings, prereview, run_for_version
from tests.register import LAWS, linked_laws
from tests.today import SUITE_DAY as TODAY

from .conftest import advance

POLICIES = LAWS.parent / "policies"
CITED = [
    "行政法/治安管理处罚法(2012-10-26).md",
    "行政法/户口登记条例(1958-01-09).md",
    "宪法相关法/立法法(2015-03-15).md",
    "宪法相关法/立法法(2023-03-13).md",
    "行政法规/法规规章备案条例(2001-12-14).md",
    "行政法规/法规规章备案审查条例(2024-08-30).md",
    "行政法规/居住证暂行条例(2015-11-26).md",
]


@pytest.fixture(scope="session")
def cited_laws(tmp_path_factory):
    """The corpus layout with the laws the drafts below cite."""
    return linked_laws(tmp_path_factory, CITED)


@pytest.fixture
def register(import_laws, cited_laws):
    return import_laws(cited_laws)


def run(capsys, name, *options):
    call_command("prereview", str(POLICIES / name), "--json", "--on", TODAY.isoformat(), *options)
    return json.loads(capsys.readouterr().out)


def cited(result, words):
    return next(c for c in result["citations"] if words in c["text"])


def test_a_repealed_law_is_reported_with_the_law_that_replaced_it(register, capsys):
    result = run(capsys, "重庆/重庆市暂住人口治安管理规定(2002年).docx")
    old = cited(result, "治安管理处罚条例")
    assert old["status"] == "repealed_or_replaced"
    assert [r["title"] for r in old["replaced_by"]] == ["中华人民共和国治安管理处罚法"]
    household = cited(result, "户口登记条例")
    assert household["status"] == "in_force"
    assert household["document_id"] == Document.objects.get(title="中华人民共和国户口登记条例").pk


def test_a_law_missing_from_the_register_is_said_plainly(register, capsys):
    result = run(capsys, "重庆/重庆市暂住人口治安管理规定(2002年).docx")
    missing = cited(result, "重庆市收容遣送条例")
    assert (missing["status"], missing["document_id"]) == ("not_in_register", None)
    # The draft's own number and promulgation note are not citations.
    assert not [c for c in result["citations"] if "139号" in c["text"] or "58号" in c["text"]]


def test_an_amended_law_is_reported_with_the_version_now_in_force(register, capsys):
    result = run(capsys, "Hangzhou/杭州市流动人口服务管理条例.docx")
    assert result["drafted_on"] == "2012-04-19"
    law = cited(result, "立法法")
    assert (law["status"], law["article"]) == ("amended_since", "第六十三条第二款")
    assert law["amendment"]["effective_on"] == "2023-03-13"
    # Its own title, repeated in the approval above it, is no citation.
    assert not [c for c in result["citations"] if "杭州市流动人口服务管理条例" in c["text"]]


def test_the_cited_article_is_shown_as_it_read_then_and_reads_now(register):
    text = "第一条 根据《中华人民共和国立法法》第六十三条，制定本办法。"
    result = prereview(text, on=TODAY, drafted_on=date(2016, 1, 1))
    amendment = result["citations"][0]["amendment"]
    assert amendment["article_changed"] is True
    assert "立法后评估" in amendment["text_then"]
    assert "法律的修改和废止程序" in amendment["text_now"]


def test_a_law_not_amended_between_the_draft_and_the_day_is_in_force(register, capsys):
    result = run(
        capsys,
        "Hangzhou/杭州市流动人口服务管理条例.docx",
        "--drafted",
        "2016-01-01",
        "--on",
        "2020-01-01",
    )
    law = cited(result, "立法法")
    assert (law["status"], law["status_on_draft_date"]) == ("in_force", "in_force")
    assert "amendment" not in law


def test_the_importer_learns_a_repeal_from_the_repealing_text(register):
    old = Document.objects.get(title="法规规章备案条例")
    assert old.status == Status.REPEALED
    assert old.ended_on.isoformat() == "2024-11-01"  # Art. 26: 本条例自2024年11月1日起施行
    assert old.incoming_links.get().source.title == "法规规章备案审查条例"
    # A title the register lacks is still known to be repealed, and by what.
    assert StatedRepeal.objects.filter(title="中华人民共和国治安管理处罚条例", target=None).exists()


def test_citations_in_running_text_numbers_and_orders(register):
    text = (
        "第一条 依照治安管理处罚法第十条规定处罚。\n"
        "第二条 按照国办发[2011]45号和《居住证暂行条例》（国务院令第663号）执行。\n"
        "第三条 根据《法规规章备案条例》第三条报送备案。\n"
        "第四条 2004年8月30日上海市人民政府令第32号发布的《上海市居住证暂行规定》同时废止。\n"
    )
    result = prereview(text, on=TODAY)
    rows = {c["cited"]: c for c in result["citations"]}
    assert rows["治安管理处罚法"]["article"] == "第十条"
    assert rows["治安管理处罚法"]["status"] == "in_force"
    assert rows["国办发〔2011〕45号"]["status"] == "not_in_register"
    assert rows["居住证暂行条例"]["title"] == "居住证暂行条例"
    assert rows["法规规章备案条例"]["status"] == "repealed_or_replaced"
    # An order just before the title it issued is one citation with it.
    assert rows["上海市居住证暂行规定"]["text"].startswith("上海市人民政府令第32号")
    assert len(result["citations"]) == 5


@pytest.fixture
def reviewed(new_dossier, register, people):
    dossier = advance(new_dossier(), people, 2)  # at the legality review
    return run_for_version(dossier.latest_version)


def test_a_flag_becomes_a_finding_the_opinion_starts_from(reviewed, people, client):
    client.force_login(people["reviewer"])
    key = "citation:0"
    response = client.post(
        f"/tasks/prereview/{reviewed.pk}/decide/",
        {"key": key, "decision": "accepted", "next": "/tasks/"},
    )
    assert response.status_code == 302
    [finding] = accepted_findings(reviewed.version)
    assert finding["point"] == "other" and reviewed.citations[0]["text"] in finding["text"]
    again = client.post(
        f"/tasks/prereview/{reviewed.pk}/decide/",
        {"key": key, "decision": "dismissed", "reason": "不必。"},
        follow=True,
    )
    assert "该提示已经处理" in again.content.decode()
    assert FlagDecision.objects.get().decision == FlagDecision.Decision.ACCEPTED


def test_a_dismissal_needs_its_reason(reviewed, people, client):
    client.force_login(people["reviewer"])
    url = f"/tasks/prereview/{reviewed.pk}/decide/"
    refused = client.post(url, {"key": "citation:0", "decision": "dismissed"}, follow=True)
    assert "不予采纳时请写明理由" in refused.content.decode()
    assert not FlagDecision.objects.exists()
    client.post(url, {"key": "citation:0", "decision": "dismissed", "reason": "已另行核实。"})
    assert FlagDecision.objects.get().reason == "已另行核实。"


def test_only_reviewers_decide_on_flags(reviewed, people, client):
    client.force_login(people["drafter"])
    response = client.post(
        f"/tasks/prereview/{reviewed.pk}/decide/", {"key": "citation:0", "decision": "accepted"}
    )
    assert response.status_code == 403
    assert not FlagDecision.objects.exists()


def test_the_result_is_kept_with_the_version(reviewed):
    assert reviewed.version.prereview == reviewed
    assert reviewed.checked_on == TODAY
    assert "城市房地产管理法" in reviewed.citations[0]["cited"]
    assert reviewed.citations[0]["status"] == "not_in_register"


def test_the_task_page_piece_shows_both_tables(reviewed, people, rf):
    from django.template import Context, Template

    request = rf.get("/tasks/1/")
    request.user = people["reviewer"]
    FlagDecision.record(
        reviewed, "citation:0", people["reviewer"], decision="dismissed", reason="已核实。"
    )
    html = Template("{% load prereview %}{% prereview_tables version %}").render(
        Context({"request": request, "version": reviewed.version})
    )
    assert 'id="citation-table"' in html and "文件库中未收录" in html
    assert "不予采纳：已核实。" in html  # recorded, so no buttons for it
    flagged = reviewed.flagged_articles
    assert flagged, "the demo draft has articles Art. 7 asks about"
    assert flagged[0]["article"] in html and "转为审查意见" in html


def test_a_version_is_prereviewed_once_its_text_is_read(
    new_dossier, register, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = new_dossier().latest_version  # a .docx, read at upload
    assert PreReview.objects.get(version=version).citations
    PreReview.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        # A .doc, read by the conversion task, says so with this signal.
        text_extracted.send(sender=type(version), version=version)
    assert PreReview.objects.get(version=version).checked_on == TODAY
