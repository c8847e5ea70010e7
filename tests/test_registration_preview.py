"""Registration shows the number and dates it will record before it takes them: the issuer's
series to choose from (衡政规 for the government, 衡政办规 for its general office), the
next free number, and the effective date the text itself states."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from review import extract
from review.clauses import stated_effective_date
from review.models import Department, Dossier, Material, NumberSequence
from search.models import Document
from workflow.forms import RegistrationForm

from .conftest import CORPUS, USUAL_PATH, add_material, advance, login, step, submit

PUBLISH = {"published_on": "2026-11-25", "published_in": "政府网站"}
# A real policy whose final clause says when it takes effect and until when it is valid.
SHANGHAI = CORPUS / "policies" / "上海" / "上海市居住证积分管理办法.docx"
CHONGQING = CORPUS / "policies" / "重庆" / "重庆市企业职工基本养老保险实施办法.docx"


@pytest.fixture
def at_registration(people, new_dossier):
    return advance(new_dossier(), people, 6)


@pytest.fixture
def office_series(people):
    office = Department.objects.get(kind=Department.Kind.GOVERNMENT_OFFICE)
    office.number_prefix = "衡政办规"
    office.save()
    return office


def preview(client, dossier, **query):
    url = reverse("workflow:registration_preview", args=[dossier.pk])
    return client.get(url, query).json()


def test_the_form_shows_the_number_and_dates_it_will_record(people, at_registration):
    form = RegistrationForm(dossier=at_registration, user=people["clerk"])
    shown = dict(form.facts())
    assert ">衡政规〔2026〕1号<" in shown["拟编文号"]
    assert "2026年11月26日" in shown["公布日期"]  # today, the initial publication date
    assert "2026年12月26日" in shown["施行日期"]  # 30 days later (Art. 22)
    assert "2031年12月25日" in shown["有效期至"]  # five whole years
    assert not NumberSequence.objects.filter(prefix="衡政规").exists()  # nothing taken


def test_a_number_already_in_the_register_is_skipped_in_the_preview(
    people, at_registration, register_document, client
):
    register_document(title="衡水市某办法", number="衡政规〔2026〕1号")
    login(client, people["clerk"])
    shown = preview(client, at_registration, published_on="2026-11-25")
    assert shown["number"] == "衡政规〔2026〕2号"
    assert shown["effective_on"] == "2026年12月25日"
    step(at_registration, people["clerk"], PUBLISH)
    assert at_registration.number == "衡政规〔2026〕2号"


def test_the_clerk_chooses_the_general_office_series(
    people, at_registration, office_series, client
):
    form = RegistrationForm(dossier=at_registration, user=people["clerk"])
    assert [c for c, _label in form.fields["series"].choices] == ["衡政规", "衡政办规"]
    assert form.fields["series"].initial == "衡政规"
    login(client, people["clerk"])
    assert preview(client, at_registration, series="衡政办规", published_on="2026-11-25") == {
        "number": "衡政办规〔2026〕1号",
        "published_on": "2026年11月25日",
        "effective_on": "2026年12月25日",
        "lapses_on": "2031年12月24日",
    }
    step(at_registration, people["clerk"], {**PUBLISH, "series": "衡政办规"})
    document = Document.objects.get(dossier=at_registration)
    assert document.number == "衡政办规〔2026〕1号"
    assert document.issuer == "衡水市人民政府办公室"


def test_a_series_of_another_issuer_is_refused(people, at_registration):
    with pytest.raises(ValueError, match="衡住建规"):
        step(at_registration, people["clerk"], {**PUBLISH, "series": "衡住建规"})
    assert not at_registration.number


def test_the_preview_is_only_for_the_clerk_of_a_dossier_at_registration(
    people, at_registration, client
):
    login(client, people["drafter"])
    url = reverse("workflow:registration_preview", args=[at_registration.pk])
    assert client.get(url).status_code == 404


def test_the_clerk_is_told_when_the_number_shown_was_taken_meanwhile(people, at_registration):
    form = RegistrationForm(dossier=at_registration, user=people["clerk"])
    shown = form["shown_number"].value()
    assert shown == "衡政规〔2026〕1号"
    NumberSequence.take("衡政规", 2026)  # another registration, while the page was open
    from workflow.actions import open_task

    task = open_task(at_registration)
    form = RegistrationForm({**PUBLISH, "shown_number": shown}, dossier=at_registration,
                            user=people["clerk"])  # fmt: skip
    assert form.is_valid(), form.errors
    task.flow_task.execute(task.pk, people["clerk"], form)
    assert "衡政规〔2026〕1号已被其他文件使用，本文件编为衡政规〔2026〕2号" in form.notice


def test_after_a_failed_submit_the_page_still_shows_the_preview(people, at_registration):
    form = RegistrationForm({**PUBLISH, "published_in": ""}, dossier=at_registration,
                            user=people["clerk"])  # fmt: skip
    assert not form.is_valid()
    shown = dict(form.facts())
    assert "衡政规〔2026〕1号" in shown["拟编文号"] and "2026年11月25日" in shown["公布日期"]


def corpus_draft(closing):
    """The Shanghai policy with its final clause dated ``closing``."""
    out = io.BytesIO()
    with zipfile.ZipFile(SHANGHAI) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode().replace("自2015年7月1日起施行，有效期至2018年6月30日", closing)
                data = text.encode()
            dst.writestr(item, data)
    return SimpleUploadedFile("上海市居住证积分管理办法.docx", out.getvalue())


def test_the_date_a_real_text_states_is_the_effective_date(people, client):
    title = "衡水市居住证积分管理办法（草案）"
    draft = corpus_draft("自2027年1月1日起施行，有效期至2031年12月31日")
    login(client, people["drafter"])
    client.post("/dossiers/new/", {"title": title, "kind": "government", "urgency": "normal",
                                   "legal_basis": "《居住证暂行条例》", "draft": draft})  # fmt: skip
    dossier = Dossier.objects.get(title=title)
    for kind in Material.Kind.required():
        add_material(client, dossier, kind)
    submit(dossier, people["drafter"])
    for username, data in USUAL_PATH[:6]:
        step(dossier, people[username], data)
    form = RegistrationForm(dossier=dossier, user=people["clerk"])
    assert "2027年1月1日" in dict(form.facts())["施行日期"]
    # Submitted without the field (as the demo and any client that leaves it out do), the
    # text's own date still governs, not 30 days after publication.
    step(dossier, people["clerk"], PUBLISH)
    document = Document.objects.get(dossier=dossier)
    assert document.effective_on == date(2027, 1, 1)
    assert document.lapses_on == date(2031, 12, 31)


def test_an_older_text_saying_cong_instead_of_zi_is_read_too():
    text = extract.extract_text(CHONGQING.read_bytes()).text
    assert "本办法从2000年7月1日起施行" in text
    assert stated_effective_date(text) == date(2000, 7, 1)
