"""Search over the register: one interface, the embedded index or Elasticsearch.

`search()` asks the configured backend and returns the hits as register documents read
from the database, the source of truth, with a highlighted snippet each.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _

from search.alerts import alert_admins
from search.backends.base import FACETS, SearchBackend, SearchQuery, SearchUnavailable
from search.backends.select import get_backend
from search.highlight import highlight
from search.models import Document

__all__ = ["SearchQuery", "SearchResult", "SearchUnavailable", "get_backend", "search"]


@dataclass
class Hit:
    document: object  # search.models.Document
    highlight: str

    def as_json(self):
        doc = self.document
        return {
            "id": doc.pk,
            "title": doc.title,
            "number": doc.number,
            "status": doc.status,
            "issuer": doc.issuer,
            "published": doc.published_on.isoformat() if doc.published_on else None,
            "highlight": str(self.highlight),
        }


@dataclass
class SearchResult:
    query: SearchQuery
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]

    @property
    def page(self):
        """A Django page for templates/includes/pager.html."""
        return Paginator(range(self.total), self.query.page_size).get_page(self.query.page)

    def as_json(self):
        return {
            "total": self.total,
            "hits": [hit.as_json() for hit in self.hits],
            "facets": {name: self.facets.get(name, {}) for name in FACETS},
        }


def search(query: SearchQuery, backend: SearchBackend | None = None) -> SearchResult:
    backend = backend or get_backend()
    found = backend.search(query)
    if found.total == 0 and not (count := backend.count()):
        _lost_index(backend, query, missing=count is None)
    documents = Document.objects.filter(pk__in=[f.id for f in found.found]).prefetch_related(
        "versions"
    )
    if query.public:
        # The index may lag behind the database; the database decides what is public.
        documents = documents.published(query.today)
    by_id = {doc.pk: doc for doc in documents}
    hits = []
    for f in found.found:
        doc = by_id.get(f.id)
        if doc is None:
            continue
        snippet = f.highlight
        if snippet is None:
            snippet = highlight(doc.title, doc.text, query.words)
        hits.append(Hit(doc, snippet))
    return SearchResult(query, found.total, hits, found.facets)


# How long a registered document may wait for the worker to index it.
INDEXING_GRACE_MINUTES = 5


def _lost_index(backend: SearchBackend, query: SearchQuery, *, missing: bool):
    """A missing or empty index while the register holds published documents has been lost
    (a removed folder, a wrong SEARCH_INDEX_PATH): answering "nothing found" would make the
    register look empty to the public. In an empty index, documents registered in the last
    minutes may simply not be indexed yet (the worker runs after the commit): they prove
    nothing."""
    published = Document.objects.published(query.today)
    if not missing:
        settled = timezone.now() - timedelta(minutes=INDEXING_GRACE_MINUTES)
        published = published.filter(created_at__lt=settled)
    published = published.count()
    if not published:
        return
    alert_admins(
        "index-lost",
        _("检索索引缺失或为空"),
        _(
            "检索索引（%(index)s）缺失或为空，而登记库中有%(n)s件已公布的文件。"
            "检索暂停服务，请运行 manage.py reindex 重建索引。"
        )
        % {"index": backend, "n": published},
    )
    raise SearchUnavailable(f"{backend} is missing or empty; {published} documents are published")
