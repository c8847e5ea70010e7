"""Recall: do laws named as people write them, shortened or in pieces, find their document?

    .venv/bin/python benchmarks/recall.py [--sample 200] [--seed 2026]

Imports the laws corpus into a temporary register and builds known-item queries, each for
one document, from the corpus's SQLite catalogues (the names people give the laws) and the
titles imported from its files:

- full title: the catalogue's name of the document (公司法, 河南省实施《矿山安全法》办法);
- without 中华人民共和国: a title that holds it, with it left out everywhere;
- short name inside: a title citing 《中华人民共和国X》, with 《X》 written instead;
- a word left out: a title with one of its inner words cut out;
- two-word fragments: two words of a title, in its order, a space between.

Words are cut from titles at their usual joints (after the place, around 关于, 的 and
中华人民共和国, before 管理, 实施 and the kind of document: 条例, 办法…). The word left out
is never the title's subject (its longest word that is not one of nearly every title: 关于,
管理, 条例…), as people forget qualifiers, not what the law is about; fragments are two
words that are not of nearly every title either, a cited law written as people type it
(义务教育法 for 《中华人民共和国义务教育法》). Each query is asked strictly (the backend
alone: every word as a phrase) and as the register search answers it (strict, then the
relaxed query when the strict one finds fewer than RELAXED_BELOW documents), and where the
document ranked is counted. "empty" counts queries answered with nothing at all. The last
table shows what other thresholds would have given.
"""

import argparse
import io
import itertools
import random
import re
import shutil
import sqlite3
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import LAWS, django_in, machine, percentile, search_engines, size_mb, temp_folder

PREFIX = "中华人民共和国"
KINDS = "条例|办法|规定|决定|解释|细则|意见|通知|规则|批复|决议|法"
_JOINTS = re.compile(
    r"(?<=^.[省市县])|(?<=^..[省市县])|(?<=^...[省市县])|"
    rf"(?={PREFIX})|(?<={PREFIX})|(?=关于)|(?<=关于)|(?<=的)"
    r"|(?=管理)|(?=实施)|(?=若干)|(?=暂行)"
)
_KIND = re.compile(rf"(?:{KINDS})$")
# Words of nearly every title: no one looks a law up by them.
_GENERIC = re.compile(rf"{PREFIX}|关于|的|管理|实施|暂行|若干.*|(?:实施)?(?:{KINDS})")
_RUNS = re.compile(r"《[^》]*》|[\u4e00-\u9fff]+")
THRESHOLDS = (1, 3, 5)


def catalogue_names():
    """{file path relative to the corpus: the catalogue's name of it}, court cases left out."""
    names = {}
    for catalogue in sorted(LAWS.rglob("db.sqlite3")):
        with sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True) as db:
            folders = dict(db.execute("SELECT id, folder FROM category"))
            rows = db.execute("SELECT name, filename, publish, category_id FROM law").fetchall()
        for name, filename, publish, category in rows:
            folder = catalogue.parent / folders.get(category, "")
            if "案例" in folder.relative_to(LAWS).parts:
                continue
            stem = filename or name
            for file in (folder / f"{stem}({publish}).md", folder / f"{stem}.md"):
                if file.exists():
                    names.setdefault(str(file.relative_to(LAWS)), name)
                    break
    return names


def words(title: str) -> list[tuple[int, int]]:
    """Spans of the title's words: a cited name in 《》 whole, other runs cut at joints."""
    spans = []
    for run in _RUNS.finditer(title):
        if run[0].startswith("《"):
            spans.append(run.span())
            continue
        kind = _KIND.search(run[0])
        cuts = sorted(
            {0, len(run[0]), *(m.start() for m in _JOINTS.finditer(run[0]))}
            | ({kind.start()} if kind else set())
        )
        spans += [
            (run.start() + a, run.start() + b) for a, b in itertools.pairwise(cuts) if b - a >= 2
        ]
    return spans


def known_items(rng: random.Random, size: int):
    """{category: [(query, document id)]}, each category sampled from the documents it fits."""
    from search.models import DocumentVersion

    names = catalogue_names()
    by_path = dict(
        DocumentVersion.objects.filter(source__in=names).values_list("source", "document_id")
    )
    titles = dict(
        DocumentVersion.objects.filter(source__in=names).values_list(
            "document_id", "document__title"
        )
    )
    people = {}
    for path, name in sorted(names.items()):
        if path in by_path:
            people.setdefault(by_path[path], name)
    candidates = {
        "full title": [(name, pk) for pk, name in people.items()],
        "without 中华人民共和国": [
            (title.replace(PREFIX, ""), pk) for pk, title in titles.items() if PREFIX in title
        ],
        "short name inside": [
            (title.replace("《" + PREFIX, "《"), pk)
            for pk, title in titles.items()
            if "《" + PREFIX in title
        ],
        "a word left out": [],
        "two-word fragments": [],
    }
    for pk, title in sorted(titles.items()):
        spans = words(title)
        telling = [(a, b) for a, b in spans if not _GENERIC.fullmatch(title[a:b])]
        # Not the place before it: 泰安市 in 泰安市供热条例.
        subject = max(telling[1:] or telling, key=lambda span: span[1] - span[0], default=None)
        inner = [span for span in spans[1:-1] if span != subject and title[span[0]] != "《"]
        if inner:
            a, b = rng.choice(inner)
            candidates["a word left out"].append((title[:a] + title[b:], pk))
        if len(telling) >= 2:
            # As typed: a cited law without its brackets or 中华人民共和国.
            pair = [title[a:b].strip("《》").replace(PREFIX, "") for a, b in rng.sample(telling, 2)]
            candidates["two-word fragments"].append((" ".join(sorted(pair, key=title.find)), pk))
    return {
        category: rng.sample(sorted(items), min(size, len(items)))
        for category, items in candidates.items()
    }


def ask(text: str):
    """Ranks of the first ten ids: strict alone, the shipped search, and the parts needed
    to tell what other thresholds would give; with the shipped search's time."""
    from search.backends import SearchQuery, get_backend, search

    backend = get_backend()
    query = SearchQuery(text=text, page_size=10)
    strict = backend.search(query)
    strict_ids = [f.id for f in strict.found]
    relaxed_ids = []
    if strict.total < max(THRESHOLDS):
        relaxed = backend.search(replace(query, relaxed=True, hidden=tuple(strict_ids)))
        relaxed_ids = [f.id for f in relaxed.found]
    started = time.perf_counter()
    shipped = [hit.document.pk for hit in search(query).hits]
    took = time.perf_counter() - started
    return strict.total, strict_ids, relaxed_ids, shipped, took


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=200, help="queries per category")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    folder = temp_folder("recall")
    django_in(folder)
    from django.conf import settings
    from django.core.management import call_command

    from search.backends import RELAXED_BELOW
    from search.importing import import_register
    from search.models import Document

    import_register(LAWS)
    call_command("reindex", verbosity=0, skip_checks=True, stdout=io.StringIO())
    samples = known_items(random.Random(args.seed), args.sample)
    print(f"Machine: {machine()}; {search_engines()}")
    print(
        f"Laws corpus: {Document.objects.count():,} documents, index "
        f"{size_mb(settings.SEARCH_INDEX_PATH):.0f} MB; up to {args.sample} queries per "
        f"category, seed {args.seed}; relaxed query asked below {RELAXED_BELOW} strict hits.\n"
    )
    print(
        "| queries | n | target | strict: found | strict: empty "
        "| strict + relaxed: found | strict + relaxed: empty | p50 / p95 ms |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    alternatives, misses = {}, {}
    for category, items in samples.items():
        top = 10 if category == "two-word fragments" else 3
        target = 99 if category == "full title" else 95
        found = {"strict": 0, "shipped": 0, **dict.fromkeys(THRESHOLDS, 0)}
        empty = {"strict": 0, "shipped": 0}
        times = []
        for text, pk in items:
            total, strict, relaxed, shipped, took = ask(text)
            times.append(took * 1000)
            found["strict"] += pk in strict[:top]
            found["shipped"] += pk in shipped[:top]
            empty["strict"] += not strict
            empty["shipped"] += not shipped
            for t in THRESHOLDS:
                found[t] += pk in (strict + relaxed if total < t else strict)[:top]
            if pk not in shipped[:top]:
                misses.setdefault(category, []).append(text)
        n = len(items)
        alternatives[category] = (n, top, [found[t] for t in THRESHOLDS])

        def share(count, n=n):
            return f"{count} ({100 * count / n:.1f} %)"

        print(
            f"| {category} | {n} | top {top} ≥ {target} % | {share(found['strict'])} "
            f"| {empty['strict']} | **{share(found['shipped'])}** | {empty['shipped']} "
            f"| {statistics.median(times):.1f} / {percentile(times, 95):.1f} |"
        )
    print("\nThe relaxed query asked when the strict one finds fewer than t documents:\n")
    print("| queries | " + " | ".join(f"t = {t}" for t in THRESHOLDS) + " |")
    print("| --- |" + " --- |" * len(THRESHOLDS))
    for category, (n, top, counts) in alternatives.items():
        print(f"| {category} (top {top}) | " + " | ".join(f"{c} / {n}" for c in counts) + " |")
    for category, texts in misses.items():
        print(f"\nMissed, {category}: " + "; ".join(texts[:8]))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
