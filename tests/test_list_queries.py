"""A list costs the same number of queries whatever its length, and comes a page at a time
with what is due soonest first (issue: pages at scale)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from review.models import Dossier
from workflow import actions
from workflow.assignment import claim
from workflow.views import desk

from .conftest import advance, step, submit


def queries(client, user, url):
    client.force_login(user)
    client.get(url)  # once first: the session and the language settle
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "username, url",
    [
        ("reviewer", "/dossiers/"),
        ("reviewer", "/tasks/"),
        ("reviewer", "/tasks/queue/"),
        ("reviewer", "/tasks/archive/"),
        ("drafter", "/tasks/archive/"),
    ],
)
def test_the_lists_cost_the_same_at_two_lengths(people, new_dossier, client, username, url):
    counts = []
    made = 0
    for length in (2, 5):
        while made < length:
            # In review, with a clock: the rows that used to cost queries each; every
            # other one held by the reviewer, so the inbox has both kinds of row.
            dossier = advance(new_dossier(title=f"衡水市第{made}号管理办法（草案）"), people, 2)
            if made % 2:
                claim(actions.open_task(dossier), people["reviewer"])
            made += 1
        counts.append(queries(client, people[username], url))
    assert counts[0] == counts[1], counts


def titles(page):
    return re.findall(r">衡水市(\w+)办法（草案）</a>", page)


def test_the_inbox_puts_ones_own_tasks_first_then_the_soonest_deadline(
    people, new_dossier, client, monkeypatch
):
    monkeypatch.setattr(desk, "PER_PAGE", 2)
    advance(new_dossier(title="衡水市一般审查办法（草案）"), people, 2)
    urgent = new_dossier(title="衡水市交办审查办法（草案）")
    # Handed down by the government: 7 working days instead of 15, as the legal office
    # confirms on receipt.
    Dossier.objects.filter(pk=urgent.pk).update(urgency_requested=Dossier.Urgency.HANDED_DOWN)
    advance(urgent, people, 2)
    unchecked = new_dossier(title="衡水市尚无期限办法（草案）")
    submit(unchecked, people["drafter"])
    step(unchecked, people["dept_legal"], {"decision": "pass", "comment": "同意。"})
    mine = advance(new_dossier(title="衡水市本人承办办法（草案）"), people, 2)
    claim(actions.open_task(mine), people["reviewer"])

    client.force_login(people["reviewer"])
    first = client.get("/tasks/").content.decode()
    second = client.get("/tasks/?page=2").content.decode()
    assert titles(first) + titles(second) == ["本人承办", "交办审查", "一般审查", "尚无期限"]
    assert "第 1 / 2 页" in first and "待领取" in second

    pool = client.get("/tasks/queue/").content.decode()
    assert titles(pool) == ["交办审查", "一般审查"]


def test_the_archive_lists_what_the_drafter_submitted(people, new_dossier, client):
    dossier = new_dossier(title="衡水市已报送办法（草案）")
    submit(dossier, people["drafter"])
    client.force_login(people["drafter"])
    page = client.get("/tasks/archive/").content.decode()
    assert "衡水市已报送办法（草案）" in page and "提交审查" in page
