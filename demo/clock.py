"""The time-moving helper of the demo and the tests: run code as if it were a given moment."""

from datetime import date, datetime, time

import time_machine
from django.utils import timezone


def moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """``hour:minute`` local time on ``day``."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def moved_clock(day: date, hour: int = 10, minute: int = 0, *, tick: bool = False):
    """Run the enclosed code as if it were ``hour:minute`` local time on ``day``.

    time-machine moves every clock Python reads (``timezone.now``, the models'
    ``default=timezone.now``, viewflow's own imports), so rows are written with the moment
    they would have had and nothing is backdated afterwards. With ``tick`` the clock runs on
    from there; without it, it stands still.
    """
    return time_machine.travel(moment(day, hour, minute), tick=tick)
