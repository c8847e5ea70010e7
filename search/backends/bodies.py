"""The request bodies of the search servers, built once for Elasticsearch 8 and OpenSearch 2.

Both engines take the same JSON here: the index's analyzers and mapping, the query with its
filters, highlights and aggregations, and the indexed document. The backends differ only in
the client that sends it (search.backends.elastic, search.backends.opensearch), so what the
tests check against a real OpenSearch node is, byte for byte, what Elasticsearch is sent.

Chinese without plugins: the standard tokenizer cuts Han text into characters and the
built-in cjk_bigram filter (in OpenSearch's analysis-common module) joins neighbours into
bigrams, as the embedded index does. Documents are indexed with unigrams as well
(output_unigrams), so a query of one character, or one ending in a lone character (…158号),
still finds text where that character starts a longer run; queries are analysed to plain
bigrams and matched as phrases. Numbers, titles, status, issuer and kind are keyword fields
for exact lookups and aggregations.
"""

import math
from typing import Any

from django.utils.safestring import mark_safe

from search.backends.base import (
    FACETS,
    MAX_WINDOW,
    RELAXED_SHARE,
    Found,
    FoundSet,
    IndexEntry,
    SearchQuery,
    query_title_key,
)
from search.chinese import tokens
from search.models import Status
from search.names import variants

Body = dict[str, Any]

# A relaxed query asks for documents holding at least this share of the query's distinct
# bigrams (in title or body), best-covered first.

_TEXT = {
    "type": "text",
    "analyzer": "cjk_index",
    "search_analyzer": "cjk_search",
    "index_options": "offsets",
}
_KEYWORD = {"type": "keyword"}
_DATE = {"type": "date"}
TEXT_FIELDS = ["title^3", "body"]


def index_body() -> Body:
    """Settings (analyzers) and mapping of a new index."""
    return {
        "settings": {
            "number_of_shards": 1,
            "max_result_window": MAX_WINDOW,
            "analysis": {
                "filter": {
                    "cjk_bigram_unigrams": {"type": "cjk_bigram", "output_unigrams": True},
                },
                "analyzer": {
                    "cjk_index": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram_unigrams"],
                    },
                    "cjk_search": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram"],
                    },
                },
            },
        },
        "mappings": {
            "properties": {
                "title": _TEXT,
                "title_key": _KEYWORD,
                "body": _TEXT,
                "number": _KEYWORD,
                "number_key": _KEYWORD,
                "status": _KEYWORD,
                "issuer": _KEYWORD,
                "kind": _KEYWORD,
                "published": _DATE,
                "year": {"type": "integer"},
                "in_force_from": _DATE,
                "in_force_until": _DATE,
            }
        },
    }


def source(entry: IndexEntry) -> Body:
    """The indexed document of one register entry. The number is part of the title's text,
    so that it is highlighted where it matches."""
    return {
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
    }


def search_body(query: SearchQuery) -> Body:
    """The whole search: query and filters, the page, highlights and facet counts."""
    body: Body = {
        "query": _query(query),
        "from": query.offset,
        "size": query.page_size,
        "track_total_hits": True,
        "_source": False,
        "highlight": {
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fragment_size": 120,
            "number_of_fragments": 1,
            "no_match_size": 0,
            "fields": {"body": {}, "title": {}},
        },
        "aggs": {name: {"terms": {"field": name, "size": 200}} for name in FACETS},
    }
    if query.sort == "date" or not query.words:
        body["sort"] = [{"published": {"order": "desc", "missing": "_last"}}, "_score"]
    return body


def _query(query: SearchQuery) -> Body:
    text = _relaxed(query) if query.relaxed else _phrases(query)
    must: list[Body] = []
    should: list[Body] = []
    if query.number:
        number = {"term": {"number_key": {"value": query.number, "boost": 50}}}
        must.append({"bool": {"should": [number, *text]}} if text else number)
    elif text:
        must.extend(text)
        keys = variants(query_title_key(query.text))
        title = {"terms": {"title_key": keys, "boost": 20}}
        should.append(title)
    return {
        "bool": {
            "must": must or [{"match_all": {}}],
            "should": should,
            "filter": _filters(query),
        }
    }


def _phrases(query: SearchQuery) -> list[Body]:
    """Every word, in one of the spellings of the laws it names (search.names), as a phrase
    in title or body: one clause, all of it required."""
    words = [
        {
            "bool": {
                "should": [
                    {"multi_match": {"query": spelling, "type": "phrase", "fields": TEXT_FIELDS}}
                    for spelling in variants(word)
                ]
            }
        }
        for word in query.words
    ]
    return [{"bool": {"must": words}}] if words else []


def _relaxed(query: SearchQuery) -> list[Body]:
    """The query's distinct bigrams (and Latin or digit words), each a clause that scores
    its matches in title or body; most of them required."""
    grams = list(dict.fromkeys(tokens(" ".join(query.words))))
    if not grams:
        return []
    clauses = [{"multi_match": {"query": gram, "fields": TEXT_FIELDS}} for gram in grams]
    needed = max(1, math.ceil(RELAXED_SHARE * len(grams)))
    return [{"bool": {"should": clauses, "minimum_should_match": needed}}]


def _filters(query: SearchQuery) -> list[Body]:
    filters: list[Body] = []
    if query.status:
        filters.append({"terms": {"status": list(query.status)}})
    if query.issuer:
        filters.append({"term": {"issuer": query.issuer}})
    if query.kind:
        filters.append({"term": {"kind": query.kind}})
    if query.year_from or query.year_to:
        bounds = {"gte": query.year_from or 1}
        if query.year_to:
            bounds["lte"] = query.year_to
        filters.append({"range": {"year": bounds}})
    if query.in_force_on:
        day = query.in_force_on.isoformat()
        filters.append({"range": {"in_force_from": {"lte": day}}})
        filters.append({"range": {"in_force_until": {"gt": day}}})
    if query.public:
        # As Document.objects.published: an entry with no publication date is public
        # unless it is still to take effect (imported laws whose date nobody recorded).
        dated = {"range": {"published": {"lte": query.today.isoformat()}}}
        undated = {
            "bool": {
                "must_not": [
                    {"exists": {"field": "published"}},
                    {"term": {"status": Status.PENDING.value}},
                ]
            }
        }
        filters.append({"bool": {"should": [dated, undated], "minimum_should_match": 1}})
    if query.hidden:
        filters.append(
            {"bool": {"must_not": [{"ids": {"values": [str(pk) for pk in query.hidden]}}]}}
        )
    return filters


def found_set(response: Body) -> FoundSet:
    """The hits, their snippets and the facet counts of a search response."""
    found = []
    for hit in response["hits"]["hits"]:
        fragments = hit.get("highlight", {})
        snippet = (fragments.get("body") or fragments.get("title") or [""])[0]
        # encoder="html" escaped the text around the marks.
        found.append(Found(id=int(hit["_id"]), highlight=mark_safe(snippet)))
    facets = {
        name: {b["key"]: b["doc_count"] for b in response["aggregations"][name]["buckets"]}
        for name in FACETS
    }
    return FoundSet(response["hits"]["total"]["value"], found, facets)
