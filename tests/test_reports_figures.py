"""The annual figures counted from a year of known activity, and the rows behind each."""

from datetime import date

import pytest

from reports import figures
from review.models import Department

from .reports_year import EXPECTED, MARKET, YEAR, build


@pytest.fixture
def year(people):
    return build(people)


def counts(scope):
    return {
        group: {name: figure.count for name, figure in found.items()}
        for group, found in figures.compute(scope).items()
    }


def test_every_figure_of_the_year(year):
    assert counts(figures.Scope(YEAR)) == EXPECTED


def test_each_figure_keeps_what_it_counted(year):
    found = figures.compute(figures.Scope(YEAR))
    d = year
    assert found["throughput"]["received"].ids == [
        d.d1.pk,
        d.d2.pk,
        d.d3.pk,
        d.d4.pk,
        d.d5.pk,
        d.d6.pk,
    ]
    # D0 came in 2024 and was reviewed in 2025; D6 came in 2025 and was reviewed in 2026.
    assert found["throughput"]["reviewed"].ids == [
        d.d0.pk,
        d.d1.pk,
        d.d2.pk,
        d.d3.pk,
        d.d4.pk,
        d.d5.pk,
    ]
    assert [r.on for r in found["throughput"]["reviewed"].rows][3] == date(2025, 3, 25)
    assert found["deadlines"]["deemed_passed"].ids == [d.d3.pk]
    assert found["deadlines"]["extended"].ids == [d.d4.pk]
    assert found["meetings"]["postponed"].rows[0].title == d.d4.title
    assert found["filing"]["late"].ids == [d.d2.pk]
    assert [r.title for r in found["cleanup"]["invalid"].rows] == [
        "衡水市工业产品生产许可证后续监管办法"
    ]
    assert all(figure.url.endswith(f"?year={YEAR}") for figure in found["opinions"].values())


def test_working_days_per_stage(year):
    times = figures.compute(figures.Scope(YEAR))["times"]
    # Stage 1: 1-2 working days; 2025-02-08, a Saturday, was a working day (春节调休).
    assert sorted(r.days for r in times["dept_check"].rows) == [1, 1, 1, 1, 2, 2, 2]
    # D4's review ran 2025-04-08 to 05-08: 20 working days (4-27 worked, 5-1..5-5 off).
    assert sorted(r.days for r in times["legal_review"].rows) == [2, 3, 3, 5, 9, 20]
    assert (times["legal_review"].median, times["legal_review"].maximum) == (4, 20)
    assert (times["head_sign"].median, times["head_sign"].maximum) == (1, 3)
    assert times["supplement"].median == 2


def test_per_department(year, people):
    market = Department.objects.get(name=MARKET)
    found = counts(figures.Scope(YEAR, department=market))
    assert found["throughput"] == {
        "received": 3, "reviewed": 2, "answered": 1, "deemed": 1, "issued": 0
    }  # fmt: skip
    assert found["opinions"]["all"] == 1 and found["opinions"]["do_not_make"] == 1
    assert found["deadlines"]["deemed_passed"] == 1 and found["deadlines"]["kept"] == 1
    assert found["cleanup"] == {"all": 2, "retain": 1, "amend": 0, "repeal": 0, "invalid": 1}
    assert found["register"]["all"] == 2


def test_per_issuing_body(year, settings):
    # D3 and D5 are the department's own documents; D6 is a government document.
    own = counts(figures.Scope(YEAR, issuer=MARKET))
    assert own["throughput"] == {
        "received": 2, "reviewed": 2, "answered": 1, "deemed": 1, "issued": 0
    }  # fmt: skip
    government = counts(figures.Scope(YEAR, issuer=settings.GOVERNMENT_NAME))
    assert government["throughput"] == {
        "received": 4, "reviewed": 4, "answered": 4, "deemed": 0, "issued": 2
    }  # fmt: skip
    assert government["register"]["all"] == 5  # 衡政规 documents: 3 older and D1, D2


def test_the_year_before_and_after(year):
    before = counts(figures.Scope(YEAR - 1))
    assert before["throughput"]["received"] == 1  # D0
    assert before["cleanup"]["all"] == 1
    after = counts(figures.Scope(YEAR + 1))
    assert after["throughput"] == {
        "received": 0,
        "reviewed": 1,
        "answered": 1,
        "deemed": 0,
        "issued": 0,
    }  # D6, fmt: skip
    assert after["opinions"]["lawful"] == 1
