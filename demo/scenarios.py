"""Dossiers standing at each stage of the four reviews, made through the real flow."""

from django.utils import timezone

from workflow.flows import submit_dossier

from .drafts import open_dossier
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
