"""Demo data: departments, one user per role, and dossiers standing at each stage."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from review.models import Department, Dossier, User
from workflow import demo
from workflow.flows import complete_open_task, submit_dossier

DEFAULT_PASSWORD = "demo-review-2026"

HOUSING = "衡水市住房和城乡建设局"
MARKET = "衡水市市场监督管理局"
LEGAL = "衡水市人民政府法制办公室"
GOV_OFFICE = "衡水市人民政府办公室"

DEPARTMENTS = [
    (HOUSING, Department.Kind.DRAFTING, "衡住建规", "衡住建函"),
    (MARKET, Department.Kind.DRAFTING, "衡市监规", "衡市监函"),
    (LEGAL, Department.Kind.LEGAL_OFFICE, "", "衡法函"),
    (GOV_OFFICE, Department.Kind.GOVERNMENT_OFFICE, "", "衡政办函"),
]

USERS = [
    ("drafter", "张起草", HOUSING, "drafter"),
    ("dept_legal", "李初审", HOUSING, "dept_legal"),
    ("reviewer", "王审查", LEGAL, "reviewer"),
    ("head", "赵主任", LEGAL, "head"),
    ("secretary", "孙秘书", GOV_OFFICE, "secretary"),
    ("clerk", "周登记", LEGAL, "clerk"),
    ("drafter2", "吴经办", MARKET, "drafter"),
    ("dept_legal2", "郑法规", MARKET, "dept_legal"),
]

# Where each demo dossier stops: the number of steps it is taken through.
PASS = {"decision": "pass", "comment": "经审查，草案符合法律法规规定，同意报送。"}
SEND_BACK = {"decision": "send_back", "comment": "第三条职责表述不清，请修改后重新报送。"}
COMPLETE = {"decision": "complete"}
SUPPLEMENT = {
    "decision": "supplement",
    "missing": ["consultation"],
    "comment": "请补充征求意见情况。",
}
REVISE = {
    "conclusion": "revise",
    "text": "草案部分条款需修改完善。",
    "findings-TOTAL_FORMS": "1",
    "findings-INITIAL_FORMS": "0",
    "findings-0-article": "第六条",
    "findings-0-point": "prohibited",
    "findings-0-text": "规范性文件不得设定行政处罚，建议删除“予以处理”中的处罚内容或改为引用上位法。",
    "findings-0-legal_basis": "《河北省规范性文件制定规定》第七条",
}
LAWFUL = {
    "conclusion": "lawful",
    "text": "经审查，该草案制定主体适格，内容不违反上位法规定，制定程序符合要求。",
    "legal_basis": "《河北省规范性文件制定规定》第十五条",
    "findings-TOTAL_FORMS": "0",
    "findings-INITIAL_FORMS": "0",
}
SIGN = {"decision": "sign", "comment": "同意。"}
ADOPTED = {"meeting": "市政府第12次常务会议", "outcome": "adopted", "notes": ""}
RECHECK = {"decision": "pass", "opinion_adopted": "on", "comment": ""}
REGISTER = {"published_in": "衡水市人民政府门户网站"}

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


class Command(BaseCommand):
    help = "Creates demo departments, users (drafter, dept_legal, reviewer, head, secretary, clerk) and dossiers at each stage. Idempotent."

    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD or DEFAULT_PASSWORD
        with transaction.atomic():
            departments = self.departments()
            users = self.users(departments, password)
        for title, topic, law, steps in SCENARIOS:
            if not Dossier.objects.filter(title=title).exists():
                with transaction.atomic():
                    self.dossier(users, title, topic, law, steps)
        # A believable past year, so the annual statistics are not empty on a new machine.
        year = timezone.localdate().year - 1
        if not Dossier.objects.filter(created_at__year=year).exists():
            from reports.demo import seed_year  # it builds on this command's scenarios

            seed_year(year, users)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            "Users: "
            + ", ".join(username for username, *_ in USERS)
            + f" (password: {password}"
            + (", set DEMO_PASSWORD to change it)" if not settings.DEMO_PASSWORD else ")")
        )

    def departments(self):
        result = {}
        for name, kind, prefix, letter_prefix in DEPARTMENTS:
            result[name], _ = Department.objects.update_or_create(
                name=name,
                defaults={"kind": kind, "number_prefix": prefix, "letter_prefix": letter_prefix},
            )
        return result

    def users(self, departments, password):
        result = {}
        for username, full_name, department, role in USERS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={"first_name": full_name, "department": departments[department]},
            )
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get_or_create(name=role)[0]])
            result[username] = user
        return result

    def dossier(self, users, title, topic, law, steps):
        supplement_asked = any(s != "submit" and s[1] is SUPPLEMENT for s in steps)
        dossier = demo.open_dossier(
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
