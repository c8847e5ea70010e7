"""The embedded index: tantivy over Chinese character bigrams, in a folder, no server.

Why tantivy over Python bigrams (measured in shared/notes/search.md and benchmarks/):
SQLite FTS5's trigram tokenizer can never match a two-character word such as 审查, and FTS5
over bigrams scores every match in Python-visible SQL, tens of milliseconds at 20,000
documents; tantivy answers the same queries in well under a millisecond, counts and
aggregates facets in Rust, and its built-in ngram tokenizer is unusable only because it
puts every gram at position 0, which the whitespace tokenizer over our own bigrams avoids.

Text is cut as search.chinese describes: CJK runs become overlapping bigrams (a
one-character run stays one token), Latin letters and digits stay whole words. A query word becomes a phrase of the same
tokens, so a match means the characters occur in that order, like a substring search.
Where a query word begins or ends with a lone CJK character next to a digit (〔2017〕158号),
that character may be the end or start of a longer run in the text, so it is matched by
a regular expression over the term list (号 or 号X) instead of exactly. A law named with or
without 中华人民共和国 is asked in both spellings (search.names).

A relaxed query (SearchQuery.relaxed) asks instead for the documents holding, in title or
body, at least RELAXED_SHARE of the query's distinct tokens (as search.chinese cuts the
words: bigrams, lone characters, Latin or digit words), ranked by BM25 over the tokens they
hold, title matches boosted as above.

One process writes at a time (tantivy's lock): a second writer gets IndexBusy, naming the
process that holds the lock, which the Celery tasks retry with backoff. Updates write only
to an index that exists; `rebuild` alone creates one.
"""

import math
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import tantivy

from search.backends.base import (
    FACETS,
    RELAXED_SHARE,
    Found,
    FoundSet,
    IndexEntry,
    IndexMissing,
    SearchBackend,
    SearchQuery,
    query_title_key,
)
from search.chinese import is_cjk, run_tokens, runs, tokens
from search.models import Status
from search.names import variants

_WRITER_HEAP = 256_000_000
_TITLE_BOOST = 3.0
_EXACT_TITLE_BOOST = 20.0
_NUMBER_BOOST = 50.0


class IndexBusy(Exception):
    """Another writer holds the index lock; try again shortly."""

    def __init__(self, lock: Path, holders: list[int]):
        super().__init__(lock, holders)  # as it is made again when Celery unpickles it
        self.lock, self.holders = lock, holders

    def __str__(self):
        return f"{self.lock} is held by process {', '.join(map(str, self.holders)) or '?'}"


def _day(value: date | None, default: int = 0) -> int:
    if value is None:
        return default
    return value.year * 10000 + value.month * 100 + value.day


def _schema():
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name="whitespace")
    builder.add_text_field("body", tokenizer_name="whitespace")
    builder.add_text_field("title_key", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("number_key", tokenizer_name="raw", index_option="basic")
    for name in FACETS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    for name in ("published", "year", "in_force_from", "in_force_until"):
        builder.add_integer_field(name, indexed=True, fast=True)
    return builder.build()


SCHEMA = _schema()

# Open indexes per folder, with the meta.json state they were last reloaded at.
_open: dict[str, tuple[tantivy.Index, tuple[int, int]]] = {}
_open_lock = threading.Lock()


class EmbeddedBackend(SearchBackend):
    def __init__(self, path: Path):
        self.path = Path(path)

    # --- reading ---------------------------------------------------------------------

    def _reader(self) -> tantivy.Index | None:
        """The index as last committed by any process; None while none exists yet."""
        try:
            meta = (self.path / "meta.json").stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        # Every commit, and a rebuild's swap of folders, replaces meta.json.
        stamp = (meta.st_ino, meta.st_mtime_ns)
        key = str(self.path)
        with _open_lock:
            index, seen = _open.get(key, (None, None))
            if index is None or seen != stamp:
                index = _existing(self.path)
                _open[key] = (index, stamp)
        return index

    def search(self, query: SearchQuery) -> FoundSet:
        index = self._reader()
        if index is None:
            return FoundSet(0, [], {name: {} for name in FACETS})
        searcher = index.searcher()
        q = self._query(query)
        if query.sort == "date" or not query.words:
            result = searcher.search(
                q, query.page_size, count=True, order_by_field="published", offset=query.offset
            )
        else:
            result = searcher.search(q, query.page_size, count=True, offset=query.offset)
        addresses = [address for _score, address in result.hits]
        ids = searcher.fast_field_values("id", addresses) if addresses else []
        aggs = searcher.aggregate(
            q, {name: {"terms": {"field": name, "size": 200}} for name in FACETS}
        )
        facets = {
            name: {b["key"]: b["doc_count"] for b in aggs.get(name, {}).get("buckets", [])}
            for name in FACETS
        }
        found = []
        for i in ids:
            # "id" is an integer fast field that every document has.
            if not isinstance(i, int):
                raise TypeError(f"A document without an integer id: {i!r}")
            found.append(Found(id=i))
        # count=True above, so count is the total; tantivy's stub leaves the attribute out.
        return FoundSet(result.count, found, facets)  # type: ignore[attr-defined]

    def _query(self, query: SearchQuery):
        Q, Occur = tantivy.Query, tantivy.Occur
        must = []
        should = []
        if query.relaxed:
            text = [self._relaxed(query.words)] if query.words else []
        else:
            text = [self._word(word) for word in query.words]
        if query.number:
            number = Q.boost_query(Q.term_query(SCHEMA, "number_key", query.number), _NUMBER_BOOST)
            # The exact number first, then the documents that cite it.
            must.append(Q.boolean_query([(Occur.Should, number), (Occur.Should, _all(text))]))
        elif text:
            must.extend(text)
            should += [
                Q.boost_query(Q.term_query(SCHEMA, "title_key", title), _EXACT_TITLE_BOOST)
                for title in variants(query_title_key(query.text))
            ]
        must.extend(self._filters(query))
        if not must:
            return Q.all_query()
        return Q.boolean_query(
            [(Occur.Must, q) for q in must] + [(Occur.Should, q) for q in should]
        )

    def _word(self, word: str):
        """A query word, in each spelling of the laws it names, as a phrase over the title
        (boosted) or the body."""
        Q, Occur = tantivy.Query, tantivy.Occur
        spellings = [parts for parts in map(runs, variants(word)) if parts]
        if not spellings:
            return Q.empty_query()
        return Q.boolean_query(
            [
                (Occur.Should, Q.boost_query(_phrase(field, parts), boost))
                for parts in spellings
                for field, boost in (("title", _TITLE_BOOST), ("body", 1.0))
            ]
        )

    def _relaxed(self, words: list[str]):
        """Documents holding most of the words' distinct tokens, anywhere in title or body."""
        Q, Occur = tantivy.Query, tantivy.Occur
        grams = list(dict.fromkeys(tokens(" ".join(words))))
        if not grams:
            return Q.empty_query()
        held = [
            Q.boolean_query(
                [
                    (
                        Occur.Should,
                        Q.boost_query(Q.term_query(SCHEMA, "title", gram), _TITLE_BOOST),
                    ),
                    (Occur.Should, Q.term_query(SCHEMA, "body", gram)),
                ]
            )
            for gram in grams
        ]
        needed = max(1, math.ceil(RELAXED_SHARE * len(grams)))
        return Q.boolean_query([(Occur.Should, q) for q in held], needed)

    def _filters(self, query: SearchQuery):
        Q, Int, Occur = tantivy.Query, tantivy.FieldType.Integer, tantivy.Occur
        if query.status:
            yield Q.term_set_query(SCHEMA, "status", list(query.status))
        if query.issuer:
            yield Q.term_query(SCHEMA, "issuer", query.issuer)
        if query.kind:
            yield Q.term_query(SCHEMA, "kind", query.kind)
        if query.year_from or query.year_to:
            yield Q.range_query(SCHEMA, "year", Int, query.year_from or 1, query.year_to)
        if query.in_force_on:
            day = _day(query.in_force_on)
            yield Q.range_query(SCHEMA, "in_force_from", Int, None, day)
            yield Q.range_query(SCHEMA, "in_force_until", Int, day, None, include_lower=False)
        if query.public:
            dated = Q.range_query(SCHEMA, "published", Int, 1, _day(query.today))
            # As Document.objects.published: an entry with no publication date is public
            # unless it is still to take effect (imported laws whose date nobody recorded).
            undated = Q.boolean_query(
                [
                    (Occur.Must, Q.range_query(SCHEMA, "published", Int, 0, 0)),
                    (Occur.MustNot, Q.term_query(SCHEMA, "status", Status.PENDING)),
                ]
            )
            yield Q.boolean_query([(Occur.Should, dated), (Occur.Should, undated)])
        if query.hidden:
            # A query that only excludes matches nothing in tantivy: exclude from everything.
            hidden = Q.term_set_query(SCHEMA, "id", list(query.hidden))
            yield Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, hidden)])

    # --- writing ---------------------------------------------------------------------

    def upsert(self, entries):
        entries = list(entries)
        if not entries:
            return
        with _writer(self.path) as writer:
            for entry in entries:
                writer.delete_documents_by_term("id", entry.id)
                writer.add_document(_document(entry))
            writer.commit()

    def delete(self, ids):
        ids = list(ids)
        if not ids:
            return
        with _writer(self.path) as writer:
            for pk in ids:
                writer.delete_documents_by_term("id", pk)
            writer.commit()

    def rebuild(self, entries, progress=None):
        """Build a complete new index beside the old one, then swap the folders.

        The old index keeps answering meanwhile, and its writer lock is held so that
        updates wait (and retry) until the new index is in place. On the first build
        the "old" index is an empty one, made here to hold that lock.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        fresh = self.path.with_name(self.path.name + ".new")
        old = self.path.with_name(self.path.name + ".old")
        with _writer(self.path, create=True):
            shutil.rmtree(fresh, ignore_errors=True)
            fresh.mkdir(parents=True)
            with _writer(fresh, create=True, threads=min(2, os.cpu_count() or 1)) as writer:
                for entry in entries:
                    writer.add_document(_document(entry))
                    if progress:
                        progress(1)
                writer.commit()
            shutil.rmtree(old, ignore_errors=True)
            os.rename(self.path, old)
            os.rename(fresh, self.path)
        shutil.rmtree(old, ignore_errors=True)

    def count(self):
        index = self._reader()
        return index.searcher().num_docs if index else None

    def describe(self):
        size = folder_size(self.path) / 1e6
        return f"tantivy {self.path} ({size:.1f} MB, {self.count() or 0} documents)"

    def __str__(self):
        return f"tantivy {self.path}"


def _existing(path: Path) -> tantivy.Index:
    """The index in this folder, never a new one (see IndexMissing)."""
    if not (path / "meta.json").exists():
        raise IndexMissing(f"no search index in {path}: build it with manage.py reindex")
    # Index(SCHEMA, path) would create one if the folder emptied meanwhile; open() cannot.
    return tantivy.Index.open(str(path))


@contextmanager
def _writer(folder: Path, *, create=False, threads=1) -> Iterator[tantivy.IndexWriter]:
    """A writer of the index in `folder` (made there if `create`), ended however the block
    ends; what it did not commit is dropped.

    tantivy holds the writer lock until the writer is consumed. A failed write whose
    traceback is kept (Celery keeps it to retry) would otherwise keep the writer, and the
    lock, for the life of the process: every later update and `reindex` met LockBusy. The
    writer's own `with` block is no help: it commits even when the block fails.
    """
    index = tantivy.Index(SCHEMA, path=str(folder)) if create else _existing(folder)
    try:
        writer = index.writer(_WRITER_HEAP, threads)
    except ValueError as error:
        if "LockBusy" not in str(error):
            raise
        lock = folder / ".tantivy-writer.lock"
        raise IndexBusy(lock, lock_holders(lock)) from error
    try:
        yield writer
    finally:
        writer.wait_merging_threads()


def lock_holders(lock: Path) -> list[int]:
    """The processes holding a lock on this file, as Linux lists them in /proc/locks
    ("3: FLOCK ADVISORY WRITE <pid> <major>:<minor>:<inode> 0 EOF"); none found elsewhere."""
    try:
        stat = lock.stat()
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    file = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    holders = []
    for line in lines:
        fields = line.split()
        # "->" marks a process waiting for the lock, not holding it.
        if len(fields) > 5 and "->" not in fields and fields[5] == file:
            holders.append(int(fields[4]))
    return sorted(set(holders))


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def _all(queries):
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def _phrase(field: str, parts: list[str]):
    """The runs of one query word as a phrase of tokens; see the module docstring for the
    lone characters at its ends."""
    Q = tantivy.Query
    words = [token for run in parts for token in run_tokens(run)]
    if len(words) == 1:
        if is_cjk(words[0]) and len(words[0]) == 1:
            return Q.regex_query(SCHEMA, field, f".?{words[0]}.?")
        return Q.term_query(SCHEMA, field, words[0])
    lone_first = is_cjk(parts[0]) and len(parts[0]) == 1
    lone_last = is_cjk(parts[-1]) and len(parts[-1]) == 1
    # tantivy types the words as list[str | (position, word)]; list is invariant, so copy.
    if not (lone_first or lone_last):
        return Q.phrase_query(SCHEMA, field, list(words))
    patterns: list[str | tuple[int, str]] = [re.escape(w) for w in words]
    if lone_first:
        patterns[0] = f".?{patterns[0]}"
    if lone_last:
        patterns[-1] = f"{patterns[-1]}.?"
    return Q.regex_phrase_query(SCHEMA, field, patterns)


def _document(entry: IndexEntry) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("id", entry.id)
    doc.add_text("title", " ".join(tokens(entry.title + " " + entry.number)))
    doc.add_text("body", " ".join(tokens(entry.body)))
    for key in entry.title_keys:
        doc.add_text("title_key", key)
    doc.add_text("number_key", entry.number_key)
    doc.add_text("status", entry.status)
    doc.add_text("issuer", entry.issuer)
    doc.add_text("kind", entry.kind)
    doc.add_integer("published", _day(entry.published))
    doc.add_integer("year", entry.year)
    doc.add_integer("in_force_from", _day(entry.in_force_from))
    doc.add_integer("in_force_until", _day(entry.in_force_until))
    return doc
