"""Snippets with the matched words marked, for backends that do not make their own.

Words are matched in normalised text (search.chinese), as the index matches them, but the
snippet shows the text as written: full-width punctuation, capitals and all. Where the
normalised text differs from the original, each normalised character is traced back to
the characters it came from.
"""

import bisect
import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.chinese import normalize, word_pattern

BEFORE, WIDTH = 40, 120
_LINE_BREAK = re.compile(r"\s*\n\s*")

_ASTRAL = "\U00010000-\U0010ffff"  # rare in the register: traced one by one


def highlight(title: str, body: str, words: list[str]) -> str:
    """A piece of the body around the first match, or the title, with <mark>s (safe HTML)."""
    patterns = [re.compile(p.pattern, re.I) for p in map(word_pattern, words) if p]
    if not patterns:
        return ""
    start = _first_match(body, patterns)
    if start is None:
        return mark_safe(_mark(title, patterns))
    begin = max(0, start - BEFORE)
    window = _mark(body[begin : begin + WIDTH], patterns)
    more = "…" if begin + WIDTH < len(body) else ""
    return mark_safe(("…" if begin else "") + window.strip() + more)


def _first_match(text: str, patterns) -> int | None:
    """Where in `text` the first match begins."""
    # Most bodies match as they are (the patterns ignore case); normalising a whole body,
    # and more so tracing it back, is the slow part, so it is done only when they do not.
    starts = [m.start() for p in patterns if (m := p.search(text))]
    if starts:
        return min(starts)
    if not any(p.search(normal) for normal in [normalize(text)] for p in patterns):
        return None
    normal, origin = normalized_with_origin(text)
    return min(origin[m.start()][0] for p in patterns if (m := p.search(normal)))


def _spans(text: str, patterns) -> list[tuple[int, int]]:
    """The matches as (start, end) in `text`, found in its normalised form."""
    normal, origin = normalized_with_origin(text)
    return sorted(
        (origin[m.start()][0], origin[m.end() - 1][1]) for p in patterns for m in p.finditer(normal)
    )


class Origin:
    """For each character of a normalised text, the span of the original it comes from:
    stretches that normalised one to one, and pieces normalised together (the whole piece
    for each of its characters)."""

    def __init__(self):
        self.starts: list[int] = []  # where each stretch or piece begins, normalised
        self.pieces: list[tuple[int, int]] = []  # its span in the original
        self.length = 0

    def add(self, length: int, start: int, end: int):
        if length:
            self.starts.append(self.length)
            self.pieces.append((start, end))
            self.length += length

    def _normal_end(self, n: int) -> int:
        return self.starts[n + 1] if n + 1 < len(self.starts) else self.length

    def __getitem__(self, i: int) -> tuple[int, int]:
        n = bisect.bisect_right(self.starts, i) - 1
        start, end = self.pieces[n]
        if end - start == self._normal_end(n) - self.starts[n]:
            at = start + i - self.starts[n]
            return at, at + 1
        return start, end


def normalized_with_origin(text: str) -> tuple[str, Origin]:
    """normalize(text), and the span of `text` each of its characters comes from.

    Nearly every character normalises to one character of its own, in bulk; the others
    (… to ..., a combining mark that joins the letter before it) are normalised with the
    characters they join, and what they become comes from all of them."""
    parts, origin, at = [], Origin(), 0
    for run in _odd_runs().finditer(text):
        parts.append(normalize(text[at : run.start()]))
        origin.add(len(parts[-1]), at, run.start())
        joined = [run.start()] + [
            i for i in range(run.start() + 1, run.end()) if not _joins(text[i])
        ]
        for start, end in zip(joined, joined[1:] + [run.end()], strict=True):
            parts.append(normalize(text[start:end]))
            origin.add(len(parts[-1]), start, end)
        at = run.end()
    parts.append(normalize(text[at:]))
    origin.add(len(parts[-1]), at, len(text))
    return "".join(parts), origin


def _joins(char: str) -> bool:
    """Whether the character, normalised, may join the one before it."""
    first = normalize(char)[:1]
    return bool(first) and bool(
        unicodedata.combining(first)
        or "\u1160" <= first <= "\u11ff"
        or "\ud7b0" <= first <= "\ud7ff"
    )


@functools.cache
def _odd_runs() -> re.Pattern:
    """Runs of the characters that do not normalise to one character of their own, with
    the character before them that they may join (made once, from the Unicode tables)."""
    odd = [
        cp
        for cp in range(0x80, 0x10000)
        if not 0xD800 <= cp <= 0xDFFF and (len(normalize(chr(cp))) != 1 or _joins(chr(cp)))
    ]
    ranges, first = [], odd[0]
    for previous, cp in zip(odd, odd[1:] + [None], strict=True):
        if cp != previous + 1:
            ranges.append(f"{re.escape(chr(first))}-{re.escape(chr(previous))}")
            first = cp
    return re.compile(f"(?s:.)?[{''.join(ranges)}{_ASTRAL}]+")


def _mark(text: str, patterns) -> str:
    """The text as written, each line break as a space, the matches in <mark>."""
    out, at = [], 0
    for start, end in _spans(text, patterns):
        if start < at:
            continue
        out += [_plain(text[at:start]), "<mark>", _plain(text[start:end]), "</mark>"]
        at = end
    out.append(_plain(text[at:]))
    return "".join(out)


def _plain(text: str) -> str:
    return escape(_LINE_BREAK.sub(" ", text))
