"""Elasticsearch, for registers beyond one machine (ELASTICSEARCH_URL set).

Chinese without plugins: the standard tokenizer cuts Han text into characters and the
built-in cjk_bigram filter joins neighbours into bigrams, as the embedded index does.
Documents are indexed with unigrams as well (output_unigrams), so a query of one
character, or one ending in a lone character (…158号), still finds text where that
character starts a longer run; queries are analysed to plain bigrams and matched as
phrases. Numbers, titles, status, issuer and kind are keyword fields for exact lookups
and aggregations.

Searches go to an alias; `rebuild` fills a new index and moves the alias in one step, and
is the only way one is made: updates to a missing alias fail (IndexMissing).
"""

from datetime import datetime

from django.utils.safestring import mark_safe
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from search.backends.base import (
    FACETS,
    MAX_WINDOW,
    Found,
    FoundSet,
    IndexMissing,
    SearchBackend,
    SearchQuery,
    SearchUnavailable,
    query_title_key,
)
from search.models import Status

_bigrams_and_unigrams = token_filter("cjk_bigram_unigrams", "cjk_bigram", output_unigrams=True)
CJK_INDEX = analyzer(
    "cjk_index", tokenizer="standard", filter=["cjk_width", "lowercase", _bigrams_and_unigrams]
)
CJK_SEARCH = analyzer(
    "cjk_search", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"]
)


class RegisterEntry(Document):
    """The index document of one register entry (see search.backends.base.IndexEntry)."""

    title = Text(analyzer=CJK_INDEX, search_analyzer=CJK_SEARCH)
    title_key = Keyword()
    body = Text(analyzer=CJK_INDEX, search_analyzer=CJK_SEARCH)
    number = Keyword()
    number_key = Keyword()
    status = Keyword()
    issuer = Keyword()
    kind = Keyword()
    published = Date()
    year = Integer()
    in_force_from = Date()
    in_force_until = Date()


def _unavailable(call):
    def wrapper(self, *args, **kwargs):
        try:
            return call(self, *args, **kwargs)
        except (TransportError, ApiError) as error:
            raise SearchUnavailable(str(error)) from error

    return wrapper


class ElasticBackend(SearchBackend):
    def __init__(self, url: str, alias: str = "register"):
        self.client = Elasticsearch(url, request_timeout=10)
        self.alias = alias

    def _new_index(self) -> Index:
        index = Index(f"{self.alias}-{datetime.now():%Y%m%d%H%M%S%f}", using=self.client)
        index.settings(number_of_shards=1, max_result_window=MAX_WINDOW)
        index.document(RegisterEntry)
        index.create()
        return index

    def _exists(self) -> bool:
        return bool(self.client.indices.exists_alias(name=self.alias))

    def _require(self):
        if not self._exists():
            raise IndexMissing(f"no alias {self.alias}: build it with manage.py reindex")

    @_unavailable
    def search(self, query: SearchQuery) -> FoundSet:
        if not self._exists():
            return FoundSet(0, [], {name: {} for name in FACETS})
        s = Search(using=self.client, index=self.alias).query(self._query(query))
        s = s.extra(track_total_hits=True).source(False)
        s = s.highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=120,
            number_of_fragments=1,
            no_match_size=0,
        ).highlight("body", "title")
        for name in FACETS:
            s.aggs.bucket(name, "terms", field=name, size=200)
        if query.sort == "date" or not query.words:
            s = s.sort({"published": {"order": "desc", "missing": "_last"}}, "_score")
        response = s[query.offset : query.offset + query.page_size].execute()
        found = []
        for hit in response.hits:
            fragments = getattr(hit.meta, "highlight", None)
            snippet = ""
            if fragments:
                snippet = (list(getattr(fragments, "body", [])) or list(fragments.title))[0]
            # encoder="html" escaped the text around the marks.
            found.append(Found(id=int(hit.meta.id), highlight=mark_safe(snippet)))
        facets = {
            name: {b.key: b.doc_count for b in getattr(response.aggregations, name).buckets}
            for name in FACETS
        }
        # hits is an AttrList carrying the "total" from the response; the library types it as a list.
        return FoundSet(response.hits.total.value, found, facets)  # type: ignore[attr-defined]

    def _query(self, query: SearchQuery):
        text = [
            Q("multi_match", query=word, type="phrase", fields=["title^3", "body"])
            for word in query.words
        ]
        must, should = [], []
        if query.number:
            number = Q("term", number_key={"value": query.number, "boost": 50})
            must.append(number | Q("bool", must=text))
        elif text:
            must.extend(text)
            should.append(Q("term", title_key={"value": query_title_key(query.text), "boost": 20}))
        return Q("bool", must=must or [Q("match_all")], should=should, filter=self._filters(query))

    def _filters(self, query: SearchQuery):
        filters = []
        if query.status:
            filters.append(Q("terms", status=list(query.status)))
        if query.issuer:
            filters.append(Q("term", issuer=query.issuer))
        if query.kind:
            filters.append(Q("term", kind=query.kind))
        if query.year_from or query.year_to:
            bounds = {"gte": query.year_from or 1}
            if query.year_to:
                bounds["lte"] = query.year_to
            filters.append(Q("range", year=bounds))
        if query.in_force_on:
            day = query.in_force_on.isoformat()
            filters.append(Q("range", in_force_from={"lte": day}))
            filters.append(Q("range", in_force_until={"gt": day}))
        if query.public:
            # As Document.objects.published: an entry with no publication date is public
            # unless it is still to take effect (imported laws whose date nobody recorded).
            dated = Q("range", published={"lte": query.today.isoformat()})
            undated = ~Q("exists", field="published") & ~Q("term", status=Status.PENDING)
            filters.append(dated | undated)
        if query.hidden:
            filters.append(~Q("ids", values=[str(pk) for pk in query.hidden]))
        return filters

    def _action(self, entry):
        return {
            "_op_type": "index",
            "_index": self.alias,
            "_id": entry.id,
            "_source": {
                "title": entry.title + " " + entry.number,
                "title_key": list(entry.title_keys),
                "body": entry.body,
                "number": entry.number,
                "number_key": entry.number_key,
                "status": entry.status,
                "issuer": entry.issuer,
                "kind": entry.kind,
                "published": entry.published.isoformat() if entry.published else None,
                "year": entry.year or None,
                "in_force_from": entry.in_force_from.isoformat(),
                "in_force_until": entry.in_force_until.isoformat(),
            },
        }

    @_unavailable
    def upsert(self, entries):
        entries = list(entries)
        if not entries:
            return
        self._require()
        # No forced refresh per write: the index refreshes itself within a second.
        helpers.bulk(self.client, map(self._action, entries))

    @_unavailable
    def delete(self, ids):
        ids = list(ids)
        if not ids:
            return
        self._require()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in ids)
        # A missing document is already deleted: idempotent.
        helpers.bulk(self.client, actions, raise_on_error=False)

    @_unavailable
    def rebuild(self, entries, progress=None):
        index = self._new_index()

        def actions():
            for entry in entries:
                action = self._action(entry)
                action["_index"] = index._name
                if progress:
                    progress(1)
                yield action

        helpers.bulk(self.client, actions(), chunk_size=500, request_timeout=120)
        index.refresh()
        try:
            old = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            old = []
        self.client.indices.update_aliases(
            actions=[{"remove": {"index": name, "alias": self.alias}} for name in old]
            + [{"add": {"index": index._name, "alias": self.alias}}]
        )
        for name in old:
            self.client.indices.delete(index=name)

    @_unavailable
    def refresh(self):
        if self._exists():
            self.client.indices.refresh(index=self.alias)

    def drop(self):
        """Remove the alias and its indices (test clean-up)."""
        # Wildcard deletes are refused by default (action.destructive_requires_name).
        for name in self.client.indices.get(index=f"{self.alias}-*"):
            self.client.indices.delete(index=name)

    @_unavailable
    def count(self):
        return self.client.count(index=self.alias)["count"] if self._exists() else None

    def __str__(self):
        return f"Elasticsearch {self.alias}"

    @_unavailable
    def describe(self):
        stats = self.client.indices.stats(index=self.alias)["_all"]["primaries"]
        return (
            f"Elasticsearch {self.alias} ({stats['store']['size_in_bytes'] / 1e6:.1f} MB, "
            f"{stats['docs']['count']} documents)"
        )
