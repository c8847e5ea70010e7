"""Search over the register: one interface, the embedded index or Elasticsearch.

`search()` asks the configured backend and returns the hits as register documents read
from the database, the source of truth, with a highlighted snippet each.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.paginator import Paginator

from search.backends.base import FACETS, SearchBackend, SearchQuery, SearchUnavailable
from search.highlight import highlight
from search.models import Document

__all__ = ["SearchQuery", "SearchResult", "SearchUnavailable", "get_backend", "search"]


@lru_cache(maxsize=4)
def _backend(url: str, index: str, path: str) -> SearchBackend:
    if url:
        from search.backends.elastic import ElasticBackend

        return ElasticBackend(url, alias=index)
    from search.backends.embedded import EmbeddedBackend

    return EmbeddedBackend(path)


def get_backend() -> SearchBackend:
    """Elasticsearch when ELASTICSEARCH_URL is set, else the embedded index."""
    return _backend(
        settings.ELASTICSEARCH_URL,
        getattr(settings, "ELASTICSEARCH_INDEX", "register"),
        str(settings.SEARCH_INDEX_PATH),
    )


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
    found = (backend or get_backend()).search(query)
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
