"""Comparison of two versions of a draft, aligned by article.

Articles are matched by content, not by number: inserting one article renumbers all that
follow, and that must read as one insertion. Within a changed article the diff is by
token: Chinese has no spaces between words, so each Chinese character is one, but a number,
a year or a Latin word is one whole token (60 changed to 70 reads as 60 deleted and 70
inserted, not as 6 changed to 7 before an unchanged 0).

The counts (characters added and deleted, articles changed) are computed here once; the
page and the Word redline both read them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .articles import parse_outline

# Below this similarity an edited article reads better as deleted plus inserted.
MODIFIED_RATIO = 0.5
# At or above this similarity an article found elsewhere is the same article, moved.
MOVED_RATIO = 0.9
# How far from the diagonal of a changed block to look for an article's edited version.
PAIR_WINDOW = 8
# Bounds the fuzzy search for moved articles when a draft is rewritten wholesale.
MAX_MOVE_CANDIDATES = 40000
# A pair whose share of common bigrams is below this fraction of the wanted similarity is
# not compared character by character (see _similarity).
BIGRAM_SHARE = 0.5
WHITESPACE = re.compile(r"\s+")
_DIGIT = "0-9０-９"
_LATIN = "A-Za-zＡ-Ｚａ-ｚ"
# A year with its 年, a number (thousands, decimals, per cent), a Latin word (with digits
# after its first letter: ISO9001), a run of spaces, or any other single character.
TOKEN = re.compile(
    rf"[{_DIGIT}]{{4}}年"
    rf"|[{_DIGIT}]+(?:,[0-9]{{3}})*(?:[.．][{_DIGIT}]+)?[%％‰]?"
    rf"|[{_LATIN}][{_LATIN}{_DIGIT}]*(?:['’-][{_LATIN}]+)*"
    r"|\s+|.",
    re.DOTALL,
)


STATUSES = ("inserted", "deleted", "modified", "moved", "unchanged")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal" | "insert" | "delete"
    text: str


@dataclass(frozen=True)
class ArticleChange:
    """One unit (an article, a section or a paragraph outside them) in both versions."""

    old_label: str | None
    new_label: str | None
    status: str  # "unchanged" | "modified" | "inserted" | "deleted" | "moved"
    segments: list[Segment]
    old_text: str | None
    new_text: str | None

    @property
    def renumbered(self) -> bool:
        return bool(self.old_label and self.new_label and self.old_label != self.new_label)

    @property
    def inserted_chars(self) -> int:
        return sum(_chars(s.text) for s in self.segments if s.op == "insert")

    @property
    def deleted_chars(self) -> int:
        return sum(_chars(s.text) for s in self.segments if s.op == "delete")


def _chars(text: str) -> int:
    """Characters as a reader counts them (字): line breaks and spaces are none."""
    return len(WHITESPACE.sub("", text))


@dataclass(frozen=True)
class Comparison:
    changes: list[ArticleChange]
    unit: str  # "article" | "section" | "paragraph"

    @cached_property
    def inserted_chars(self) -> int:
        return sum(c.inserted_chars for c in self.changes)

    @cached_property
    def deleted_chars(self) -> int:
        return sum(c.deleted_chars for c in self.changes)

    @cached_property
    def articles(self) -> list[ArticleChange]:
        """The units the article counts are about: articles (or 一、 sections), not the title
        or the 章/节 headings between them; every paragraph when there are neither."""
        if self.unit == "paragraph":
            return list(self.changes)
        return [c for c in self.changes if c.old_label or c.new_label]

    @cached_property
    def status_counts(self) -> dict[str, int]:
        """How many articles were inserted, deleted, modified, moved or left unchanged."""
        counts = dict.fromkeys(STATUSES, 0)
        for change in self.articles:
            counts[change.status] += 1
        return counts

    @property
    def changed_articles(self) -> int:
        return len(self.articles) - self.status_counts["unchanged"]

    @cached_property
    def anchors(self) -> dict[int, str]:
        """The page's anchor of each changed unit (articles, title and headings alike), by
        its index in ``changes``: change-1, change-2, … in reading order."""
        changed = (k for k, c in enumerate(self.changes) if c.status != "unchanged")
        return {k: f"change-{n}" for n, k in enumerate(changed, 1)}

    @property
    def other_changes(self) -> int:
        """Changed lines outside the articles: the title, 章/节 headings."""
        return len(self.anchors) - self.changed_articles


@dataclass(frozen=True)
class _Unit:
    label: str | None
    text: str  # as written, label included
    body: str  # the lines after the label, each stripped
    key: str  # the body without any whitespace: what matching compares

    @cached_property
    def bigrams(self) -> frozenset[str]:
        return frozenset(self.key[k : k + 2] for k in range(len(self.key) - 1))


@dataclass(frozen=True)
class SideBySideRow:
    anchor: str | None  # the id of a changed row
    status: str
    old_label: str | None
    new_label: str | None
    old_html: SafeString
    new_html: SafeString

    @property
    def status_name(self) -> str:
        return status_names()[self.status]


def compare_texts(old: str, new: str) -> Comparison:
    """Align two versions unit by unit and diff the changed units token by token."""
    old_outline, new_outline = parse_outline(old), parse_outline(new)
    unit = old_outline.unit if old_outline.unit == new_outline.unit else "paragraph"
    if unit == "none":
        unit = "paragraph"
    old_units = _units(old, old_outline if unit != "paragraph" else [])
    new_units = _units(new, new_outline if unit != "paragraph" else [])
    pairs = _align(old_units, new_units)
    return Comparison(changes=[_change(old_units, new_units, *p) for p in pairs], unit=unit)


def _units(text: str, outline: list) -> list[_Unit]:
    """The outline's articles, and every other non-empty line as a unit of its own."""
    units: list[_Unit] = []
    position = 0
    for article in [*outline, None]:
        stop = article.start if article is not None else len(text)
        for line in text[position:stop].split("\n"):
            line = line.strip()
            if line:
                units.append(_Unit(None, line, line, WHITESPACE.sub("", line)))
        if article is None:
            break
        body = "\n".join(s for s in (x.strip() for x in article.body.split("\n")) if s)
        units.append(_Unit(article.label, article.text, body, WHITESPACE.sub("", body)))
        position = article.end
    return units


def _align(old: list[_Unit], new: list[_Unit]) -> list[tuple[int | None, int | None, str]]:
    """(old index, new index, status) for every unit, in reading order of the new version."""
    matcher = SequenceMatcher(None, [u.key for u in old], [u.key for u in new], autojunk=False)
    pairs: list[tuple[int | None, int | None, str]] = []
    blocks: list[tuple[list[int], list[int]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs.extend(
                (i, j, "unchanged") for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
        else:
            blocks.append((list(range(i1, i2)), list(range(j1, j2))))

    # An identical article in another block was moved; an article's edited version lies
    # in the same block, near the same position.
    left_old = {i for olds, _news in blocks for i in olds}
    left_new = {j for _olds, news in blocks for j in news}
    by_key: dict[str, list[int]] = {}
    for j in sorted(left_new):
        by_key.setdefault(new[j].key, []).append(j)
    for i in sorted(left_old):
        candidates = by_key.get(old[i].key)
        if candidates:
            j = candidates.pop(0)
            pairs.append((i, j, "moved"))
            left_old.discard(i)
            left_new.discard(j)
    for olds, news in blocks:
        olds = [i for i in olds if i in left_old]
        news = [j for j in news if j in left_new]
        for i, j in _pair_in_block(old, new, olds, news):
            pairs.append((i, j, "modified"))
            left_old.discard(i)
            left_new.discard(j)
    for i, j in _pair_moved(old, new, sorted(left_old), sorted(left_new)):
        pairs.append((i, j, "moved"))
        left_old.discard(i)
        left_new.discard(j)
    pairs.extend((None, j, "inserted") for j in left_new)
    pairs.extend((i, None, "deleted") for i in left_old)
    return sorted(pairs, key=_reading_order(pairs))


def _reading_order(pairs):
    """Sort key: units by their new position; a deleted unit right after its old predecessor."""
    # A moved unit is no landmark: what was deleted beside it stays where it was.
    anchored = {i: j for i, j, status in pairs if status in ("unchanged", "modified")}
    anchors = sorted(anchored)

    def key(pair):
        i, j, _status = pair
        if j is not None:
            return (j, 0, 0)
        k = bisect.bisect_left(anchors, i)
        return (anchored[anchors[k - 1]] if k else -1, 1, i)

    return key


def _similarity(a: _Unit, b: _Unit, floor: float) -> float:
    """SequenceMatcher's ratio, or 0 when cheap bounds show it cannot reach `floor`."""
    total = len(a.key) + len(b.key)
    if not total or 2 * min(len(a.key), len(b.key)) < floor * total:
        return 0.0
    # Shared bigrams: texts from one document share most characters, so the character-count
    # bound (quick_ratio) rarely prunes; unrelated articles share few bigrams.
    grams = len(a.bigrams) + len(b.bigrams)
    if grams and 2 * len(a.bigrams & b.bigrams) < BIGRAM_SHARE * floor * grams:
        return 0.0
    return SequenceMatcher(None, a.key, b.key, autojunk=False).ratio()


def _pair_in_block(old, new, olds: list[int], news: list[int]) -> list[tuple[int, int]]:
    """Pairs of edited units in one changed block, best first, keeping their order."""
    scored = []
    for a, i in enumerate(olds):
        # Where i would sit if the block were stretched evenly over the new side.
        centre = a * len(news) // max(len(olds), 1)
        for j in news[max(0, centre - PAIR_WINDOW) : centre + PAIR_WINDOW + 1]:
            ratio = _similarity(old[i], new[j], MODIFIED_RATIO)
            if ratio >= MODIFIED_RATIO:
                scored.append((ratio, i, j))
    chosen: list[tuple[int, int]] = []
    for _ratio, i, j in sorted(scored, reverse=True):
        if all((i < ci) == (j < cj) and i != ci and j != cj for ci, cj in chosen):
            chosen.append((i, j))
    return chosen


def _pair_moved(old, new, olds: list[int], news: list[int]) -> list[tuple[int, int]]:
    """Edited units found at another position: moved, if they are still nearly the same."""
    if len(olds) * len(news) > MAX_MOVE_CANDIDATES:
        return []
    scored = []
    for j in news:
        for i in olds:
            ratio = _similarity(old[i], new[j], MOVED_RATIO)
            if ratio >= MOVED_RATIO:
                scored.append((ratio, i, j))
    chosen: list[tuple[int, int]] = []
    used_old, used_new = set(), set()
    for _ratio, i, j in sorted(scored, reverse=True):
        if i not in used_old and j not in used_new:
            chosen.append((i, j))
            used_old.add(i)
            used_new.add(j)
    return chosen


def _change(
    old: list[_Unit], new: list[_Unit], i: int | None, j: int | None, status: str
) -> ArticleChange:
    before = old[i] if i is not None else None
    after = new[j] if j is not None else None
    if before is None:
        if after is None:
            raise ValueError("A change needs an old or a new unit.")
        segments = [Segment("insert", after.body)]
    elif after is None:
        segments = [Segment("delete", before.body)]
    elif before.key == after.key:
        segments = [Segment("equal", after.body)]
    else:
        segments = diff_tokens(before.body, after.body)
    return ArticleChange(
        old_label=before.label if before else None,
        new_label=after.label if after else None,
        status=status,
        segments=segments,
        old_text=before.text if before else None,
        new_text=after.text if after else None,
    )


def tokens(text: str) -> list[str]:
    """The text cut into the tokens the diff compares (see TOKEN)."""
    return TOKEN.findall(text)


def diff_tokens(old: str, new: str) -> list[Segment]:
    """A token diff, with one- or two-token coincidences folded into the change.

    A rewritten clause shares many single characters (的, 应, 当) with the old one; left
    as matches they cut the change into unreadable shreds.
    """
    a, b = tokens(old), tokens(new)
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    segments: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        for op, pieces in (("delete", deleted), ("insert", inserted)):
            if "".join(pieces):
                segments.append(Segment(op, "".join(pieces)))
        deleted.clear()
        inserted.clear()

    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            interior = 0 < index < len(opcodes) - 1
            if interior and i2 - i1 <= _fold_limit(opcodes[index - 1], opcodes[index + 1]):
                deleted.extend(a[i1:i2])
                inserted.extend(b[j1:j2])
                continue
            flush()
            segments.append(Segment("equal", "".join(a[i1:i2])))
        else:
            deleted.extend(a[i1:i2])
            inserted.extend(b[j1:j2])
    flush()
    return segments


def _fold_limit(before, after) -> int:
    """The longest match worth folding between two changes: 2 tokens, or a quarter of the
    smaller change."""
    sizes = [max(o[2] - o[1], o[4] - o[3]) for o in (before, after)]
    return max(2, min(sizes) // 4)


def _label(change: ArticleChange) -> str:
    if change.status == "moved" and change.renumbered:
        return _("%(new)s（由原%(old)s移来）") % {"new": change.new_label, "old": change.old_label}
    if change.renumbered:
        return _("%(new)s（原%(old)s）") % {"new": change.new_label, "old": change.old_label}
    if change.status == "deleted" and change.old_label:
        # The number is the old version's: 原第三条 above the new 第三条 that follows.
        return _("原%(old)s") % {"old": change.old_label}
    return change.new_label or change.old_label or ""


def status_names() -> dict[str, str]:
    """The tag of a changed unit."""
    return {
        "inserted": _("新增内容"),
        "deleted": _("删除内容"),
        "modified": _("修改内容"),
        "moved": _("移动位置"),
    }


def _segments_html(segments: list[Segment], ops: set[str]) -> SafeString:
    """The segments as HTML; a screen reader hears where each insertion and deletion
    starts and ends (CSS generated content is not read reliably)."""
    marks = {
        "insert": ("ins", _("插入开始"), _("插入结束")),
        "delete": ("del", _("删除开始"), _("删除结束")),
    }
    html = []
    for segment in segments:
        if segment.op not in ops:
            continue
        text = escape(segment.text).replace("\n", "<br>")
        if segment.op in marks:
            tag, start, end = marks[segment.op]
            text = (
                f'<{tag}><span class="visually-hidden">{start} </span>{text}'
                f'<span class="visually-hidden"> {end}</span></{tag}>'
            )
        html.append(text)
    return mark_safe("".join(html))


def _shown(comparison: Comparison, changed_only: bool):
    """(anchor or None, change) for each unit shown: all, or only the changed ones."""
    for k, change in enumerate(comparison.changes):
        anchor = comparison.anchors.get(k)
        if anchor or not changed_only:
            yield anchor, change


def render_inline_html(comparison: Comparison, changed_only: bool = False) -> SafeString:
    """The new version with insertions in <ins> and deletions in <del>, one block per unit;
    each changed unit has its anchor as id and its status as a tag."""
    names = status_names()
    blocks = []
    for anchor, change in _shown(comparison, changed_only):
        label = _label(change)
        head = f'<span class="diff-label">{escape(label)}</span> ' if label else ""
        body = _segments_html(change.segments, {"equal", "insert", "delete"})
        if anchor:
            tag = f' <span class="tag diff-tag">{escape(names[change.status])}</span>'
            blocks.append(
                f'<div class="diff-unit diff-{change.status}" id="{anchor}" tabindex="-1">'
                f"{head}{body}{tag}</div>"
            )
        else:
            blocks.append(f'<div class="diff-unit diff-{change.status}">{head}{body}</div>')
    return mark_safe("\n".join(blocks))


def render_side_by_side_rows(
    comparison: Comparison, changed_only: bool = False
) -> list[SideBySideRow]:
    """One row per unit: the old text with its deletions, the new with its insertions."""
    return [
        SideBySideRow(
            anchor=anchor,
            status=change.status,
            old_label=change.old_label,
            new_label=change.new_label,
            old_html=_segments_html(change.segments, {"equal", "delete"})
            if change.old_text is not None
            else mark_safe(""),
            new_html=_segments_html(change.segments, {"equal", "insert"})
            if change.new_text is not None
            else mark_safe(""),
        )
        for anchor, change in _shown(comparison, changed_only)
    ]
