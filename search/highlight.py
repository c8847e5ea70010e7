"""Snippets with the matched words marked, for backends that do not make their own."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.chinese import normalize, word_pattern

BEFORE, WIDTH = 40, 120


def highlight(title: str, body: str, words: list[str]) -> str:
    """A piece of the body around the first match, or the title, with <mark>s (safe HTML).

    The snippet is shown normalised (full-width digits half-width), as it was matched.
    """
    patterns = [re.compile(p.pattern, re.I) for p in map(word_pattern, words) if p]
    if not patterns:
        return ""
    # Most bodies match as they are; normalising a whole body is the slow part, so it is
    # done only when the plain text has no match (full-width digits or letters).
    for text in (body, None):
        text = body if text is not None else normalize(body)
        starts = [m.start() for p in patterns if (m := p.search(text))]
        if starts:
            begin = max(0, min(starts) - BEFORE)
            window = " ".join(normalize(text[begin : begin + WIDTH]).split())
            more = "…" if begin + WIDTH < len(text) else ""
            return mark_safe(("…" if begin else "") + _mark(window, patterns) + more)
    return mark_safe(_mark(normalize(title), patterns))


def _mark(text: str, patterns) -> str:
    spans = sorted(m.span() for p in patterns for m in p.finditer(text))
    out, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        out += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    out.append(escape(text[at:]))
    return "".join(out)
