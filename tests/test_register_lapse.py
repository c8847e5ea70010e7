"""The daily pass: documents take effect, lapse at the end of their validity, and are
flagged six months ahead (Art. 22, 24)."""

from datetime import date

from django.core.management import call_command

from search.models import Document, Kind, Status
from search.register import run_daily


def document(title, number, status, effective_on, lapses_on):
    return Document.objects.create(
        title=title, number=number, issuer="衡水市人民政府", kind=Kind.GOVERNMENT_NORMATIVE,
        status=status, published_on=effective_on, effective_on=effective_on, lapses_on=lapses_on,
    )  # fmt: skip


def test_a_document_past_its_validity_lapses_the_next_day_with_a_history_line(db):
    doc = document("衡水市居住证管理办法", "衡政规〔2016〕7号", Status.IN_FORCE,
                   date(2016, 4, 1), date(2021, 3, 31))  # fmt: skip
    assert run_daily(date(2021, 3, 31)).lapsed == []
    report = run_daily(date(2021, 4, 1))
    doc.refresh_from_db()
    assert report.lapsed == [doc]
    assert doc.status == Status.LAPSED
    assert doc.ended_on == date(2021, 4, 1)
    change = doc.status_changes.get()
    assert (change.old_status, change.new_status, change.reason) == (
        Status.IN_FORCE, Status.LAPSED, "有效期届满，自行失效",
    )  # fmt: skip


def test_documents_within_six_months_of_lapsing_are_flagged_once(db):
    soon = document("衡水市养犬管理规定", "衡政规〔2016〕8号", Status.IN_FORCE,
                    date(2016, 9, 1), date(2021, 8, 31))  # fmt: skip
    later = document("衡水市停车管理办法", "衡政规〔2016〕9号", Status.IN_FORCE,
                     date(2016, 12, 1), date(2021, 11, 30))  # fmt: skip
    first = run_daily(date(2021, 3, 1))
    assert first.flagged == [soon] and first.newly_flagged == [soon]
    second = run_daily(date(2021, 3, 2))
    assert second.flagged == [soon] and second.newly_flagged == []
    assert later not in second.flagged


def test_a_document_takes_effect_on_its_effective_date(db):
    doc = document("衡水市物业管理办法", "衡政规〔2021〕1号", Status.PENDING,
                   date(2021, 5, 1), date(2026, 4, 30))  # fmt: skip
    assert run_daily(date(2021, 4, 30)).became_effective == []
    assert run_daily(date(2021, 5, 1)).became_effective == [doc]
    doc.refresh_from_db()
    assert doc.status == Status.IN_FORCE


def test_the_command_reports_what_changed(db, capsys):
    document("衡水市居住证管理办法", "衡政规〔2016〕7号", Status.IN_FORCE,
             date(2016, 4, 1), date(2021, 3, 31))  # fmt: skip
    call_command("lapse_documents", "--date", "2021-04-01")
    out = capsys.readouterr().out
    assert "已失效：1 件" in out and "衡水市居住证管理办法" in out


def test_the_beat_task_runs_the_daily_pass(db):
    from search.tasks import lapse_documents

    doc = document("衡水市居住证管理办法", "衡政规〔2016〕7号", Status.IN_FORCE,
                   date(2016, 4, 1), date(2021, 3, 31))  # fmt: skip
    assert lapse_documents.delay().get()["lapsed"] == [doc.pk]
