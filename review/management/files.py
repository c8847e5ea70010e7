"""A Word file named on a management command's command line, read as an upload is read."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from review.ingest import KINDS, Ingested, UploadRejected, inspect_upload

# The exit status of a command whose file is refused, so that scripts can tell it from a
# file that could not be read at all.
EXIT_REJECTED = 2


def read_upload(path: Path) -> Ingested:
    """The file checked as an upload is (any kind, the upload size limit); a file that
    cannot be read or is refused ends the command with the message a user would see."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": error}
        ) from error
    try:
        return inspect_upload(
            data, path.name, max_bytes=settings.UPLOAD_MAX_BYTES, allow=set(KINDS)
        )
    except UploadRejected as rejected:
        raise CommandError(rejected.message, returncode=EXIT_REJECTED) from None
