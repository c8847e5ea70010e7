"""Telling the administrators that the search index needs them.

The workflow's notifications sit in a layer above the register, so an alert is an ERROR in
the log and a mail to settings.ADMINS, those who run the server and can repair the index.
"""

import logging

from django.core.cache import cache
from django.core.mail import mail_admins

log = logging.getLogger("search")

# A fault met by every request, or by every retry of every update, is reported once in
# this many seconds rather than each time.
REPEAT_AFTER = 3600


def alert_admins(fault: str, subject: str, message: str) -> None:
    if cache.add(f"search-alert:{fault}", True, REPEAT_AFTER):
        log.error("%s: %s", subject, message)
        mail_admins(subject, message, fail_silently=True)
