"""A real browser walks the whole journey on a real draft, as the people who use it would.

Debian's Chromium through Playwright, against the live test server. Each step leaves a
screenshot in screenshots/ (ignored by git) and is checked with axe-core for serious
accessibility problems.
"""

import io
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from demo import drafts
from review.models import Dossier, Stage

from .browser import chromium
from .cleanup import documents_of
from .conftest import CORPUS, advance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = CORPUS / "policies" / "Hangzhou" / "杭州市区公共租赁住房租金管理暂行办法.docx"
TITLE = "杭州市区公共租赁住房租金管理暂行办法"
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
PASSWORD = "pw-for-tests-1"
WIDER_THAN_SCREEN = """() => {
  if (document.documentElement.scrollWidth <= innerWidth) return [];
  const clipped = e => {
    for (let a = e.parentElement; a; a = a.parentElement)
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return true;
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !clipped(e))
    .slice(0, 5).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))
    .concat(["page " + document.documentElement.scrollWidth]);
}"""
# Every screenshot is taken again in English and at a phone's width.
VARIANTS = [("en", "en", 1280), ("phone", "zh-hans", 390), ("en-phone", "en", 390)]


@pytest.fixture(scope="module")
def browser():
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir()
    with chromium() as browser:
        yield browser


@pytest.fixture(autouse=True)
def cookies_without_expiry(settings):
    """The server lives on the test's day and the browser on the machine's: a cookie dated by
    the one could be expired for the other."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None


class Journey:
    """Logged-in browser tabs, numbered screenshots and the accessibility findings."""

    def __init__(self, browser, live_server):
        self.browser, self.base = browser, live_server.url
        self.step = 0
        self.findings = []

    def login(self, username):
        context = self.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15000)
        # Consequential buttons ask first (static/confirm.js): the people here say yes.
        context.on("page", lambda p: p.on("dialog", lambda d: d.accept()))
        page = context.new_page()
        page.goto(self.base + "/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"/tasks/"))
        return page

    def shot(self, page, name):
        """Screenshot the page and record its serious accessibility violations; then the
        same address in English and on a phone (390 px), each checked the same way."""
        self.step += 1
        page.screenshot(path=SHOTS / f"{self.step:02d}-{name}.png", full_page=True)
        self.check(page, name)
        for variant, language, width in VARIANTS:
            other = page.context.new_page()
            other.set_viewport_size({"width": width, "height": 844})
            page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": self.base}]
            )
            try:
                other.goto(page.url)
                other.screenshot(
                    path=SHOTS / f"{self.step:02d}-{name}-{variant}.png", full_page=True
                )
                self.check(other, f"{name}-{variant}")
                if width < 400:
                    self.fits(other, f"{name}-{variant}")
                if language == "en":
                    assert other.locator("html[lang=en]").count() == 1
            finally:
                page.context.add_cookies(
                    [{"name": "django_language", "value": "zh-hans", "url": self.base}]
                )
                other.close()

    def fits(self, page, name):
        """On a phone the page never scrolls sideways (a table may scroll in its own box)."""
        wider = page.evaluate(WIDER_THAN_SCREEN)
        if wider:
            self.findings.append((name, "wider than the screen", wider))

    def check(self, page, name):
        from axe_playwright_python.sync_playwright import Axe

        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                self.findings.append((name, violation["id"], violation["help"]))

    def open_task(self, page, title=TITLE):
        """From the inbox to the task, claiming it if it waits in the pool."""
        page.goto(self.base + "/tasks/")
        page.get_by_role("link", name=re.compile(re.escape(title))).first.click()
        page.wait_for_url(re.compile(r"/tasks/\d+/"))
        if page.locator("#claim-first").count():
            page.locator(".holder-box").get_by_role("button", name="领取").click()
            page.wait_for_url(re.compile(r"/tasks/\d+/"))
        expect(page.locator("#submit-task")).to_have_count(1)

    def submit(self, page):
        page.locator("#submit-task").click()
        page.wait_for_url(re.compile(r"/dossiers/\d+/"))
        assert page.locator(".messages .success").count() == 1, page.content()[:3000]


def materials(tmp_path, *kinds):
    files = {}
    for kind in kinds:
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(drafts.docx_bytes([f"{TITLE}：{kind}", "材料正文。"]))
        files[kind] = path
    return files


def revised_draft(tmp_path):
    document = Document(DRAFT)
    for paragraph in document.paragraphs:
        if "按标准租金的三倍缴纳租金" in paragraph.text:
            for run in paragraph.runs:
                run.text = run.text.replace("三倍", "一点五倍")
    path = tmp_path / f"{TITLE}（修改稿）.docx"
    document.save(path)
    return path


def other_draft_at_the_meeting(new_dossier, people):
    """A second draft of the same department, through the legal review to the meeting."""
    dossier = new_dossier("衡水市城市房屋租赁管理办法（草案）")
    advance(dossier, people, 4)
    dossier.refresh_from_db()
    assert dossier.stage == Stage.MEETING
    return dossier


def test_the_whole_journey(browser, live_server, people, new_dossier, tmp_path):
    j = Journey(browser, live_server)

    # 1. The drafter opens a dossier with a real draft, adds materials (one missing), submits.
    drafter = j.login("drafter")
    j.shot(drafter, "drafter-inbox")
    drafter.get_by_role("link", name="送审卷宗").click()
    drafter.get_by_role("link", name="新建送审卷宗").click()
    drafter.get_by_label("文件名称").fill(TITLE)
    drafter.get_by_label("文件类别").select_option("government")
    drafter.get_by_label("制定依据").fill("《中华人民共和国价格法》\n《公共租赁住房管理办法》")
    drafter.get_by_label("草案文本").set_input_files(DRAFT)
    j.shot(drafter, "drafter-new-dossier")
    drafter.get_by_role("button", name="创建卷宗").click()
    drafter.wait_for_url(re.compile(r"/dossiers/\d+/"))
    for kind, path in materials(tmp_path, "cover_letter", "explanation", "legal_basis").items():
        drafter.get_by_label("材料类别").select_option(kind)
        drafter.locator("#id_material-file").set_input_files(path)
        drafter.locator("form", has=drafter.locator("#id_material-file")).get_by_role(
            "button", name="上传"
        ).click()
        drafter.wait_for_load_state()
    j.shot(drafter, "drafter-dossier-before-submit")
    drafter.get_by_role("button", name="提交部门法制机构初审").click()
    drafter.wait_for_url(re.compile(r"/dossiers/\d+/"))
    dossier = Dossier.objects.get(title=TITLE)
    assert dossier.stage == Stage.DEPT_CHECK

    # 2. The department's legal office passes it with an initial opinion.
    dept = j.login("dept_legal")
    j.open_task(dept)
    dept.get_by_label("通过", exact=True).check()
    dept.get_by_label("意见或退回理由").fill(
        "经初审，该草案符合法律法规规定，同意报送市政府法制办审查。"
    )
    j.shot(dept, "dept-legal-initial-check")
    j.submit(dept)

    # 3. The reviewer asks for the missing consultation record; the drafter supplies it.
    reviewer = j.login("reviewer")
    j.open_task(reviewer)
    j.shot(reviewer, "reviewer-completeness")
    reviewer.get_by_label("材料不齐，要求补正").check()
    j.submit(reviewer)
    j.open_task(drafter)
    drafter.get_by_label("征求意见及采纳情况").set_input_files(
        materials(tmp_path, "consultation")["consultation"]
    )
    j.shot(drafter, "drafter-supplement")
    j.submit(drafter)
    j.open_task(reviewer)
    reviewer.get_by_label("材料齐全，受理审查").check()
    j.submit(reviewer)

    # The reviewer takes the legal review, then hands it to a colleague with a note.
    j.open_task(reviewer)
    j.shot(reviewer, "reviewer-claimed")
    reviewer.locator("details.handover summary").click()
    reviewer.get_by_label("转交给").select_option(str(people["reviewer2"].pk))
    reviewer.get_by_label("附言（可不填）").fill("请陈审查承办。")
    reviewer.locator("details.handover").get_by_role("button", name="转办").click()
    reviewer.wait_for_load_state()
    reviewer2 = j.login("reviewer2")
    reviewer2.goto(j.base + "/tasks/")
    row = reviewer2.locator("tr", has=reviewer2.get_by_role("link", name=re.compile(TITLE)))
    expect(row).to_contain_text("陈审查")  # the 承办人 column
    j.shot(reviewer2, "reviewer2-inbox-handed-over")
    j.open_task(reviewer2)

    # Beside the draft, the pre-review: the laws it cites checked against the register
    # (this test's register has none of them, and says so) and the articles Art. 7 flags.
    expect(reviewer2.locator("#citation-table")).to_contain_text("杭政办〔2011〕20号")
    expect(reviewer2.locator("#citation-table")).to_contain_text("未收录")
    expect(reviewer2.locator("#flag-list > li").first).to_be_visible()

    # Five findings, one on a paragraph (第六条第二款), written over two sittings (暂存).
    reviewer2.get_by_label("修改完善").check()
    reviewer2.get_by_label("审查意见").fill("草案部分条款需修改完善。")
    findings = [
        ("第六条第二款", "conflict", "减免比例应与《公共租赁住房管理办法》的规定相衔接。"),
        (
            "第七条第二款",
            "prohibited",
            "按标准租金三倍收取租金具有处罚性质，规范性文件不得设定行政处罚。",
        ),
        ("第十条", "other", "“不得无故中止”表述不明确，建议列明可以中止的情形。"),
        ("第十一条", "fair_competition", "“水、电、气等费用”建议写明收费依据。"),
        ("第十二条", "conflict", "“依法处理”应明确所依据的上位法条款。"),
    ]
    for n, (article, point, text) in enumerate(findings):
        if reviewer2.locator(f"#id_findings-{n}-article").count() == 0:
            reviewer2.locator("#add-finding").click()
        reviewer2.fill(f"#id_findings-{n}-article", article)
        reviewer2.select_option(f"#id_findings-{n}-point", point)
        reviewer2.fill(f"#id_findings-{n}-text", text)
        if n == 2:
            reviewer2.locator("#save-draft").click()
            reviewer2.wait_for_load_state()
            expect(reviewer2.locator(".messages")).to_contain_text("已暂存")
            expect(reviewer2.locator("#id_findings-1-article")).to_have_value("第七条第二款")
    j.shot(reviewer2, "reviewer2-opinion-five-findings")
    j.submit(reviewer2)

    # The head signs the opinion as it will be sent: findings beside the draft's articles
    # and a preview of the letter with the number it will carry.
    head = j.login("head")
    j.open_task(head)
    expect(head.locator("#opinion-conclusion")).to_contain_text("修改完善")
    expect(head.locator("li[id^=finding-]")).to_have_count(5)
    expect(head.locator("li[id^=finding-]", has_text="第七条第二款")).to_contain_text("三倍")
    expect(head.locator("#letter-preview")).to_contain_text(TITLE)
    expect(head.locator("#opinion-number")).to_contain_text("签发时编号")
    head.get_by_label("同意签发").check()
    j.shot(head, "head-sign-revise")
    j.submit(head)

    # The drafter revises beside the signed opinion, its letter and the objection window,
    # answering each finding.
    j.open_task(drafter)
    expect(drafter.locator("#opinion-number")).to_contain_text("〔")
    expect(drafter.locator("#objection-end")).to_contain_text("年")
    expect(drafter.locator("#letter-link")).to_have_count(1)
    expect(drafter.locator("li[id^=finding-]")).to_have_count(5)
    drafter.get_by_label("修改后的草案").set_input_files(revised_draft(tmp_path))
    drafter.get_by_label("修改说明").fill("按审查意见修改第七条。")
    for n in range(5):
        drafter.locator("li[id^=finding-]").nth(n).locator("input[value='adopted']").check()
    last = drafter.locator("li[id^=finding-]").last
    last.locator("input[value='partly']").check()
    last.locator("textarea").fill("第十二条已写明所依据的条款。")
    j.shot(drafter, "drafter-revision")
    j.submit(drafter)

    # The redline: whole numbers, visible deletions, change navigation, changed only.
    reviewer2.goto(f"{j.base}/dossiers/{dossier.pk}/compare/?old=1&new=2")
    assert reviewer2.locator("ins", has_text="一点五").count() >= 1
    assert reviewer2.locator("del", has_text="三").count() >= 1
    reviewer2.get_by_role("link", name="下一处修改").first.click()
    expect(reviewer2).to_have_url(re.compile("#change-1"))
    reviewer2.get_by_label("只看修改的条款").check()
    reviewer2.get_by_role("button", name="对照").click()
    expect(reviewer2).to_have_url(re.compile("changed=1"))
    expect(reviewer2.locator(".diff-unchanged")).to_have_count(0)
    j.shot(reviewer2, "reviewer-redline-changed-only")

    # The second round comes back to the same 承办人, not to the pool.
    reviewer2.goto(j.base + "/tasks/")
    j.open_task(reviewer2)
    expect(reviewer2.locator(".holder-box")).to_contain_text("陈审查")
    reviewer2.get_by_label("内容合法").check()
    reviewer2.get_by_label("审查意见").fill("经审查，修改后的草案内容合法。")
    j.submit(reviewer2)

    # The head signs; the opinion .docx downloads and opens.
    j.open_task(head)
    head.get_by_label("同意签发").check()
    j.shot(head, "head-sign")
    j.submit(head)
    with head.expect_download() as download:
        head.get_by_role("link", name=re.compile("下载合法性审查意见书")).last.click()
    letter = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    letter_text = "\n".join(p.text for p in letter.paragraphs)
    assert "内容合法" in letter_text and TITLE in letter_text
    expect(head.locator(".stage-bar")).to_contain_text("集体审议")
    j.shot(head, "head-dossier-signed")

    # 4. One meeting decides two drafts, with its minutes; the drafter was told.
    second = other_draft_at_the_meeting(new_dossier, people)
    secretary = j.login("secretary")
    secretary.get_by_role("link", name="会议议程").click()
    secretary.get_by_label("会议名称或决定文件").fill("市政府第12次常务会议")
    secretary.get_by_label("会议或决定日期").fill("2026-11-20")
    secretary.get_by_label("会议纪要或决定文件").set_input_files(
        materials(tmp_path, "minutes")["minutes"]
    )
    for title in (TITLE, second.title):
        group = secretary.get_by_role("group", name=title)
        group.get_by_label("提请本次会议审议").check()
        group.get_by_label("决定", exact=True).select_option("adopted")
    assert secretary.get_by_text("第十二条已写明所依据的条款。").count() == 1  # not adopted in full
    j.shot(secretary, "secretary-agenda-two-drafts")
    secretary.get_by_role("button", name="记录会议决定").click()
    secretary.wait_for_load_state()
    expect(secretary.locator(".messages")).to_contain_text("2件")
    j.shot(secretary, "secretary-agenda-recorded")
    second.refresh_from_db()
    assert second.stage == Stage.RECHECK

    # The clerk rechecks, then registers with the number and dates previewed.
    clerk = j.login("clerk")
    j.open_task(clerk)
    assert clerk.get_by_text("拟发布文本与常务会议审议通过的文本一致。").count() == 1
    clerk.get_by_label("通过", exact=True).check()
    clerk.get_by_label("已确认审查意见的采纳情况").check()
    j.shot(clerk, "clerk-recheck")
    j.submit(clerk)
    j.open_task(clerk)
    expect(clerk.locator("body")).to_contain_text("衡政规〔2026〕1号")
    j.shot(clerk, "clerk-registration-preview")
    j.submit(clerk)
    dossier.refresh_from_db()
    assert dossier.stage == Stage.ISSUED and re.fullmatch(r"衡政规〔\d{4}〕1号", dossier.number)
    assert clerk.get_by_text(dossier.number).count() >= 1
    j.shot(clerk, "clerk-issued")
    drafter.goto(j.base + "/tasks/notifications/")
    expect(drafter.locator("main")).to_contain_text(TITLE)
    j.shot(drafter, "drafter-notifications")

    # 5. Staff find it in the register by a phrase of its text and by its number typed with
    # square brackets; the public register shows it to anyone.
    clerk.get_by_role("link", name="文件库检索").click()
    clerk.get_by_role("searchbox").fill("每两年调整一次")
    clerk.get_by_role("button", name="检索").click()
    expect(clerk.get_by_role("link", name=TITLE)).to_have_count(1)
    expect(clerk.locator(".snippet mark").first).to_contain_text("每两年调整一次")
    j.shot(clerk, "staff-search-phrase")
    clerk.get_by_role("searchbox").fill(dossier.number.replace("〔", "[").replace("〕", "]"))
    clerk.get_by_role("button", name="检索").click()
    clerk.wait_for_url(re.compile(r"q=%E8%A1%A1"))
    expect(clerk.get_by_role("link", name=TITLE)).to_have_count(1)
    j.shot(clerk, "staff-search-number")
    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(j.base + "/register/public/?q=" + TITLE)
    public.get_by_role("link", name=TITLE).click()
    assert public.get_by_text(dossier.number).count() >= 1
    assert public.get_by_text("每两年调整一次").count() >= 1
    public.locator('#toc a[href="#art-5"]').click()
    expect(public).to_have_url(re.compile("#art-5"))
    expect(public.locator("#art-5")).to_contain_text("每两年调整一次")
    with public.expect_download() as download:
        public.get_by_role("link", name="下载正文（Word）").click()
    assert download.value.suggested_filename.endswith(".docx")
    j.shot(public, "public-register-document")
    public.context.close()

    # 6. A drafter of another department sees its review nowhere: the published text is
    # public (Art. 25), the dossier, drafts, opinions and letters are not.
    other = j.login("drafter2")
    for url in ("/tasks/", "/tasks/queue/", "/dossiers/"):
        other.goto(j.base + url)
        assert TITLE not in other.content()
    for url in (
        f"/dossiers/{dossier.pk}/",
        f"/dossiers/{dossier.pk}/versions/1/download/",
        f"/dossiers/{dossier.pk}/compare/",
        f"/dossiers/{dossier.pk}/letters/{dossier.letters.last().pk}/download/",
    ):
        assert other.request.get(j.base + url).status == 404, url
    other.goto(j.base + "/dossiers/?q=" + TITLE)
    assert other.get_by_text("没有符合条件的卷宗。").count() == 1
    j.shot(other, "other-department-dossiers")
    other.goto(j.base + "/register/?q=" + TITLE)
    other.get_by_role("link", name=TITLE).click()
    assert other.get_by_role("link", name="查看送审卷宗").count() == 0
    clerk.goto(other.url)
    assert clerk.get_by_role("link", name="查看送审卷宗").count() == 1

    # 7. Cleanup as work: the legal office launches a campaign after seeing its count; the
    # department finds its task, keeps several documents in one decision; the head
    # approves and publishes.
    documents_of(people["drafter"].department, 2)
    reviewer.goto(j.base + "/register/cleanup/new/")
    reviewer.get_by_label("清理名称").fill("2026年住房保障文件清理")
    reviewer.get_by_label("起草部门").select_option(label=people["drafter"].department.name)
    reviewer.get_by_role("button", name="统计符合条件的文件").click()
    expect(reviewer.locator("main")).to_contain_text("将纳入 2 件文件")
    j.shot(reviewer, "cleanup-count-before-launch")
    reviewer.get_by_role("button", name=re.compile("确认发起清理")).click()
    reviewer.wait_for_load_state()
    dept.goto(j.base + "/register/cleanup/tasks/")
    expect(dept.locator("main")).to_contain_text("2026年住房保障文件清理")
    j.shot(dept, "dept-cleanup-task")
    dept.get_by_role("link", name="2026年住房保障文件清理").click()
    dept.get_by_label("全选").check()
    bulk = dept.locator(".cleanup-bulk")
    bulk.get_by_label("清理意见").select_option("retain")
    bulk.get_by_label("理由").fill("与现行法律法规不抵触，继续保留。")
    j.shot(dept, "dept-cleanup-bulk")
    bulk.get_by_role("button", name="提出意见").click()
    expect(dept.locator(".messages")).to_contain_text("已对2件文件提出清理意见")
    head.goto(reviewer.url)
    while head.get_by_role("button", name="同意").count():
        head.get_by_role("button", name="同意").first.click()
        head.wait_for_load_state()
    head.get_by_label(re.compile("确认公布")).check()
    j.shot(head, "head-cleanup-publish")
    head.get_by_role("button", name="公布").click()
    expect(head.locator(".messages")).to_contain_text("清理结果已公布")

    assert not j.findings, "\n".join(map(str, j.findings))
