"""A year (2025) of known review work for the statistics tests, made through the real flow,
each act on the day it would have happened (demo.clock.moved_clock).

    D0 received 2024-12-20, signed lawful 2025-01-07, rejected by the meeting 2025-01-20
    D1 received 01-07, lawful signed 01-20, adopted 02-10, issued 02-14, filed 02-20 (in time)
    D2 sent back by stage 1, received 02-10, supplement requested, revise opinion 02-19
       signed 02-20,
       lawful signed 02-27, meeting asks for amendments 03-10, issued 03-14, filed 04-10 (late)
    D3 (市场监管局's own document) received 03-03 (the day stage 1 passed it, not the
       completeness check of 03-04), no opinion: due 03-24, deemed passed 03-25
    D4 received 04-07, period extended 04-18, lawful signed 05-09, meeting postponed 05-20
    D5 (市场监管局's own document) received 06-04, 不予制定 signed 06-11, accepted 06-12
    D6 (市场监管局) received 12-22, signed 2026-01-06: a review of the next year
    register: six older documents and D1, D2; the cleanup published 2025-12-15 retains
    two, marks one to be amended (still in force), repeals one, declares one invalid;
    another one was published in 2024.
"""

from datetime import date
from types import SimpleNamespace

from demo import drafts
from demo.clock import moved_clock
from demo.drafts import open_dossier
from demo.payloads import COMPLETE, LAWFUL, PASS, REVISE, SIGN
from demo.year import older_document
from search.models import CleanupCampaign
from search.register import run_daily
from workflow import clock

from .conftest import step, submit

YEAR = 2025
MARKET = "衡水市市场监督管理局"

EXPECTED = {
    "throughput": {"received": 6, "reviewed": 6, "answered": 5, "deemed": 1, "issued": 2},
    "opinions": {"all": 6, "lawful": 4, "revise": 1, "remove": 0, "postpone": 0, "do_not_make": 1},
    "returns": {
        "sent_back": 3,
        "sent_back-dept_check": 1,
        "sent_back-completeness": 0,
        "sent_back-legal_review": 1,
        "sent_back-meeting": 1,
        "sent_back-recheck": 0,
        "supplement": 1,
    },
    "times": {
        "dept_check": 7,
        "completeness": 7,
        "supplement": 1,
        "legal_review": 6,
        "head_sign": 6,
        "meeting": 4,
        "objection": 1,
        "negotiation": 0,
        "ruling": 0,
        "recheck": 2,
        "registration": 2,
        "revision": 3,
    },
    "deadlines": {"kept": 5, "extended": 1, "missed": 1, "deemed_passed": 1, "unknown": 0},
    "meetings": {"all": 4, "adopted": 1, "amend": 1, "postponed": 1, "rejected": 1},
    "filing": {"on_time": 1, "late": 1, "unfiled": 0, "unknown": 0},
    "register": {
        "all": 8,
        "in_force": 6,
        "pending": 0,
        "amended": 0,
        "repealed": 1,
        "lapsed": 1,
    },
    "cleanup": {"all": 5, "retain": 2, "amend": 1, "repeal": 1, "invalid": 1},
}


def on(day, action, *args, **kwargs):
    with moved_clock(day):
        return action(*args, **kwargs)


def meeting(outcome, day, notes=""):
    return {
        "meeting": "市政府常务会议",
        "held_on": day.isoformat(),
        "outcome": outcome,
        "notes": notes,
    }


def revised(dossier, note):
    paragraphs = drafts.draft_text(dossier.title, "有关事项", "有关法律", "有关部门", extra=note)
    data = {"note": note, **drafts.adopt_all(dossier)}
    return data, {"file": drafts.upload("修改稿.docx", paragraphs)}


def received(people, title, opened, drafter="drafter", **options):
    """A dossier opened and submitted on ``opened``; returns it and the legal office of
    its department, which passes it on."""
    dept_legal = "dept_legal2" if drafter == "drafter2" else "dept_legal"
    dossier = on(opened, open_dossier, people[drafter], title, "有关事项", "有关法律", **options)
    on(opened, submit, dossier, people[drafter])
    return dossier, people[dept_legal]


def build(people):
    """The year of the module docstring; returns the dossiers as d0..d6."""
    p = people
    reviewer, head, secretary, clerk = p["reviewer"], p["head"], p["secretary"], p["clerk"]
    d = SimpleNamespace()

    d.d0, legal = received(p, "衡水市城市道路管理办法（草案）", date(2024, 12, 16))
    on(date(2024, 12, 20), step, d.d0, legal, PASS)
    on(date(2024, 12, 23), step, d.d0, reviewer, COMPLETE)
    on(date(2025, 1, 6), step, d.d0, reviewer, LAWFUL)
    on(date(2025, 1, 7), step, d.d0, head, SIGN)
    on(date(2025, 1, 20), step, d.d0, secretary, meeting("rejected", date(2025, 1, 20)))

    d.d1, legal = received(p, "衡水市城市绿化管理办法（草案）", date(2025, 1, 6))
    on(date(2025, 1, 7), step, d.d1, legal, PASS)
    on(date(2025, 1, 8), step, d.d1, reviewer, COMPLETE)
    on(date(2025, 1, 15), step, d.d1, reviewer, LAWFUL)
    on(date(2025, 1, 20), step, d.d1, head, SIGN)
    on(date(2025, 2, 10), step, d.d1, secretary, meeting("adopted", date(2025, 2, 10)))
    on(date(2025, 2, 12), step, d.d1, clerk, {"decision": "pass", "opinion_adopted": "on"})
    publish(d.d1, clerk, date(2025, 2, 14))
    on(date(2025, 2, 20), d.d1.record_filing, clerk, date(2025, 2, 20))

    d.d2, legal = received(p, "衡水市物业管理办法（草案）", date(2025, 2, 5), skip=["consultation"])
    on(date(2025, 2, 6), step, d.d2, legal, {"decision": "send_back", "comment": "缺起草说明。"})
    on(date(2025, 2, 7), step, d.d2, p["drafter"], *revised(d.d2, "补充起草说明。"))
    on(date(2025, 2, 10), step, d.d2, legal, PASS)
    supplement = {"decision": "supplement", "missing": ["consultation"], "comment": ""}
    on(date(2025, 2, 11), step, d.d2, reviewer, supplement)
    consultation = {"consultation": drafts.material_upload("consultation", d.d2.title)}
    on(date(2025, 2, 13), step, d.d2, p["drafter"], {"comment": "已补充。"}, consultation)
    on(date(2025, 2, 14), step, d.d2, reviewer, COMPLETE)
    on(date(2025, 2, 19), step, d.d2, reviewer, REVISE)
    on(date(2025, 2, 20), step, d.d2, head, SIGN)
    on(date(2025, 2, 24), step, d.d2, p["drafter"], *revised(d.d2, "删除第六条处罚内容。"))
    on(date(2025, 2, 26), step, d.d2, reviewer, LAWFUL)
    on(date(2025, 2, 27), step, d.d2, head, SIGN)
    amend = meeting("amend", date(2025, 3, 10), "第五条增加信息公开要求。")
    on(date(2025, 3, 10), step, d.d2, secretary, amend)
    on(date(2025, 3, 12), step, d.d2, p["drafter"], *revised(d.d2, "按会议意见修改第五条。"))
    recheck = {"decision": "pass", "opinion_adopted": "on", "comment": "按会议意见修改第五条。"}
    on(date(2025, 3, 13), step, d.d2, clerk, recheck)
    publish(d.d2, clerk, date(2025, 3, 14))
    on(date(2025, 4, 10), d.d2.record_filing, clerk, date(2025, 4, 10))

    d.d3, legal = received(
        p, "衡水市电梯安全管理办法（草案）", date(2025, 2, 27), "drafter2", kind="department"
    )
    on(date(2025, 3, 3), step, d.d3, legal, PASS)
    on(date(2025, 3, 4), step, d.d3, reviewer, COMPLETE)
    assert on(date(2025, 3, 26), clock.record_deemed_passed, d.d3, date(2025, 3, 26))

    d.d4, legal = received(p, "衡水市建筑节能管理办法（草案）", date(2025, 4, 2))
    on(date(2025, 4, 7), step, d.d4, legal, PASS)
    on(date(2025, 4, 8), step, d.d4, reviewer, COMPLETE)
    assert on(date(2025, 4, 18), clock.can_extend, d.d4)
    on(date(2025, 4, 18), clock.extend, d.d4, head, "涉及多个部门职责。")
    on(date(2025, 5, 8), step, d.d4, reviewer, LAWFUL)
    on(date(2025, 5, 9), step, d.d4, head, SIGN)
    on(date(2025, 5, 20), step, d.d4, secretary, meeting("postponed", date(2025, 5, 20)))

    d.d5, legal = received(
        p, "衡水市计量监督管理办法（草案）", date(2025, 6, 3), "drafter2", kind="department"
    )
    on(date(2025, 6, 4), step, d.d5, legal, PASS)
    on(date(2025, 6, 5), step, d.d5, reviewer, COMPLETE)
    do_not_make = {**LAWFUL, "conclusion": "do_not_make", "text": "无上位法依据。"}
    on(date(2025, 6, 10), step, d.d5, reviewer, do_not_make)
    on(date(2025, 6, 11), step, d.d5, head, SIGN)
    on(date(2025, 6, 12), step, d.d5, p["drafter2"], {"decision": "accept"})

    d.d6, legal = received(p, "衡水市广告管理办法（草案）", date(2025, 12, 19), "drafter2")
    on(date(2025, 12, 22), step, d.d6, legal, PASS)
    on(date(2025, 12, 23), step, d.d6, reviewer, COMPLETE)
    on(date(2026, 1, 5), step, d.d6, reviewer, LAWFUL)
    on(date(2026, 1, 6), step, d.d6, head, SIGN)

    cleanups(people)
    # The register's daily pass on a fixed day, so that no document lapses as years go by.
    run_daily(date(2026, 1, 15))
    for dossier in vars(d).values():
        dossier.refresh_from_db()
    return d


def publish(dossier, clerk, day):
    data = {"published_on": day.isoformat(), "published_in": "政府网站"}
    on(day, step, dossier, clerk, data)


def cleanups(people):
    housing, market = people["dept_legal"].department, people["dept_legal2"].department
    older = [
        ("衡水市城市道路挖掘管理办法", housing, True, "retain"),
        ("衡水市住宅装饰装修管理规定", housing, True, "amend"),
        ("衡水市房地产开发项目手册管理办法", housing, False, "repeal"),
        ("衡水市计量器具强制检定管理办法", market, False, "retain"),
        ("衡水市工业产品生产许可证后续监管办法", market, False, "invalid"),
    ]
    documents = [older_document(t, dept, date(2024, 1, 10), gov) for t, dept, gov, _d in older]
    campaign(people, "2025年清理", documents, [d for *_x, d in older], date(2025, 12, 15))
    # Published the year before: not in 2025's figures.
    earlier = older_document("衡水市旧规定", housing, date(2022, 3, 1))
    campaign(people, "2024年清理", [earlier], ["retain"], date(2024, 12, 20))


def campaign(people, title, documents, decisions, published_on):
    head = people["head"]
    with moved_clock(published_on):
        campaign = CleanupCampaign.objects.create(title=title, created_by=head)
        campaign.add_documents(documents)
        for item, decision in zip(campaign.items.order_by("pk"), decisions, strict=True):
            legal = people["dept_legal2" if item.department.name == MARKET else "dept_legal"]
            item.propose(legal, decision, "清理理由。")
            item.review(head, True)
        campaign.publish(head, published_on)
    return campaign
