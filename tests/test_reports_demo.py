"""A fresh machine gets a believable year of review work, made by the real flow on the
days it would have happened."""

from datetime import date

from django.utils import timezone
from viewflow.workflow.models import Task

from demo.clock import moved_clock
from demo.drafts import open_dossier
from demo.year import seed_year
from reports import figures
from review.models import Dossier, HistoryEntry

from .conftest import submit


def test_a_year_of_activity_fills_every_part_of_the_page(people):
    year = timezone.localdate().year - 1
    assert seed_year(year, people) == 40
    found = figures.compute(figures.Scope(year))
    received = figures.per_month(found["throughput"]["received"])
    # Every month, as work comes in; one opened at Christmas may arrive in January.
    assert all(received) and sum(received) >= 38
    assert found["throughput"]["reviewed"].count >= 35
    assert found["throughput"]["issued"].count >= 25
    assert found["opinions"]["revise"].count and found["opinions"]["do_not_make"].count
    assert found["returns"]["sent_back-dept_check"].count and found["returns"]["supplement"].count
    deadlines = found["deadlines"]
    assert deadlines["deemed_passed"].count == 1 and deadlines["extended"].count == 2
    # The demo keeps the periods except where it means not to.
    assert deadlines["missed"].count == deadlines["deemed_passed"].count
    assert found["meetings"]["postponed"].count == 1 and found["meetings"]["amend"].count
    assert found["filing"]["late"].count and found["filing"]["on_time"].count
    assert found["cleanup"]["all"].count == 12 and found["cleanup"]["invalid"].count == 1
    assert found["register"]["in_force"].count > 30
    assert all(time.count for time in found["times"].values())
    # Nothing is dated after today, and everything it made is in its year or the next.
    now = timezone.now()
    assert not HistoryEntry.objects.filter(at__gt=now).exists()
    years = {d.year for d in HistoryEntry.objects.dates("at", "year")}
    assert years <= {year, year + 1}

    assert seed_year(year, people) == 0  # a second run adds nothing
    assert Dossier.objects.count() == 40


def test_the_moved_clock_stamps_every_record_with_its_day(people):
    day = date(2025, 3, 4)
    with moved_clock(day, 9, 30):
        dossier = open_dossier(people["drafter"], "衡水市某办法（草案）", "某事项", "某法")
        submit(dossier, people["drafter"])
        assert timezone.localdate() == day
    local = timezone.localtime
    entry = dossier.history.get(action=HistoryEntry.Action.SUBMITTED)
    assert (local(entry.at).date(), local(entry.at).hour, local(entry.at).minute) == (day, 9, 30)
    assert local(dossier.created_at).date() == day
    assert local(Task.objects.filter(process=dossier.process).first().created).date() == day
    assert timezone.localdate() != day  # and the clock is back afterwards
