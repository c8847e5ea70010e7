"""Run a Python module with the clock moved to a given moment, ticking from there.

    python -m tests.at_day 2026-11-26T10:00:00+08:00 celery -A config worker ...

The real processes that tests start (Celery workers) live on the test's day, not the machine's.
"""

import runpy
import sys
from datetime import datetime

import time_machine

if __name__ == "__main__":
    moment, module, *args = sys.argv[1:]
    time_machine.travel(datetime.fromisoformat(moment), tick=True).start()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
