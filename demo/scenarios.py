"""Dossiers standing at each stage of the four reviews, made through the real flow."""

from datetime import timedelta

from django.utils import timezone

from workflow import actions
from workflow.flows import submit_dossier

from .clock import moved_clock
from .drafts import material_upload, open_dossier
from .payloads import (
    ADOPTED,
    COMPLETE,
    LAWFUL,
    PASS,
    RECHECK,
    REGISTER,
    REVISE,
    SEND_BACK,
    SIGN,
    SUPPLEMENT,
)
from .steps import complete_open_task
from .year import older_document

SCENARIOS = [
    # title, topic, law, steps (role, data, needs files)
    ("衡水市城市房屋租赁管理办法（草案）", "房屋租赁", "城市房地产管理法", []),
    ("衡水市物业服务收费管理规定（草案）", "物业服务收费", "价格法", ["submit"]),
    (
        "衡水市住宅专项维修资金管理办法（草案）",
        "住宅专项维修资金",
        "物权法",
        ["submit", ("dept_legal", SEND_BACK)],
    ),
    (
        "衡水市既有住宅加装电梯实施办法（草案）",
        "既有住宅加装电梯",
        "城乡规划法",
        ["submit", ("dept_legal", PASS), ("reviewer", SUPPLEMENT)],
    ),
    (
        "衡水市建筑垃圾管理办法（草案）",
        "建筑垃圾",
        "固体废物污染环境防治法",
        ["submit", ("dept_legal", PASS), ("reviewer", COMPLETE)],
    ),
    (
        "衡水市城镇燃气安全管理规定（草案）",
        "城镇燃气安全",
        "安全生产法",
        ["submit", ("dept_legal", PASS), ("reviewer", COMPLETE), ("reviewer", LAWFUL)],
    ),
    (
        "衡水市住房公积金缴存管理办法（草案）",
        "住房公积金缴存",
        "住房公积金管理条例",
        [
            "submit",
            ("dept_legal", PASS),
            ("reviewer", COMPLETE),
            ("reviewer", LAWFUL),
            ("head", SIGN),
        ],
    ),
    (
        "衡水市房地产经纪管理办法（草案）",
        "房地产经纪",
        "城市房地产管理法",
        [
            "submit",
            ("dept_legal", PASS),
            ("reviewer", COMPLETE),
            ("reviewer", LAWFUL),
            ("head", SIGN),
            ("secretary", ADOPTED),
        ],
    ),
    (
        "衡水市保障性住房管理办法（草案）",
        "保障性住房",
        "城市房地产管理法",
        [
            "submit",
            ("dept_legal", PASS),
            ("reviewer", COMPLETE),
            ("reviewer", REVISE),
            ("head", SIGN),
        ],
    ),
    (
        "衡水市城市供水用水管理办法",
        "城市供水用水",
        "城市供水条例",
        [
            "submit",
            ("dept_legal", PASS),
            ("reviewer", COMPLETE),
            ("reviewer", LAWFUL),
            ("head", SIGN),
            ("secretary", ADOPTED),
            ("clerk", RECHECK),
            ("clerk", REGISTER),
        ],
    ),
]


def walk(users, title, topic, law, steps):
    """Open the dossier and take it through ``steps`` as the people in them."""
    supplement_asked = any(s != "submit" and s[1] is SUPPLEMENT for s in steps)
    dossier = open_dossier(
        users["drafter"], title, topic, law, skip={"consultation"} if supplement_asked else ()
    )
    for step in steps:
        if step == "submit":
            submit_dossier(dossier, users["drafter"])
            continue
        username, data = step
        data = dict(data)
        if "held_on" not in data and "meeting" in data:
            data["held_on"] = timezone.localdate().isoformat()
        if username == "clerk" and "published_in" in data:
            data["published_on"] = timezone.localdate().isoformat()
        complete_open_task(dossier, users[username], data)


# Dossiers that show what the law attaches to the dates (BRIEF, "Legal consequences"): each
# a function of the demo users, taken through the real flow; its title makes it idempotent.
def deemed_passed_at_the_meeting(users):
    """Received five weeks ago, no opinion in time: deemed passed, now at the meeting."""
    title = "衡水市城市地下综合管廊管理办法（草案）"
    start = timezone.localdate() - timedelta(days=35)
    with moved_clock(start):
        dossier = open_dossier(users["drafter"], title, "地下综合管廊", "城乡规划法")
        submit_dossier(dossier, users["drafter"])
        complete_open_task(dossier, users["dept_legal"], PASS)
        complete_open_task(dossier, users["reviewer"], COMPLETE)
    actions.pass_by_deadline(dossier)


def objection_in_negotiation(users):
    """不予制定, and the department objects within the window: the 协商 is open."""
    title = "衡水市共享单车停放管理办法（草案）"
    dossier = open_dossier(users["drafter"], title, "共享单车停放", "道路交通安全法")
    submit_dossier(dossier, users["drafter"])
    for username, data in [
        ("dept_legal", PASS),
        ("reviewer", COMPLETE),
        ("reviewer", {**LAWFUL, "conclusion": "do_not_make", "text": "设定的罚款无上位法依据。"}),
        ("head", SIGN),
        ("drafter", {"decision": "object", "text": "道路交通安全法已授权，请重新审查。"}),
    ]:
        complete_open_task(dossier, users[username], data)


def department_document_decided_by_its_office_meeting(users):
    """The department's own document: its office meeting decides (Art. 20)."""
    title = "衡水市住房和城乡建设局行政执法公示办法（草案）"
    dossier = open_dossier(users["drafter"], title, "行政执法公示", "行政处罚法", kind="department")
    submit_dossier(dossier, users["drafter"])
    meeting = {
        "body": "office_meeting",
        "meeting": "市住房和城乡建设局第8次局务会议",
        "held_on": timezone.localdate().isoformat(),
        "outcome": "adopted",
    }
    for username, data in [
        ("dept_legal", PASS),
        ("reviewer", COMPLETE),
        ("reviewer", LAWFUL),
        ("head", SIGN),
        ("dept_legal", meeting),
    ]:
        complete_open_task(dossier, users[username], data)


def amending_document_issued(users):
    """Issued through the review, it amends a document in the register: now 已修改."""
    title = "衡水市城市节约用水管理办法（修订草案）"
    published = timezone.localdate() - timedelta(days=3 * 365)
    old = older_document("衡水市城市节约用水管理办法", users["drafter"].department, published)
    walk(
        users,
        title,
        "城市节约用水",
        "水法",
        [
            "submit",
            ("dept_legal", PASS),
            ("reviewer", COMPLETE),
            ("reviewer", LAWFUL),
            ("head", SIGN),
            ("secretary", ADOPTED),
            ("clerk", RECHECK),
            ("clerk", {**REGISTER, "amends": old.number}),
        ],
    )


def partial_supplement_outstanding(users):
    """Two materials asked for, one sent: the other is still outstanding."""
    title = "衡水市房屋安全鉴定管理办法（草案）"
    dossier = open_dossier(
        users["drafter"],
        title,
        "房屋安全鉴定",
        "建筑法",
        skip={"consultation", "risk_assessment"},
    )
    submit_dossier(dossier, users["drafter"])
    complete_open_task(dossier, users["dept_legal"], PASS)
    asked = {"decision": "supplement", "missing": ["consultation", "risk_assessment"]}
    complete_open_task(dossier, users["reviewer"], asked)
    upload = material_upload("consultation", title)
    complete_open_task(dossier, users["drafter"], {"comment": "先报送征求意见情况。"},
                       {"consultation": upload})  # fmt: skip


CONSEQUENCES = {
    "衡水市城市地下综合管廊管理办法（草案）": deemed_passed_at_the_meeting,
    "衡水市共享单车停放管理办法（草案）": objection_in_negotiation,
    "衡水市住房和城乡建设局行政执法公示办法（草案）": department_document_decided_by_its_office_meeting,
    "衡水市城市节约用水管理办法（修订草案）": amending_document_issued,
    "衡水市房屋安全鉴定管理办法（草案）": partial_supplement_outstanding,
}
