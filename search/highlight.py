"""Snippets with the matched words marked, for backends that do not make their own.

Words are matched in normalised text (search.chinese), as the index matches them, but the
snippet shows the text as written: full-width punctuation, capitals and all. Where the
normalised text differs from the original, each normalised character is traced back to
the characters it came from. A law is marked in whichever spelling the text uses, with or
without 中华人民共和国 (search.names); a partial match marks the longest pieces of the
words that the text holds, and is cut around the longest.
"""

import bisect
import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.chinese import is_cjk, normalize, runs, word_pattern
from search.names import variants, without_prefix

BEFORE, WIDTH = 40, 120
_LINE_BREAK = re.compile(r"\s*\n\s*")

_ASTRAL = "\U00010000-\U0010ffff"  # rare in the register: traced one by one


def highlight(title: str, body: str, words: list[str], *, relaxed=False) -> str:
    """A piece of the body around the first match, or the title, with <mark>s (safe HTML)."""
    if relaxed:
        # 中华人民共和国, in nearly every citation of a national law, would mark nothing telling.
        words = [without_prefix(word) for word in words]
        words = held_pieces(body, words) or held_pieces(title, words)
    else:
        words = [spelling for word in words for spelling in variants(word)]
    patterns = [re.compile(p.pattern, re.I) for p in map(word_pattern, words) if p]
    if not patterns:
        return ""
    start = _first_match(body, patterns[:1] if relaxed else patterns)
    if start is None:
        return mark_safe(_mark(title, patterns))
    begin = max(0, start - BEFORE)
    window = _mark(body[begin : begin + WIDTH], patterns)
    more = "…" if begin + WIDTH < len(body) else ""
    return mark_safe(("…" if begin else "") + window.strip() + more)


def held_pieces(text: str, words: list[str]) -> list[str]:
    """The longest pieces (two characters or more) of the words' runs that occur in the
    text, longest first."""
    parts = [run for word in words for run in runs(word)]
    # As in _first_match, the whole text is normalised only when needed: when it holds no
    # piece as written, or for Latin letters and digits, which it may write full-width.
    pieces = _pieces(text, parts)
    if not pieces or not all(map(is_cjk, parts)):
        pieces = _pieces(normalize(text), parts)
    return pieces


def _pieces(text: str, parts: list[str]) -> list[str]:
    pieces = set()
    for run in parts:
        if not is_cjk(run):
            # Latin letters and digits: whole words only.
            pieces |= {run} if len(run) > 1 and run in text else set()
            continue
        at = 0
        while at < len(run) - 1:
            # Grown a character at a time: every test scans the text.
            end = at + 2
            while end <= len(run) and run[at:end] in text:
                end += 1
            if end > at + 2:
                pieces.add(run[at : end - 1])
                at = end - 1
            else:
                at += 1
    return sorted(pieces, key=len, reverse=True)


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
    # The longest of the matches that begin together is marked.
    return sorted(
        (
            (origin[m.start()][0], origin[m.end() - 1][1])
            for p in patterns
            for m in p.finditer(normal)
        ),
        key=lambda span: (span[0], -span[1]),
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
