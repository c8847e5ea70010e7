"""Art. 24 and Art. 11/19 around an issued document: its department and the legal office are
told six months before it lapses, and the higher government's filing reply is kept."""

from datetime import date

from review.models import Dossier, HistoryEntry, Stage
from workflow.models import Notification
from workflow.tasks import lapse_notices


def test_six_months_before_lapsing_the_department_and_the_legal_office_are_told(
    people, register_document
):
    department = people["drafter"].department
    register_document(
        title="衡水市物业服务管理办法",
        number="衡政规〔2022〕3号",
        department=department,
        effective_on=date(2022, 7, 1),
        lapses_on=date(2027, 5, 20),
    )
    assert lapse_notices(date(2026, 11, 19)) == 0  # more than six months ahead
    sent = lapse_notices(date(2026, 11, 20))
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"drafter", "dept_legal", "reviewer", "head"} <= told and "drafter2" not in told
    assert sent == len(told)
    assert "2027年5月20日" in Notification.objects.filter(user=people["drafter"]).get().message
    assert lapse_notices(date(2026, 11, 21)) == 0  # once


def test_the_filing_reply_is_recorded(people, new_dossier, client):
    dossier = new_dossier()
    dossier.stage, dossier.issued_on, dossier.number = (
        Stage.ISSUED,
        date(2026, 11, 2),
        "衡政规〔2026〕5号",
    )
    dossier.filed_on = date(2026, 11, 10)
    dossier.save()
    client.force_login(people["clerk"])
    url = f"/tasks/filing-reply/{dossier.pk}/"
    bad = client.post(url, {"reply": "correction", "replied_on": "2026-11-09"}, follow=True)
    assert "答复日期不能早于报送备案日期" in bad.content.decode()
    client.post(url, {"reply": "correction", "replied_on": "2026-11-20", "text": "第五条须修改。"})
    dossier.refresh_from_db()
    assert (dossier.filing_reply, dossier.filing_reply_on) == ("correction", date(2026, 11, 20))
    entry = dossier.history.get(action=HistoryEntry.Action.FILING_REPLY)
    assert "要求纠正" in entry.comment and "第五条须修改" in entry.comment
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "备案审查答复" in page and "要求纠正" in page


def test_the_legal_office_opens_a_re_evaluation_that_supersedes_the_old_text(
    people, register_document, client
):
    department = people["drafter"].department
    old = register_document(
        title="衡水市物业服务管理办法",
        number="衡政规〔2022〕3号",
        department=department,
        effective_on=date(2022, 7, 1),
        lapses_on=date(2027, 5, 20),
    )
    client.force_login(people["drafter"])
    assert "开立重新评估卷宗" not in client.get(old.get_absolute_url()).content.decode()
    client.force_login(people["reviewer"])
    assert "开立重新评估卷宗" in client.get(old.get_absolute_url()).content.decode()
    client.post(f"/tasks/reevaluate/{old.pk}/", {"drafter": people["drafter"].pk})
    dossier = Dossier.objects.get(title="衡水市物业服务管理办法（草案）")
    assert dossier.created_by == people["drafter"] and dossier.stage == Stage.DRAFT
    assert dossier.planned_changes.get().target == old
    assert Notification.objects.filter(user=people["drafter"], dossier=dossier).exists()
    again = client.post(
        f"/tasks/reevaluate/{old.pk}/", {"drafter": people["drafter"].pk}, follow=True
    )
    assert "该文件已有正在办理的重新评估卷宗。" in again.content.decode()
