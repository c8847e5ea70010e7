"""The one interface both search backends answer: what is asked and what comes back."""

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from search.numbers import looks_like_number, number_key

FACETS = ("status", "issuer", "kind")
MAX_WINDOW = 10_000  # how deep pagination may go (Elasticsearch's max_result_window)
NATIONAL_PREFIX = "中华人民共和国"


class SearchUnavailable(Exception):
    """The search server does not answer; the register itself still works."""


class IndexMissing(SearchUnavailable):
    """No index has been built where one is expected. Only an explicit build (`reindex`)
    makes one: an update that made one would leave an index of a single document passing
    for the whole register."""


# A relaxed query asks for documents holding at least this share of the query's distinct
# tokens (bigrams, Latin or digit words): the same on every engine.
RELAXED_SHARE = 0.6


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked; dates and years already checked by search.forms."""

    text: str = ""
    status: tuple[str, ...] = ()
    issuer: str = ""
    kind: str = ""
    year_from: int | None = None
    year_to: int | None = None
    in_force_on: date | None = None
    public: bool = False  # only documents already published (Art. 23, 25)
    hidden: tuple[int, ...] = ()  # entries this user may not see (Document.objects.hidden_from)
    sort: str = "relevance"  # or "date": newest publication first
    # Strict: every word as a phrase. Relaxed: documents sharing most of the query's
    # character bigrams, asked when the strict query finds few or none.
    relaxed: bool = False
    page: int = 1
    page_size: int = 20
    today: date = field(default_factory=timezone.localdate)

    @property
    def words(self) -> list[str]:
        """Whitespace separates words that must all occur; each word is matched as a phrase."""
        return unicodedata.normalize("NFKC", self.text).lower().split()

    @property
    def number(self) -> str:
        """The canonical document number when the whole query is one, else ""."""
        return number_key(self.text) if looks_like_number(self.text) else ""

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass
class Found:
    """One hit as a backend reports it: the document id and, if the backend makes one, a
    highlighted snippet (safe HTML)."""

    id: int
    highlight: str | None = None


@dataclass
class FoundSet:
    total: int
    found: list[Found]
    facets: dict[str, dict[str, int]]


@dataclass(frozen=True)
class IndexEntry:
    """What the index holds of one register document."""

    id: int
    title: str
    title_keys: tuple[str, ...]
    number: str
    number_key: str
    issuer: str
    kind: str
    status: str
    published: date | None
    in_force_from: date
    in_force_until: date
    body: str

    @classmethod
    def of(cls, document) -> "IndexEntry":
        start, end = document.in_force_span()
        return cls(
            id=document.pk,
            title=document.title,
            title_keys=title_keys(document.title),
            number=document.number,
            number_key=document.number_key,
            issuer=document.issuer,
            kind=document.kind,
            status=document.status,
            published=document.published_on,
            in_force_from=start,
            in_force_until=end,
            body=document.text,
        )

    @property
    def year(self) -> int:
        return self.published.year if self.published else 0


def title_keys(title: str) -> tuple[str, ...]:
    """The spellings of a title that count as typing it in full: with and without
    中华人民共和国, as people cite national laws both ways."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", title)).lower()
    if key.startswith(NATIONAL_PREFIX) and len(key) > len(NATIONAL_PREFIX):
        return key, key[len(NATIONAL_PREFIX) :]
    return (key,)


def query_title_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


Progress = Callable[[int], None]


class SearchBackend(ABC):
    """An index of register documents. Writes are idempotent: indexing an entry twice
    leaves one copy, deleting a missing id does nothing."""

    @abstractmethod
    def search(self, query: SearchQuery) -> FoundSet: ...

    @abstractmethod
    def upsert(self, entries: Iterable[IndexEntry]) -> None: ...

    @abstractmethod
    def delete(self, ids: Iterable[int]) -> None: ...

    @abstractmethod
    def rebuild(self, entries: Iterable[IndexEntry], progress: Progress | None = None) -> None:
        """Replace the whole index; searches see the old one until the new one is complete."""

    def refresh(self) -> None:  # noqa: B027 - a backend whose writes are visible at once needs nothing
        """Make every write so far visible to searches now, rather than within a second."""

    @abstractmethod
    def count(self) -> int | None:
        """How many documents the index holds; None when there is no index."""

    @abstractmethod
    def describe(self) -> str:
        """Where the index lives and how big it is, for the reindex command and benchmarks."""
