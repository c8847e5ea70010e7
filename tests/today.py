"""No test reads the real today.

Every test lives on SUITE_DAY, its clock ticking from 10:00 Beijing time, unless it names its
own day with ``@pytest.mark.today(date(…))``. Both lie in a year that the holiday package
knows, so the suite gives the same answers on any day it is run, in any year.
"""

from datetime import date, datetime

import pytest

from core import workdays
from demo.clock import moment, moved_clock

# A Thursday late in a year the package knows: the usual path's meeting (2 and 20 November)
# and publication (25 November) lie before it, and a review received on it, extended by the
# head, still ends in the same year.
SUITE_DAY = date(2026, 11, 26)


def morning_of(day: date) -> datetime:
    """10:00 local time (Beijing, the project's TIME_ZONE) on ``day``."""
    return moment(day)


def pytest_configure(config):
    config.addinivalue_line("markers", "today(day): the date the test lives on (default SUITE_DAY)")


@pytest.fixture(autouse=True)
def today(request):
    """The day this test lives on; the real clock is never read."""
    marker = request.node.get_closest_marker("today")
    day = marker.args[0] if marker else SUITE_DAY
    if isinstance(day, str):
        day = date.fromisoformat(day)
    with moved_clock(day, tick=True):
        yield day


@pytest.fixture
def calendar_known_through(monkeypatch):
    """Make the holiday package's table end with a given year, as it will at some point
    whatever version is installed: the situation of "the year nobody has entered yet"."""

    def end_with(last_year: int):
        first = workdays.PACKAGE_YEARS.start
        monkeypatch.setattr(workdays, "PACKAGE_YEARS", range(first, last_year + 1))

    return end_with
