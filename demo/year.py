"""A believable year of review work, so the statistics page is not empty on a fresh machine.

The year is made by the real flow (``submit_dossier``, ``complete_open_task``, the clock's
own ``extend`` and ``record_deemed_passed``), each step run on its own day with Django's
clock moved to that day (``moved_clock``). Nothing is backdated afterwards: history
entries, clock events and signed opinions refuse changes, and rightly so; a row is written
once, with the moment it would have had.
"""

import random
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.workdays import UnknownCalendarYear
from review.models import Dossier, Material, NumberSequence, Stage
from search.models import CleanupCampaign, Document, Kind, Status
from search.register import run_daily
from workflow import actions, clock
from workflow.flows import submit_dossier
from workflow.models import work_calendar

from . import drafts
from .clock import moved_clock
from .payloads import COMPLETE, LAWFUL, PASS, RECHECK, REVISE, SIGN
from .steps import complete_open_task

# The topics of the demo year: (title, subject, statute, drafting department's user).
# fmt: off
TOPICS = [
    ("衡水市国有土地上房屋征收与补偿实施办法", "房屋征收与补偿", "国有土地上房屋征收与补偿条例", "drafter"),
    ("衡水市食品小作坊和食品摊贩管理办法", "食品小作坊和食品摊贩", "食品安全法", "drafter2"),
    ("衡水市城市地下管线管理办法", "城市地下管线", "城乡规划法", "drafter"),
    ("衡水市电梯安全监督管理办法", "电梯安全", "特种设备安全法", "drafter2"),
    ("衡水市建设工程质量监督管理规定", "建设工程质量", "建筑法", "drafter"),
    ("衡水市企业信用信息公示管理办法", "企业信用信息公示", "企业信息公示暂行条例", "drafter2"),
    ("衡水市住宅小区物业管理实施细则", "住宅小区物业管理", "物业管理条例", "drafter"),
    ("衡水市计量监督管理办法", "计量", "计量法", "drafter2"),
    ("衡水市城市园林绿化管理办法", "城市园林绿化", "城市绿化条例", "drafter"),
    ("衡水市农贸市场管理办法", "农贸市场", "食品安全法", "drafter2"),
    ("衡水市市政设施管理办法", "市政设施", "城市道路管理条例", "drafter"),
    ("衡水市产品质量监督抽查办法", "产品质量监督抽查", "产品质量法", "drafter2"),
    ("衡水市建筑市场信用管理暂行办法", "建筑市场信用", "建筑法", "drafter"),
    ("衡水市网络交易监督管理办法", "网络交易", "电子商务法", "drafter2"),
    ("衡水市公共租赁住房管理办法", "公共租赁住房", "城市房地产管理法", "drafter"),
    ("衡水市商标品牌培育保护办法", "商标品牌", "商标法", "drafter2"),
    ("衡水市城镇老旧小区改造实施办法", "城镇老旧小区改造", "城乡规划法", "drafter"),
    ("衡水市公平竞争审查工作实施办法", "公平竞争审查", "反垄断法", "drafter2"),
    ("衡水市商品房预售资金监督管理办法", "商品房预售资金", "城市房地产管理法", "drafter"),
    ("衡水市药品零售企业监督管理办法", "药品零售", "药品管理法", "drafter2"),
    ("衡水市建筑节能管理规定", "建筑节能", "节约能源法", "drafter"),
    ("衡水市标准化管理办法", "标准化", "标准化法", "drafter2"),
    ("衡水市城市排水与污水处理管理办法", "城市排水与污水处理", "城镇排水与污水处理条例", "drafter"),
    ("衡水市集中用餐单位食品安全管理规定", "集中用餐单位食品安全", "食品安全法", "drafter2"),
    ("衡水市历史建筑保护管理办法", "历史建筑保护", "历史文化名城名镇名村保护条例", "drafter"),
    ("衡水市价格监督检查实施办法", "价格监督检查", "价格法", "drafter2"),
    ("衡水市建设工程施工扬尘防治办法", "施工扬尘防治", "大气污染防治法", "drafter"),
    ("衡水市广告监督管理办法", "广告", "广告法", "drafter2"),
    ("衡水市房屋建筑工程招标投标管理办法", "房屋建筑工程招标投标", "招标投标法", "drafter"),
    ("衡水市检验检测机构监督管理办法", "检验检测机构", "计量法", "drafter2"),
    ("衡水市城市供热管理办法", "城市供热", "节约能源法", "drafter"),
    ("衡水市化妆品经营使用监督管理办法", "化妆品经营使用", "化妆品监督管理条例", "drafter2"),
    ("衡水市农村危房改造实施办法", "农村危房改造", "建筑法", "drafter"),
    ("衡水市消费者投诉处理办法", "消费者投诉处理", "消费者权益保护法", "drafter2"),
    ("衡水市住房租赁市场管理办法", "住房租赁", "民法典", "drafter"),
    ("衡水市特种设备使用单位安全管理规定", "特种设备使用安全", "特种设备安全法", "drafter2"),
    ("衡水市城市照明管理规定", "城市照明", "城市道路管理条例", "drafter"),
    ("衡水市知识产权保护办法", "知识产权保护", "专利法", "drafter2"),
    ("衡水市装配式建筑推广应用办法", "装配式建筑", "建筑法", "drafter"),
    ("衡水市个体工商户登记管理实施细则", "个体工商户登记", "市场主体登记管理条例", "drafter2"),
]
# fmt: on

# What happens to a dossier besides the plain journey. They are dealt out over the first
# ten months, so that each is over by the end of the year.
TURNS = (
    ["dept_return"] * 3
    + ["supplement"] * 4
    + ["revise"] * 3
    + ["remove", "extended", "extended", "deemed", "amend", "amend"]
    + ["postponed", "rejected", "do_not_make", "postpone"]
)

DEPT_RETURN = {
    "decision": "send_back",
    "comment": "起草说明未说明征求意见采纳情况，请补充后重新报送。",
}
SUPPLEMENT = {
    "decision": "supplement",
    "missing": ["consultation"],
    "comment": "请补充征求意见及采纳情况。",
}
REMOVE = {**REVISE, "conclusion": "remove", "text": "草案第六条设定的罚款超出权限，应予取消。"}
CLOSING = {
    "do_not_make": {
        **LAWFUL,
        "conclusion": "do_not_make",
        "text": "该事项无上位法依据，不宜以规范性文件规定。",
    },
    "postpone": {
        **LAWFUL,
        "conclusion": "postpone",
        "text": "上位法正在修订，建议待其公布后再行制定。",
    },
}
OBJECT = {"decision": "object", "text": "该事项已列入年度制定计划，上位法已有授权，请重新考虑。"}
AGREED = {"outcome": "opinion_stands", "record": "经协商，起草部门同意审查意见，不再制定。"}
NOT_AGREED = {
    "outcome": "no_agreement",
    "record": "双方就上位法授权范围未能达成一致，报请市政府裁决。",
}
RULED = {"ruling": "opinion_upheld", "text": "经市政府研究，维持法制机构的审查意见。"}
MEETING_OUTCOMES = {
    "amend": {"outcome": "amend", "notes": "第五条增加信息公开要求。"},
    "postponed": {"outcome": "postponed", "notes": "涉及部门职责调整，暂缓审议。"},
    "rejected": {"outcome": "rejected", "notes": "制定时机尚不成熟。"},
}
# Older documents in the register, and what the year's cleanup decided about each:
# (title, a government document?, legal office of the drafting department, published
# so many years before, (month, day), decision, reason).
# fmt: off
OLDER = [
    ("衡水市城市道路挖掘管理办法", True, "dept_legal", 3, (3, 15), "retain", "与上位法一致，继续有效。"),
    ("衡水市住宅装饰装修管理规定", True, "dept_legal", 3, (6, 20), "amend", "部分条款与修订后的上位法不一致，需要修改。"),
    ("衡水市房地产开发项目手册管理办法", False, "dept_legal", 3, (9, 5), "repeal", "上位法已取消该项制度。"),
    ("衡水市城市供水水质管理办法", True, "dept_legal", 2, (2, 14), "retain", "与上位法一致，继续有效。"),
    ("衡水市建筑施工企业安全生产许可证管理实施细则", False, "dept_legal", 2, (5, 8), "invalid", "调整对象已经消失，实际上已经失效。"),
    ("衡水市燃气经营许可管理办法", True, "dept_legal", 2, (8, 21), "retain", "与上位法一致，继续有效。"),
    ("衡水市城市绿地认建认养办法", False, "dept_legal", 1, (3, 12), "retain", "与上位法一致，继续有效。"),
    ("衡水市食品生产加工小作坊登记管理办法", False, "dept_legal2", 3, (4, 18), "amend", "与新施行的省条例不一致，需要修改。"),
    ("衡水市工业产品生产许可证后续监管办法", True, "dept_legal2", 3, (11, 2), "repeal", "国家已调整工业产品生产许可制度。"),
    ("衡水市计量器具强制检定管理办法", False, "dept_legal2", 2, (4, 6), "retain", "与上位法一致，继续有效。"),
    ("衡水市商品条码管理办法", True, "dept_legal2", 2, (10, 9), "retain", "与上位法一致，继续有效。"),
    ("衡水市流通领域商品质量监测办法", False, "dept_legal2", 1, (1, 15), "retain", "与上位法一致，继续有效。"),
]
# fmt: on


def older_document(title, department, published_on, government=True):
    """A document issued before the system, as the register holds it, numbered from the
    same gapless sequence as the documents the system issues."""
    prefix = settings.GOVERNMENT_NUMBER_PREFIX if government else department.number_prefix
    effective_on = published_on + timedelta(days=settings.REVIEW_RULES["effective_after_days"])
    document = Document(
        title=title,
        number=NumberSequence.take(prefix, published_on.year),
        issuer=settings.GOVERNMENT_NAME if government else department.name,
        department=department,
        kind=Kind.GOVERNMENT_NORMATIVE if government else Kind.DEPARTMENT_NORMATIVE,
        published_on=published_on,
        effective_on=effective_on,
        status=Status.IN_FORCE,
    )
    document.set_lapse_date()
    document.save()
    text = "\n".join(drafts.draft_text(title, title, "有关法律", department.name))
    document.add_version(text, published_on=published_on, effective_on=effective_on)
    return document


def seed_cleanup(year, users):
    """The year's cleanup of older documents: opened in September, each department's
    proposal approved by the head in November, results published in mid-December.
    Idempotent."""
    title = f"{year}年度规范性文件集中清理"
    if CleanupCampaign.objects.filter(title=title).exists():
        return
    decisions = {}
    for name, government, legal, before, (month, day), decision, reason in OLDER:
        published_on = date(year - before, month, day)
        document = older_document(name, users[legal].department, published_on, government)
        decisions[document.pk] = (users[legal], decision, reason)
    head = users["head"]
    with moved_clock(date(year, 9, 1)):
        campaign = CleanupCampaign.objects.create(
            title=title, basis="本市现行有效的政府规范性文件和部门规范性文件。", created_by=head
        )
        campaign.add_documents(Document.objects.filter(pk__in=decisions))
    with moved_clock(date(year, 10, 15)):
        for item in campaign.items.all():
            legal, decision, reason = decisions[item.document_id]
            item.propose(legal, decision, reason)
    with moved_clock(date(year, 11, 20)):
        for item in campaign.items.all():
            item.review(head, True)
    with moved_clock(date(year, 12, 15)):
        campaign.publish(head, date(year, 12, 15))


class Walk:
    """One dossier's days: each act happens some working days after the previous one,
    at an office hour, and nothing happens after today."""

    def __init__(self, users, rng, day, topic):
        self.users, self.rng, self.day = users, rng, day
        self.title, self.subject, self.law, self.drafter = topic
        self.dept_legal = "dept_legal2" if self.drafter == "drafter2" else "dept_legal"
        self.calendar = work_calendar()
        self.today = timezone.localdate()
        self.dossier = None

    def later(self, low, high):
        """Move on by low..high working days; False once that is past today, or in a
        year whose holidays nobody has entered yet (which is past today too)."""
        try:
            self.day = self.calendar.add_working_days(self.day, self.rng.randint(low, high))
        except UnknownCalendarYear:
            return False
        return self.day <= self.today

    @contextmanager
    def on_day(self):
        with moved_clock(self.day, self.rng.randint(8, 16), self.rng.randint(0, 59)):
            yield

    def step(self, low, high, username, data, files=None):
        """The dossier's open step, done by ``username`` low..high working days on."""
        if not self.later(low, high):
            return False
        with self.on_day():
            complete_open_task(self.dossier, self.users[username], dict(data), files)
        return True

    def revise(self, low, high, note, answered=False):
        """The drafter resubmits the draft with ``note`` written into it, adopting every
        finding of the opinion when it answers one."""
        paragraphs = drafts.draft_text(
            self.title, self.subject, self.law, self.department, extra=note
        )
        files = {"file": drafts.upload("修改稿.docx", paragraphs)}
        data = {"note": note}
        if answered:
            data.update(drafts.adopt_all(self.dossier))
        return self.step(low, high, self.drafter, data, files)

    def supplement(self, low, high):
        upload = drafts.material_upload(Material.Kind.CONSULTATION, self.title)
        data = {"comment": "已补充征求意见情况。"}
        return self.step(low, high, self.drafter, data, {"consultation": upload})

    @property
    def department(self):
        return self.users[self.drafter].department.name.removeprefix("衡水市")


def _journey(walk, turn):
    """Take one dossier as far through the four reviews as its days allow. The review
    periods are kept (15 working days, 7 if handed down, 25 once extended) except where
    the turn is to let one run out."""
    rng = walk.rng
    urgency = "handed_down" if turn == "plain" and rng.random() < 0.15 else "normal"
    with walk.on_day():
        walk.dossier = dossier = drafts.open_dossier(
            walk.users[walk.drafter],
            walk.title,
            walk.subject,
            walk.law,
            kind="department" if rng.random() < 0.3 else "government",
            urgency=urgency,
            skip=[Material.Kind.CONSULTATION] if turn == "supplement" else [],
        )
    if not walk.later(1, 3):
        return
    with walk.on_day():
        submit_dossier(dossier, walk.users[walk.drafter])
    if turn == "dept_return" and not (
        walk.step(1, 3, walk.dept_legal, DEPT_RETURN)
        and walk.revise(2, 5, "补充说明征求意见采纳情况。")
    ):
        return
    if not walk.step(1, 3, walk.dept_legal, PASS):
        return
    if turn == "supplement" and not (
        walk.step(1, 2, "reviewer", SUPPLEMENT) and walk.supplement(2, 6)
    ):
        return
    if not walk.step(1, 2, "reviewer", COMPLETE):
        return
    review_days = (1, 4) if urgency == "handed_down" else (2, 9)
    if turn in ("revise", "remove"):
        if not (
            walk.step(3, 6, "reviewer", REVISE if turn == "revise" else REMOVE)
            and walk.step(1, 2, "head", SIGN)
            and walk.revise(3, 8, "按审查意见修改第六条。", answered=True)
        ):
            return
        review_days = (2, 6)
    if turn == "extended":
        if not walk.later(8, 11):
            return
        with walk.on_day():
            clock.extend(dossier, walk.users["head"], "涉及多个部门职责，需进一步征求意见。")
        review_days = (6, 10)
    if turn == "deemed":
        status = clock.dossier_clock(dossier, dossier.materials_complete_on).status
        if status is None or status.deemed_passed_on > walk.today:
            return
        walk.day = status.deemed_passed_on
        with walk.on_day():
            actions.pass_by_deadline(dossier, walk.day)
    elif not walk.step(*review_days, "reviewer", CLOSING.get(turn, LAWFUL)) or not walk.step(
        1, 2, "head", SIGN
    ):
        return
    if dossier.stage == Stage.OBJECTION:
        # 不予制定 or 暂缓制定 (Art. 18): one department objects and the two sides agree; the
        # other objects, they do not agree, and the government decides.
        objected = walk.step(1, 4, walk.drafter, OBJECT)
        if objected and turn == "do_not_make":
            walk.step(2, 5, "reviewer", AGREED)
        elif objected and walk.step(2, 5, "reviewer", NOT_AGREED):
            walk.step(3, 8, "secretary", RULED)
        return
    if not walk.later(4, 12):
        return
    government = dossier.kind == dossier.Kind.GOVERNMENT
    held = walk.day.timetuple().tm_yday // 14 + 1
    meeting = {
        "body": "executive_meeting" if government else "office_meeting",
        "meeting": f"市政府第{held}次常务会议" if government else f"局第{held}次办公会议",
        "held_on": walk.day.isoformat(),
        **MEETING_OUTCOMES.get(turn, {"outcome": "adopted", "notes": ""}),
    }
    decider = "secretary" if government else walk.dept_legal
    if not walk.step(0, 0, decider, meeting) or dossier.stage == Stage.CLOSED:
        return
    recheck = RECHECK
    if turn == "amend":
        if not walk.revise(2, 5, "按会议意见在第五条增加信息公开要求。"):
            return
        recheck = {**RECHECK, "comment": "按常务会议意见修改第五条，增加信息公开要求。"}
    if not walk.step(1, 3, "clerk", recheck) or not walk.later(1, 3):
        return
    published = {"published_on": walk.day.isoformat(), "published_in": "衡水市人民政府门户网站"}
    with walk.on_day():
        complete_open_task(dossier, walk.users["clerk"], published)
    # Most are filed within the period; a few late, one in twenty not at all.
    chance = rng.random()
    if chance < 0.05:
        return
    late = chance < 0.15
    walk.day += timedelta(days=rng.randint(20, 30) if late else rng.randint(2, 10))
    if walk.day <= walk.today:
        with walk.on_day():
            dossier.record_filing(walk.users["clerk"], walk.day)


def seed_year(year, users):
    """Forty dossiers received over ``year``, each taken as far as its days allow (into the
    next year when the year is past), and the year's cleanup. ``users`` are seed_demo's.
    Idempotent: a dossier of the year that exists is left alone. Returns how many were
    opened."""
    rng = random.Random(year)
    early = len(TOPICS) * 10 // 12
    turns = TURNS + ["plain"] * (early - len(TURNS))
    rng.shuffle(turns)
    turns += ["plain"] * (len(TOPICS) - early)
    opened = 0
    for index, (topic, turn) in enumerate(zip(TOPICS, turns, strict=True)):
        title = topic[0]
        if Dossier.objects.filter(title=title, created_at__year=year).exists():
            continue
        start = date(year, 1, 2) + timedelta(days=index * 365 // len(TOPICS) + rng.randint(0, 5))
        walk = Walk(users, rng, start, topic)
        if start > walk.today:
            break
        with transaction.atomic():
            _journey(walk, turn)
        opened += 1
    if date(year, 12, 15) <= timezone.localdate():
        seed_cleanup(year, users)
    # The register's daily pass, as it would have run since: documents come into force.
    run_daily()
    return opened
