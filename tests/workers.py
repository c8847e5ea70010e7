"""Real `celery worker` processes for the tests, on the test's database, broker and day."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app

from .today import morning_of

ROOT = Path(__file__).resolve().parents[1]


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def forget_connections():
    """Earlier tests may have opened the default broker: drop the cached pools."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def workers(media_root, search_index, tmp_path, today):
    """``workers(broker_url, transport_options)`` returns a function that starts one more
    worker process on that broker (``workers.folder()``: on the filesystem broker in the
    test's folder); all are stopped after the test."""
    default = (app.conf.broker_url, app.conf.broker_transport_options)
    started = []

    def on(broker_url, options):
        app.conf.update(
            broker_url=broker_url, broker_transport_options=options, task_always_eager=False
        )
        forget_connections()
        env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(options),
            "MEDIA_ROOT": str(media_root),
            "SEARCH_INDEX_PATH": str(search_index),
        }

        def start():
            log = tmp_path / f"worker-{len(started)}.log"
            process = subprocess.Popen(
                # prefork, not solo: only its event loop hands back a dead worker's tasks.
                [sys.executable, "-m", "tests.at_day", morning_of(today).isoformat(),
                 "celery", "-A", "config", "worker", "--concurrency", "1",
                 "--loglevel", "INFO", "-n", f"test{len(started)}@%h",
                 "--without-mingle", "--without-gossip"],
                cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            started.append((process, log))
            wait_for(lambda: "ready" in log.read_text(), 60, f"worker start ({log})")
            return process

        return start

    def on_folder():
        """Workers on the filesystem broker in this test's own folders."""
        queue = tmp_path / "queue"
        queue.mkdir(exist_ok=True)
        options = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "control_folder": str(tmp_path / "control"),
            "store_processed": False,
        }
        return on("filesystem://", options)

    on.folder = on_folder
    yield on
    for process, _log in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(20)
    app.conf.update(broker_url=default[0], broker_transport_options=default[1])
    forget_connections()
