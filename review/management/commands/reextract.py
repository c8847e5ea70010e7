"""Read the text of draft versions again: those whose conversion failed or never finished,
or the versions named. For an administrator after LibreOffice was down or a worker lost."""

from django.core.management.base import BaseCommand

from review.models import DraftVersion


class Command(BaseCommand):
    help = "Re-run text extraction of draft versions (failed or unfinished ones by default)."

    def add_arguments(self, parser):
        parser.add_argument("versions", nargs="*", type=int, help="ids of draft versions")

    def handle(self, *args, versions, **options):
        chosen = DraftVersion.objects.filter(extracted_at__isnull=True)
        if versions:
            chosen = chosen.filter(pk__in=versions)
        done = failed = 0
        for version in chosen.order_by("pk"):
            if version.extraction_error:
                version.extraction_error = ""
                version.save(update_fields=["extraction_error"])
            version.extract()
            if version.extracted_at:
                done += 1
            else:
                failed += 1
                self.stderr.write(f"{version.pk} {version}: {version.extraction_error}")
        self.stdout.write(f"read {done}, failed {failed}")
