"""三统一 with its checks (Art. 21-24): the issuer's own 代字, a publication date after the
collective decision and not in the future, an early effective date only on an Art. 22
ground, the validity the document states, and the documents it amends or repeals."""

from datetime import date, timedelta

import pytest

from review.models import Department
from search.models import Document, DocumentLink, Status

from .conftest import advance, step

PUBLISH = {"published_on": "2026-11-25", "published_in": "政府网站"}


@pytest.fixture
def at_registration(people, new_dossier):
    return advance(new_dossier(), people, 6)  # the meeting decided on 2026-11-02


def test_a_2019_publication_date_is_refused_for_a_2026_dossier(people, at_registration):
    with pytest.raises(ValueError, match="公布日期不能早于集体审议决定的日期"):
        step(at_registration, people["clerk"], {**PUBLISH, "published_on": "2019-03-01"})
    assert not at_registration.number


def test_a_publication_date_in_the_future_is_refused(people, at_registration, today):
    future = (today + timedelta(days=3)).isoformat()
    with pytest.raises(ValueError, match="公布日期不能晚于今天。"):
        step(at_registration, people["clerk"], {**PUBLISH, "published_on": future})


def test_an_early_effective_date_needs_an_art_22_ground(people, at_registration):
    early = {**PUBLISH, "effective_on": "2026-12-01"}
    with pytest.raises(ValueError, match="请选择提前施行的理由"):
        step(at_registration, people["clerk"], early)
    step(at_registration, people["clerk"], {**early, "early_effect_ground": "hinders_law"})
    entry = Document.objects.get(dossier=at_registration)
    assert entry.effective_on == date(2026, 12, 1) and entry.early_effect_ground == "hinders_law"


def test_the_stated_validity_is_entered_at_most_five_years(people, at_registration):
    with pytest.raises(ValueError, match="5"):
        step(at_registration, people["clerk"], {**PUBLISH, "validity_years": "6"})
    step(at_registration, people["clerk"], {**PUBLISH, "validity_years": "3"})
    entry = Document.objects.get(dossier=at_registration)
    # In force from 2026-12-25 (30 days after publication) for three whole years.
    assert entry.lapses_on == date(2029, 12, 24)


def test_a_department_without_its_own_daizi_is_refused_with_where_to_set_it(people, new_dossier):
    department = Department.objects.get(name="衡水市住房和城乡建设局")
    dossier = new_dossier()
    dossier.kind = "department"
    dossier.save()
    department.number_prefix = ""
    department.save()
    advance(dossier, people, 3)
    step(dossier, people["head"], {"decision": "sign", "comment": ""})
    step(dossier, people["dept_legal"], {"meeting": "局第5次办公会议", "held_on": "2026-11-02",
                                         "outcome": "adopted"})  # fmt: skip
    step(dossier, people["clerk"], {"decision": "pass", "opinion_adopted": "on"})
    with pytest.raises(ValueError, match="尚未设置发文代字.*在“部门”中设置"):
        step(dossier, people["clerk"], PUBLISH)


def test_a_document_issued_through_the_review_amends_and_repeals_what_it_names(
    people, at_registration, register_document
):
    old = register_document(title="衡水市城市房屋租赁管理暂行办法", number="衡政规〔2021〕4号")
    old.amendment_due_since = date(2025, 12, 15)  # a cleanup had marked it 拟修改
    old.save()
    gone = register_document(title="衡水市房屋租赁登记办法", number="衡政规〔2019〕2号")
    step(
        at_registration,
        people["clerk"],
        {**PUBLISH, "amends": "衡政规[2021]4号", "repeals": "衡政规（2019）2号"},
    )
    new = Document.objects.get(dossier=at_registration)
    old.refresh_from_db()
    gone.refresh_from_db()
    assert old.status == Status.AMENDED and old.amendment_due_since is None
    assert gone.status == Status.REPEALED and gone.ended_on == new.effective_on
    assert DocumentLink.objects.get(source=new, target=old).kind == "amends"
    assert [link.source for link in old.incoming_links.all()] == [new]
    assert "被《衡水市城市房屋租赁管理办法》" in old.status_changes.last().reason


def test_an_unknown_number_to_amend_is_refused(people, at_registration):
    with pytest.raises(ValueError, match="登记库中没有文号为“衡政规〔2001〕9号”的文件。"):
        step(at_registration, people["clerk"], {**PUBLISH, "amends": "衡政规〔2001〕9号"})


def test_registration_suggests_the_dates_the_text_states(people, new_dossier):
    from workflow.forms import RegistrationForm

    closing = ["第二十条 本办法自2027年1月1日起施行，有效期3年。"]
    dossier = advance(new_dossier(closing=closing), people, 6)
    form = RegistrationForm(dossier=dossier, user=people["clerk"])
    assert form.fields["effective_on"].initial == date(2027, 1, 1)
    assert form.fields["validity_years"].initial == 3
    # Left empty, the validity is what the text states.
    step(dossier, people["clerk"], {**PUBLISH, "effective_on": "2027-01-01"})
    assert Document.objects.get(dossier=dossier).lapses_on == date(2029, 12, 31)


def test_a_provisional_document_is_valid_two_years_at_most(people, new_dossier):
    dossier = advance(new_dossier(title="衡水市城市房屋租赁管理暂行办法（草案）"), people, 6)
    with pytest.raises(ValueError, match="2"):
        step(dossier, people["clerk"], {**PUBLISH, "validity_years": "3"})
