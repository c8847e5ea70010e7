"""Search over the register: one interface, the embedded index or Elasticsearch.

`search()` asks the configured backend and returns the hits as register documents read
from the database, the source of truth, with a highlighted snippet each. Every word must
occur, as a phrase; when that finds fewer than RELAXED_BELOW documents, the documents that
hold most of the query (SearchQuery.relaxed) are listed after them, marked as partial
matches, so that a title typed with a word left out still finds its document.
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import timedelta

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _

from search.alerts import alert_admins
from search.backends.base import (
    FACETS,
    FoundSet,
    SearchBackend,
    SearchQuery,
    SearchUnavailable,
)
from search.backends.select import get_backend
from search.highlight import highlight
from search.models import Document

__all__ = ["SearchQuery", "SearchResult", "SearchUnavailable", "get_backend", "search"]


# Fewer strict hits than this, and the relaxed query fills the list: the top three places,
# by which a known-item search is judged (benchmarks/recall.py), are never left empty.
RELAXED_BELOW = 3


@dataclass
class Hit:
    document: object  # search.models.Document
    highlight: str
    relaxed: bool = False  # a partial match: most of the query, not all of its words

    def as_json(self):
        doc = self.document
        hit = {
            "id": doc.pk,
            "title": doc.title,
            "number": doc.number,
            "status": doc.status,
            "issuer": doc.issuer,
            "published": doc.published_on.isoformat() if doc.published_on else None,
            "highlight": str(self.highlight),
        }
        # Only partial matches say so: a hit of the strict query reads as it always did.
        return {**hit, "relaxed": True} if self.relaxed else hit


@dataclass
class SearchResult:
    query: SearchQuery
    total: int  # the documents holding every word
    hits: list[Hit]
    facets: dict[str, dict[str, int]]  # of every document listed, partial matches included
    relaxed_total: int = 0  # the partial matches listed after them

    @property
    def page(self):
        """A Django page for templates/includes/pager.html."""
        listed = self.total + self.relaxed_total
        return Paginator(range(listed), self.query.page_size).get_page(self.query.page)

    def as_json(self):
        return {
            "total": self.total,
            "relaxed_total": self.relaxed_total,
            "hits": [hit.as_json() for hit in self.hits],
            "facets": {name: self.facets.get(name, {}) for name in FACETS},
        }


def search(query: SearchQuery, backend: SearchBackend | None = None) -> SearchResult:
    backend = backend or get_backend()
    found = backend.search(query)
    if found.total == 0 and not (count := backend.count()):
        _lost_index(backend, query, missing=count is None)
    listed = [(f, False) for f in found.found]
    partial = FoundSet(0, [], {})
    if found.total < RELAXED_BELOW and query.words:
        partial = _partial(backend, query, found)
        listed += [(f, True) for f in partial.found]
    documents = Document.objects.filter(pk__in=[f.id for f, _ in listed]).prefetch_related(
        "versions"
    )
    if query.public:
        # The index may lag behind the database; the database decides what is public.
        documents = documents.published(query.today)
    by_id = {doc.pk: doc for doc in documents}
    hits = []
    for f, relaxed in listed:
        doc = by_id.get(f.id)
        if doc is None:
            continue
        snippet = f.highlight
        if snippet is None:
            snippet = highlight(doc.title, doc.text, query.words, relaxed=relaxed)
        hits.append(Hit(doc, snippet, relaxed))
    facets = {
        name: Counter(found.facets.get(name, {})) + Counter(partial.facets.get(name, {}))
        for name in FACETS
    }
    return SearchResult(query, found.total, hits, facets, partial.total)


def _partial(backend: SearchBackend, query: SearchQuery, strict: FoundSet) -> FoundSet:
    """The relaxed query's documents that the strict one did not find, where they continue
    its list on this page; with the total and facets of them all."""
    everything = strict.found
    if len(everything) < strict.total:  # a later page, or pages of fewer than them all
        everything = backend.search(replace(query, page=1, page_size=RELAXED_BELOW)).found
    # This page's stretch of the partial matches, which follow the strict ones.
    skip = max(0, query.offset - strict.total)
    end = max(0, query.offset + query.page_size - strict.total)
    relaxed = backend.search(
        replace(
            query,
            relaxed=True,
            hidden=query.hidden + tuple(f.id for f in everything),
            page=1,
            page_size=max(1, end),
        )
    )
    relaxed.found = relaxed.found[skip:end]
    return relaxed


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
