"""A search server (Elasticsearch 8 or OpenSearch 2) as a register index.

The two clients share their API shape (one was forked from the other): this class drives
either one with the bodies of search.backends.bodies; a subclass names its client, its
bulk helper and its errors.

Searches go to an alias; `rebuild` fills a new index and moves the alias in one step, and
is the only way one is made: updates to a missing alias fail (IndexMissing).
"""

from datetime import datetime
from typing import Any, ClassVar

from search.backends import bodies
from search.backends.base import (
    FACETS,
    FoundSet,
    IndexMissing,
    SearchBackend,
    SearchQuery,
    SearchUnavailable,
)

# A request waits this long for a search or a write; a rebuild's bulk requests, longer.
TIMEOUT_S = 10
BULK_TIMEOUT_S = 120


def _unavailable(call):
    def wrapper(self, *args, **kwargs):
        try:
            return call(self, *args, **kwargs)
        except self.errors as error:
            raise SearchUnavailable(str(error)) from error

    return wrapper


class ServerBackend(SearchBackend):
    engine: ClassVar[str]
    errors: ClassVar[tuple[type[Exception], ...]]
    not_found: ClassVar[type[Exception]]

    def __init__(self, url: str, alias: str = "register"):
        self.client = self.connect(url)
        self.alias = alias

    def connect(self, url: str) -> Any:
        raise NotImplementedError

    def bulk(self, actions, *, timeout: float = TIMEOUT_S, **options) -> None:
        """Send index or delete actions with the client's helpers.bulk, waiting up to
        `timeout` seconds for each request."""
        raise NotImplementedError

    def _exists(self) -> bool:
        return bool(self.client.indices.exists_alias(name=self.alias))

    def _require(self):
        if not self._exists():
            raise IndexMissing(f"no alias {self.alias}: build it with manage.py reindex")

    @_unavailable
    def search(self, query: SearchQuery) -> FoundSet:
        if not self._exists():
            return FoundSet(0, [], {name: {} for name in FACETS})
        response = self.client.search(index=self.alias, body=bodies.search_body(query))
        return bodies.found_set(dict(response))

    def _action(self, entry, index=None):
        return {
            "_op_type": "index",
            "_index": index or self.alias,
            "_id": entry.id,
            "_source": bodies.source(entry),
        }

    @_unavailable
    def upsert(self, entries):
        entries = list(entries)
        if not entries:
            return
        self._require()
        # No forced refresh per write: the index refreshes itself within a second.
        self.bulk(self._action(entry) for entry in entries)

    @_unavailable
    def delete(self, ids):
        ids = list(ids)
        if not ids:
            return
        self._require()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in ids)
        # A missing document is already deleted: idempotent.
        self.bulk(actions, raise_on_error=False)

    @_unavailable
    def rebuild(self, entries, progress=None):
        index = f"{self.alias}-{datetime.now():%Y%m%d%H%M%S%f}"
        self.client.indices.create(index=index, body=bodies.index_body())

        def actions():
            for entry in entries:
                if progress:
                    progress(1)
                yield self._action(entry, index)

        self.bulk(actions(), chunk_size=500, timeout=BULK_TIMEOUT_S)
        self.client.indices.refresh(index=index)
        try:
            old = list(self.client.indices.get_alias(name=self.alias))
        except self.not_found:
            old = []
        moves = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        self.client.indices.update_aliases(
            body={"actions": [*moves, {"add": {"index": index, "alias": self.alias}}]}
        )
        for name in old:
            self.client.indices.delete(index=name)

    @_unavailable
    def refresh(self):
        if self._exists():
            self.client.indices.refresh(index=self.alias)

    @_unavailable
    def indices(self) -> list[str]:
        """The indices behind the alias (one, but for the moment a rebuild swaps them)."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except self.not_found:
            return []

    def drop(self):
        """Remove the alias and its indices (test clean-up)."""
        # Wildcard deletes are refused (action.destructive_requires_name): name each one.
        for name in self.client.indices.get(index=f"{self.alias}-*"):
            self.client.indices.delete(index=name)

    @_unavailable
    def count(self):
        return self.client.count(index=self.alias)["count"] if self._exists() else None

    def __str__(self):
        return f"{self.engine} {self.alias}"

    @_unavailable
    def describe(self):
        stats = self.client.indices.stats(index=self.alias)["_all"]["primaries"]
        return (
            f"{self.engine} {self.alias} ({stats['store']['size_in_bytes'] / 1e6:.1f} MB, "
            f"{stats['docs']['count']} documents)"
        )
