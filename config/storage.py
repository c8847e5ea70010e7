"""The static files' storage in production: WhiteNoise's compressed manifest storage, which
also tolerates the broken references that a third-party package's stylesheets ship with.

django-viewflow ships a copy of the roboto-fontface stylesheet whose ``url(...)`` point to font
files it does not ship (``viewflow/fonts/roboto/node_modules/roboto-fontface/css/roboto/
Roboto-Thin.woff2`` and others). Its pages are not used here, but ``collectstatic`` hashes
every stylesheet it finds, and the manifest storage aborts on the first reference it cannot
resolve. Under ``LENIENT_PREFIXES`` such a reference is left as written (it points where it
pointed before: nowhere) and logged; everywhere else, our own ``static/`` included, a broken
reference still stops ``collectstatic``.
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)

# Stylesheets of installed packages, not ours: their broken references are not ours to fix.
LENIENT_PREFIXES = ("viewflow/",)


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)
        if not name.replace("\\", "/").startswith(LENIENT_PREFIXES):
            return convert

        def lenient(matchobj):
            try:
                return convert(matchobj)
            except ValueError as error:  # whitenoise's MissingFileError is a ValueError
                logger.info("%s: left unresolved: %s", name, error.args[0].splitlines()[0])
                return matchobj["matched"]

        return lenient
