"""Mail servers that misbehave, for the notification tests (EMAIL_BACKEND=tests.notify_backends.…).

FlakyBackend keeps its record in a file (NOTIFY_MAIL_LOG): the worker processes that send
the mail are not the test's.
"""

import fcntl
import json
import os
import smtplib
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refuses the connection")


class FlakyBackend(BaseEmailBackend):
    """Drops the connection on the first two tries of each message, delivers the third.
    Every try is a line of the log: {"to", "body", "delivered"}."""

    def send_messages(self, messages):
        log = Path(os.environ["NOTIFY_MAIL_LOG"])
        with log.open("a+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)  # two workers may send at once
            file.seek(0)
            tries = [json.loads(line) for line in file if line.strip()]
            for message in messages:
                earlier = [t for t in tries if (t["to"], t["body"]) == (message.to, message.body)]
                delivered = len(earlier) >= 2
                line = {"to": message.to, "body": message.body, "delivered": delivered}
                file.write(json.dumps(line, ensure_ascii=False) + "\n")
                file.flush()
                if not delivered:
                    raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        return len(messages)


def deliveries(log):
    """(recipient, body) of each message delivered, as often as it was delivered."""
    if not log.exists():
        return []
    tries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]
    return [(t["to"][0], t["body"]) for t in tries if t["delivered"]]
