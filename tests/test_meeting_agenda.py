"""The meeting agenda: the secretary lists every draft waiting for the collective decision
with the legal office's conclusion, enters the meeting once with its minutes, and records
what it decided on each draft, all together or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo import drafts
from review.models import HistoryEntry, Meeting, MeetingDecision, Stage
from workflow.flows import ReviewFlow

from .conftest import advance, login, step

AGENDA = reverse("workflow:meetings")
MEETING = {"body": "executive_meeting", "meeting": "市政府第12次常务会议", "held_on": "2026-11-20"}
RENTAL = "衡水市城市房屋租赁管理办法（草案）"
PARKING = "衡水市停车场管理办法（草案）"


def minutes(name="第12次常务会议纪要.docx"):
    return drafts.upload(name, ["市政府第12次常务会议纪要", "会议审议了以下规范性文件草案。"])


@pytest.fixture
def two_drafts(people, new_dossier):
    """Two government drafts passed by the legality review, waiting for the meeting."""
    return [advance(new_dossier(title=title), people, 4) for title in (RENTAL, PARKING)]


def decide(dossier, outcome, notes=""):
    return {f"d{dossier.pk}-decide": "on", f"d{dossier.pk}-outcome": outcome,
            f"d{dossier.pk}-notes": notes}  # fmt: skip


def test_a_meeting_with_two_drafts_records_each_decision_and_its_minutes(
    people, two_drafts, client
):
    rental, parking = two_drafts
    login(client, people["secretary"])
    page = client.get(AGENDA).content.decode()
    opinion = rental.opinions.get(conclusion="lawful")
    assert RENTAL in page and PARKING in page
    assert f"内容合法（{opinion.number}）" in page  # the legal office's conclusion

    response = client.post(
        AGENDA,
        {
            **MEETING,
            "minutes": minutes(),
            **decide(rental, "adopted"),
            **decide(parking, "amend", "第五条的收费标准另行研究。"),
        },
    )
    assert response.status_code == 302
    rental.refresh_from_db()
    parking.refresh_from_db()
    assert (rental.stage, parking.stage) == (Stage.RECHECK, Stage.REVISION)
    meeting = Meeting.objects.get()
    assert meeting.name == "市政府第12次常务会议" and meeting.minutes.get().original_name.endswith(
        ".docx"
    )
    assert {d.dossier for d in meeting.decisions.all()} == {rental, parking}
    assert parking.meetings.get().notes == "第五条的收费标准另行研究。"
    assert HistoryEntry.objects.filter(action="meeting_decided").count() == 2
    messages = client.get(AGENDA).content.decode()
    assert "已记录市政府第12次常务会议对2件草案的决定" in messages
    assert "目前没有待提请集体审议的草案。" in messages

    # The drafting department downloads the minutes from its dossier; another cannot.
    download = reverse("workflow:minutes_download", args=[rental.pk, meeting.minutes.get().pk])
    shown = render_to_string("workflow/meeting_decisions.html", {"meetings": rental.meetings.all()})
    assert download in shown and "市政府第12次常务会议" in shown
    login(client, people["drafter"])
    assert client.get(download).status_code == 200
    login(client, people["drafter2"])
    assert client.get(download).status_code == 404


def test_nothing_is_recorded_when_one_ticked_draft_lacks_its_decision(people, two_drafts, client):
    rental, parking = two_drafts
    login(client, people["secretary"])
    response = client.post(
        AGENDA,
        {**MEETING, "minutes": minutes(), **decide(rental, "adopted"), **decide(parking, "")},
    )
    assert "请选择会议对该草案的决定。" in response.content.decode()
    assert not Meeting.objects.exists() and not MeetingDecision.objects.exists()
    assert {d.stage for d in two_drafts} == {Stage.MEETING}


def test_the_minutes_are_required_and_must_be_word_or_pdf(people, two_drafts, client):
    rental, _parking = two_drafts
    login(client, people["secretary"])
    for upload in (None, SimpleUploadedFile("纪要.txt", "会议纪要".encode(), "text/plain")):
        data = {**MEETING, **decide(rental, "adopted")}
        if upload:
            data["minutes"] = upload
        response = client.post(AGENDA, data)
        assert response.status_code == 200
    assert not MeetingDecision.objects.exists()


def test_a_draft_recorded_meanwhile_is_reported_not_recorded_twice(people, two_drafts, client):
    rental, parking = two_drafts
    login(client, people["secretary"])
    client.get(AGENDA)
    # A colleague records the rental draft on its own task page meanwhile.
    step(rental, people["secretary"], {**MEETING, "outcome": "adopted"})
    response = client.post(
        AGENDA,
        {
            **MEETING,
            "minutes": minutes(),
            **decide(rental, "rejected"),
            **decide(parking, "adopted"),
        },
        follow=True,
    )
    page = response.content.decode()
    assert f"《{RENTAL}》已由他人记录或已不在集体审议环节，未重复记录。" in page
    assert rental.meetings.get().outcome == "adopted"  # not overwritten by the agenda
    assert parking.meetings.get().outcome == "adopted"


def test_a_department_legal_office_sees_only_its_own_department_documents(
    people, new_dossier, two_drafts, client
):
    own = new_dossier(title="衡水市住房公积金提取管理办法（草案）")
    own.kind = "department"
    own.save()
    advance(own, people, 4)
    page = login(client, people["dept_legal"]).get(AGENDA).content.decode()
    assert own.title in page and RENTAL not in page
    assert "部门办公会议" in page
    assert own.title not in login(client, people["secretary"]).get(AGENDA).content.decode()
    assert login(client, people["drafter"]).get(AGENDA).status_code == 403
    # Those who may open the agenda are those the flow's meeting step names.
    assert ReviewFlow.meeting.all_roles == {"secretary", "dept_legal"}


def test_the_agenda_takes_the_same_queries_for_one_draft_or_three(people, new_dossier, client):
    def queries():
        login(client, people["secretary"])
        client.get(AGENDA)  # the session's first reads
        with CaptureQueriesContext(connection) as captured:
            assert client.get(AGENDA).status_code == 200
        return len(captured)

    advance(new_dossier(title=RENTAL), people, 4)
    one = queries()
    advance(new_dossier(title=PARKING), people, 4)
    advance(new_dossier(title="衡水市户外广告设置管理办法（草案）"), people, 4)
    assert queries() == one


def test_the_single_task_page_takes_the_minutes_too(people, two_drafts):
    rental, parking = two_drafts
    step(rental, people["secretary"], {**MEETING, "outcome": "adopted"}, {"minutes": minutes()})
    # The next draft of the same meeting, recorded on its own page, shares its minutes.
    step(parking, people["secretary"], {**MEETING, "outcome": "adopted"})
    meeting = Meeting.objects.get()
    assert meeting.minutes.count() == 1 and meeting.decisions.count() == 2
