from django.apps import AppConfig
from django.http import multipartparser

# Django reads at most 1 KiB of headers for each part of an upload (MAX_TOTAL_HEADER_SIZE,
# not a setting) and past it answers a bare "Bad Request (400)" before any view or form
# sees the request: a file name of about 290 Chinese characters (3 bytes each in UTF-8, 9
# where a client percent-encodes them) is enough. With 8 KiB the request is read and the
# upload form says that the name is too long; the parser still reads a bounded amount.
UPLOAD_PART_HEADER_BYTES = 8 * 1024


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "通用组件"

    def ready(self):
        multipartparser.MAX_TOTAL_HEADER_SIZE = max(
            multipartparser.MAX_TOTAL_HEADER_SIZE, UPLOAD_PART_HEADER_BYTES
        )
