"""The due date the desks order by and the statistics count by is stored on the dossier
(``review_due_on``) and follows the clock: pauses, resumption, the head's extension, the
opinion that freezes it, and the calendar entered for a new year."""

from datetime import date

import pytest

from demo.payloads import LAWFUL, REVISE, SIGN
from review.models import Dossier
from workflow import clock
from workflow.models import CalendarYear
from workflow.tasks import legal_clock_reminders

from .conftest import advance, step
from .helpers import revised


def stored(dossier):
    return Dossier.objects.values_list("review_due_on", flat=True).get(pk=dossier.pk)


def replayed(dossier):
    status = clock.dossier_clock(Dossier.objects.get(pk=dossier.pk)).status
    return status.due_date if status else None


@pytest.mark.today(date(2025, 9, 26))
def test_the_stored_due_date_follows_pauses_and_the_opinion(people, new_dossier):
    dossier = new_dossier()
    assert stored(dossier) is None
    advance(dossier, people, 2)
    # Received Fri 2025-09-26: 15 working days across National Day.
    assert stored(dossier) == replayed(dossier) == date(2025, 10, 23)

    step(dossier, people["reviewer"], REVISE)
    step(dossier, people["head"], SIGN)
    assert stored(dossier) is None  # paused: the end depends on the day it resumes

    step(dossier, people["drafter"], *revised(dossier, "已修改。"))
    assert stored(dossier) == replayed(dossier) is not None

    step(dossier, people["reviewer"], LAWFUL)
    step(dossier, people["head"], SIGN)
    frozen = stored(dossier)
    assert frozen == replayed(dossier) is not None
    legal_clock_reminders(date(2025, 12, 31))
    assert stored(dossier) == frozen


@pytest.mark.today(date(2025, 10, 9))
def test_the_extension_moves_the_stored_due_date(people, client, new_dossier):
    dossier = advance(new_dossier(), people, 2)
    before = stored(dossier)
    client.force_login(people["head"])
    client.post(f"/tasks/clock/{dossier.pk}/", {"action": "extend", "reason": "情况复杂"})
    assert stored(dossier) == replayed(dossier) > before


@pytest.mark.today(date(2026, 12, 24))
def test_entering_the_next_years_holidays_gives_the_due_date(
    people, new_dossier, calendar_known_through, django_capture_on_commit_callbacks
):
    calendar_known_through(2026)
    dossier = advance(new_dossier(), people, 2)
    assert stored(dossier) is None  # the period ends in 2027, which nobody has entered
    with django_capture_on_commit_callbacks(execute=True):
        CalendarYear.objects.create(year=2027, complete=True)
    assert stored(dossier) == replayed(dossier) is not None
