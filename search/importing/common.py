"""What both importers share: the report, and saving a document known by its source key."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from search.models import Document, DocumentLink, StatusChange

Progress = Callable[[Iterable, int], Iterable]


def _no_progress(items, total):
    return items


class ImportFailed(Exception):
    """The input as a whole cannot be read; nothing was imported."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    links: int = 0
    problems: list[str] = field(default_factory=list)
    changed_ids: set[int] = field(default_factory=set)

    def count(self, outcome: str, document: Document):
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome != "unchanged":
            self.changed_ids.add(document.pk)


def save_document(report: ImportReport, source: str, fields: dict, versions: list[dict], note: str):
    """Create or update the document known by `source`, with exactly these versions."""
    document = Document.objects.filter(source=source).first()
    outcome = "created"
    if document is not None:
        current = [
            (v.published_on, v.effective_on, v.superseded_on, v.text, v.source)
            for v in document.ordered_versions()
        ]
        wanted = [
            (v["published_on"], v["effective_on"], v.get("superseded_on"), v["text"], v["source"])
            for v in versions
        ]
        same = all(getattr(document, name) == value for name, value in fields.items())
        if same and current == wanted:
            report.count("unchanged", document)
            return document
        outcome = "updated"
    old_status = document.status if document else ""
    document = document or Document(source=source)
    for name, value in fields.items():
        setattr(document, name, value)
    document.full_clean(exclude=["dossier"])
    document.save()
    document.versions.all().delete()
    for number, version in enumerate(versions, start=1):
        document.versions.create(number=number, **version)
    if document.status != old_status:
        StatusChange.objects.create(
            document=document,
            old_status=old_status,
            new_status=document.status,
            changed_on=timezone.localdate(),
            reason=note,
        )
    report.count(outcome, document)
    return document


def link_documents(report: ImportReport, source: Document, target: Document, kind: str):
    if DocumentLink.objects.get_or_create(source=source, target=target, kind=kind)[1]:
        report.links += 1


def error_text(error: ValidationError) -> str:
    return "；".join(error.messages)
