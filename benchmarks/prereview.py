"""Precision and recall of the pre-review on the labelled corpus drafts, and its time.

    DJANGO_DEBUG=true .venv/bin/python benchmarks/prereview.py [--runs N]

Builds a throw-away register from the whole laws corpus (../shared/corpus/laws, about a
minute), reads the drafts listed in prereview/citations.json from
../shared/corpus/policies/, and compares `search.prereview.prereview` with the labels:
citations (prereview/citations.json, rules in RULES-citations.md) and the Art. 7 flags
(prereview/articles.json, rules in RULES-flags.md). The statuses are those of the day the
labels name. The time is that of a 50,000-character draft made of the labelled drafts,
register lookups and Art. 7 flags included; the target is under 1 s.
"""

import argparse
import io
import json
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LAWS, ROOT, django_in, machine, temp_folder

HERE = ROOT / "benchmarks" / "prereview"
POLICIES = ROOT.parent / "shared" / "corpus" / "policies"
CHARS = 50_000


def read_text(name: str) -> str:
    from review.extract import extract_text
    from review.ingest import KINDS, inspect_upload

    path = POLICIES / name
    ingested = inspect_upload(path.read_bytes(), path.name, max_bytes=50_000_000, allow=set(KINDS))
    return extract_text(ingested.docx).text


def key(row):
    return (row["cited"].replace("\n", ""), row["article"])


def ratio(a, b):
    return f"{100 * a / b:5.1f} %" if b else "   — "


def citations(labels, texts, on, register):
    from search.citations import STATUSES
    from search.prereview import prereview

    found = labelled = predicted = 0
    tp, fp, fn = Counter(), Counter(), Counter()
    in_register = right = 0
    misses = []
    for name, doc in labels["documents"].items():
        drafted = date.fromisoformat(doc["drafted_on"]) if doc["drafted_on"] else None
        title = Path(name).stem
        result = prereview(texts[name], on=on, drafted_on=drafted, title=title, register=register)
        got = list(result["citations"])
        labelled += len(doc["citations"])
        predicted += len(got)
        for row in doc["citations"]:
            match = next((g for g in got if key(g) == key(row)), None)
            if match is None:
                fn[row["status"]] += 1
                misses.append(f"  missed in {name}: {row['text']}")
                continue
            got.remove(match)
            found += 1
            if match["status"] == row["status"]:
                tp[row["status"]] += 1
            else:
                fn[row["status"]] += 1
                fp[match["status"]] += 1
                misses.append(
                    f"  {name}: {row['text']} is {row['status']}, read as {match['status']}"
                )
            if row["register_title"]:
                in_register += 1
                right += (
                    match["title"] == row["register_title"] and match["status"] == row["status"]
                )
        for extra in got:
            fp[extra["status"]] += 1
            misses.append(f"  not a citation in {name}: {extra['text']}")
    print(f"Citations: {labelled} labelled in {len(labels['documents'])} documents")
    print(f"  found (recall)            {ratio(found, labelled)}   ({found}/{labelled})")
    print(f"  found (precision)         {ratio(found, predicted)}   ({found}/{predicted})")
    print(
        f"  in the register: right document and status {ratio(right, in_register)} "
        f"({right}/{in_register})"
    )
    print()
    print(f"  {'status':22} {'labelled':>8} {'precision':>10} {'recall':>8}")
    for status in STATUSES:
        n = tp[status] + fn[status]
        print(
            f"  {status:22} {n:8} {ratio(tp[status], tp[status] + fp[status]):>10} "
            f"{ratio(tp[status], n):>8}"
        )
    for line in misses:
        print(line)


def flags(texts):
    from review.art7 import FLAGS
    from search.prereview import flag_articles

    path = HERE / "articles.json"
    if not path.exists():
        print("Flags: no labels yet (prereview/articles.json)")
        return
    tp, fp, fn = Counter(), Counter(), Counter()
    articles = 0
    for doc in json.loads(path.read_text()):
        name = doc["document"]
        text = texts.get(name) or read_text(name)
        got = {row["article"]: set(row["flags"]) for row in flag_articles(text)}
        for row in doc["articles"]:
            articles += 1
            want, have = set(row["flags"]), got.get(row["article"], set())
            for flag in FLAGS:
                if flag in want and flag in have:
                    tp[flag] += 1
                elif flag in want:
                    fn[flag] += 1
                elif flag in have:
                    fp[flag] += 1
    print(f"\nArt. 7 flags: {articles} articles labelled")
    print(f"  {'flag':26} {'labelled':>8} {'precision':>10} {'recall':>8}")
    for flag in FLAGS:
        n = tp[flag] + fn[flag]
        print(
            f"  {flag:26} {n:8} {ratio(tp[flag], tp[flag] + fp[flag]):>10} {ratio(tp[flag], n):>8}"
        )


def timing(texts, on, runs):
    from search.citations import Register
    from search.prereview import prereview

    parts, total = [], 0
    while total < CHARS:
        for text in texts.values():
            parts.append(text)
            total += len(text)
    draft = "\n".join(parts)[:CHARS]
    Register._kept = {}  # the first draft after a start builds the register's index
    started = time.perf_counter()
    prereview(draft, on=on, register=Register())
    cold = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        prereview(draft, on=on, register=Register())
        times.append(time.perf_counter() - started)
    print(
        f"\nTime for a {len(draft):,}-character draft ({runs} runs): median "
        f"{statistics.median(times):.3f} s, max {max(times):.3f} s; the first after a "
        f"start, building the register's index: {cold:.3f} s"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    django_in(temp_folder("prereview"))
    from django.core.management import call_command

    from search.citations import Register

    call_command("import_register", str(LAWS), verbosity=0, stdout=io.StringIO())
    labels = json.loads((HERE / "citations.json").read_text())
    on = date.fromisoformat(labels["on"])
    texts = {name: read_text(name) for name in labels["documents"]}
    print(machine())
    print(f"Statuses as of {on}\n")
    citations(labels, texts, on, Register())
    flags(texts)
    timing(texts, on, args.runs)


if __name__ == "__main__":
    main()
