"""A real browser walks the whole journey on a real draft, as the people who use it would.

Debian's Chromium through Playwright, against the live test server. Each step leaves a
screenshot in screenshots/ (ignored by git) and is checked with axe-core for serious
accessibility problems.
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from demo import drafts
from review.models import Dossier, Stage

from .conftest import CORPUS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DRAFT = CORPUS / "policies" / "Hangzhou" / "杭州市区公共租赁住房租金管理暂行办法.docx"
TITLE = "杭州市区公共租赁住房租金管理暂行办法"
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
PASSWORD = "pw-for-tests-1"


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an event loop in this thread; the test's own database
    # reads are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


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
        page = context.new_page()
        page.goto(self.base + "/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"/tasks/"))
        return page

    def shot(self, page, name):
        """Screenshot the page and record its serious accessibility violations."""
        from axe_playwright_python.sync_playwright import Axe

        self.step += 1
        page.screenshot(path=SHOTS / f"{self.step:02d}-{name}.png", full_page=True)
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                self.findings.append((name, violation["id"], violation["help"]))

    def open_task(self, page, tab="queue"):
        page.goto(self.base + ("/tasks/queue/" if tab == "queue" else "/tasks/"))
        page.get_by_role("link", name=re.compile(TITLE)).first.click()
        page.wait_for_url(re.compile(r"/tasks/\d+/"))

    def submit(self, page):
        page.get_by_role("button", name="提交").click()
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


def test_the_whole_journey(browser, live_server, people, tmp_path):
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
    j.open_task(drafter, tab="inbox")
    drafter.get_by_label("征求意见及采纳情况").set_input_files(
        materials(tmp_path, "consultation")["consultation"]
    )
    j.shot(drafter, "drafter-supplement")
    j.submit(drafter)
    j.open_task(reviewer)
    reviewer.get_by_label("材料齐全，受理审查").check()
    j.submit(reviewer)

    # The reviewer's findings on two articles, concluding "revise".
    j.open_task(reviewer)
    reviewer.get_by_label("修改完善").check()
    reviewer.get_by_label("审查意见").fill("草案部分条款需修改完善。")
    reviewer.fill("#id_findings-0-article", "第七条")
    reviewer.select_option("#id_findings-0-point", "prohibited")
    reviewer.fill(
        "#id_findings-0-text", "按标准租金三倍收取租金具有处罚性质，规范性文件不得设定行政处罚。"
    )
    reviewer.fill("#id_findings-1-article", "第十二条")
    reviewer.select_option("#id_findings-1-point", "conflict")
    reviewer.fill("#id_findings-1-text", "“依法处理”应明确所依据的上位法条款。")
    j.shot(reviewer, "reviewer-opinion-revise")
    j.submit(reviewer)

    # Every opinion leaves the office signed by its head, the "revise" one too.
    head = j.login("head")
    j.open_task(head)
    head.get_by_label("同意签发").check()
    j.shot(head, "head-sign-revise")
    j.submit(head)

    # The drafter uploads a revised version and answers each finding.
    j.open_task(drafter, tab="inbox")
    drafter.get_by_label("修改后的草案").set_input_files(revised_draft(tmp_path))
    drafter.get_by_label("修改说明").fill("按审查意见修改第七条。")
    answers = drafter.locator("input[name^='answer_'][value='adopted']")
    assert answers.count() == 2
    answers.first.check()
    drafter.locator("input[name^='answer_'][value='partly']").last.check()
    drafter.locator("textarea[name^='reason_']").last.fill("第十二条已写明所依据的条款。")
    j.shot(drafter, "drafter-revision")
    j.submit(drafter)

    # The reviewer compares the two versions in the redline view and concludes "lawful".
    reviewer.goto(f"{j.base}/dossiers/{dossier.pk}/compare/?old=1&new=2")
    assert reviewer.locator("ins", has_text="一点五").count() >= 1
    assert reviewer.locator("del", has_text="三").count() >= 1
    j.shot(reviewer, "reviewer-redline")
    j.open_task(reviewer)
    reviewer.get_by_label("内容合法").check()
    reviewer.get_by_label("审查意见").fill("经审查，修改后的草案内容合法。")
    j.submit(reviewer)

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
    j.shot(head, "head-dossier-signed")

    # 4. The secretary records the adoption; the clerk rechecks and registers.
    secretary = j.login("secretary")
    j.open_task(secretary)
    assert secretary.get_by_text("第十二条已写明所依据的条款。").count() == 1  # not adopted in full
    secretary.get_by_label("会议名称或决定文件").fill("市政府第12次常务会议")
    secretary.get_by_label("会议或决定日期").fill("2026-11-20")
    secretary.get_by_label("审议通过").check()
    j.shot(secretary, "secretary-meeting")
    j.submit(secretary)
    clerk = j.login("clerk")
    j.open_task(clerk)
    assert clerk.get_by_text("拟发布文本与常务会议审议通过的文本一致。").count() == 1
    clerk.get_by_label("通过", exact=True).check()
    clerk.get_by_label("已确认审查意见的采纳情况").check()
    j.shot(clerk, "clerk-recheck")
    j.submit(clerk)
    j.open_task(clerk)
    j.submit(clerk)
    dossier.refresh_from_db()
    assert dossier.stage == Stage.ISSUED and re.fullmatch(r"衡政规〔\d{4}〕1号", dossier.number)
    assert clerk.get_by_text(dossier.number).count() >= 1
    j.shot(clerk, "clerk-issued")

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
    public = browser.new_page()
    public.goto(j.base + "/register/public/?q=" + TITLE)
    public.get_by_role("link", name=TITLE).click()
    assert public.get_by_text(dossier.number).count() >= 1
    assert public.get_by_text("每两年调整一次").count() >= 1
    j.shot(public, "public-register-document")
    public.close()

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

    assert not j.findings, j.findings
