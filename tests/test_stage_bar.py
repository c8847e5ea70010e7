"""The dossier page shows where the dossier is in the four reviews and who holds it now."""

import re

from django.template import Context, Template

from demo.payloads import SEND_BACK
from workflow import actions
from workflow.assignment import claim

from .conftest import USUAL_PATH, advance, step, submit


def bar(client, user, dossier):
    """The stage bar as a reader hears it: one line per phase, the current one starred."""
    client.force_login(user)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "当前任务" not in page
    nav = re.search(r'<nav class="stage-bar".*?</nav>', page, re.S).group(0)
    lines = []
    for item in re.findall(r"<li(.*?)>(.*?)</li>", nav, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", item[1]).split())
        lines.append(("* " if 'aria-current="step"' in item[0] else "") + text)
    holder = re.search(r'<p class="stage-holder">(.*?)</p>', nav, re.S)
    return lines, holder and " ".join(re.sub(r"<[^>]+>", "", holder.group(1)).split())


def test_in_the_legal_review_the_second_phase_is_current_and_waits_for_a_reviewer(
    people, new_dossier, client
):
    dossier = advance(new_dossier(), people, 2)
    lines, holder = bar(client, people["reviewer"], dossier)
    assert lines == [
        "✓ 部门初审 （已完成）",
        "* 2 政府法制机构审查 合法性审查",
        "3 集体审议",
        "4 发文前复核",
        "5 登记公布",
    ]
    assert holder == "当前承办人：待领取（政府法制机构审查人员）"

    claim(actions.open_task(dossier), people["reviewer2"])
    assert bar(client, people["drafter"], dossier)[1] == "当前承办人：陈审查"


def test_a_dossier_sent_back_shows_where_and_that_the_drafter_holds_it(people, new_dossier, client):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], SEND_BACK)
    lines, holder = bar(client, people["drafter"], dossier)
    assert lines[0] == "* 1 部门初审 已退回起草部门修改" and lines[1] == "2 政府法制机构审查"
    assert holder == "当前承办人：张起草"


def test_an_issued_dossier_has_every_phase_done_and_nobody_holding_it(people, new_dossier, client):
    dossier = advance(new_dossier(), people, len(USUAL_PATH))
    lines, holder = bar(client, people["clerk"], dossier)
    assert all(line.startswith("✓") for line in lines) and len(lines) == 5
    assert holder is None


def test_the_task_page_can_show_the_bar_and_the_holder(people, new_dossier, rf):
    dossier = advance(new_dossier(), people, 3)  # the opinion awaits the head's signature
    task = actions.open_task(dossier)
    request = rf.get("/")
    request.user = people["head"]
    html = Template(
        '{% load desk %}{% stage_bar dossier %}{% include "workflow/includes/task_holder.html" %}'
    ).render(Context({"dossier": dossier, "task": task, "request": request}))
    assert "负责人签发审查意见" in html and "待领取（法制机构负责人）" in html
    assert "/claim/" in html  # the head may take it
