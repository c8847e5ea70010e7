"""Precision and recall of the Art. 7 flags on the hand-labelled policies, and their speed.

    DJANGO_DEBUG=true .venv/bin/python benchmarks/art7.py [--errors] [--runs N]

The labels are benchmarks/prereview/articles.json (rules: RULES-flags.md beside it), over the
documents listed in DOCUMENTS.txt and two more marked "held_out", read from
../shared/corpus/policies. The rules were tuned on the first set; the held-out documents were
labelled afterwards and are scored apart. Targets: recall at least 90 % at precision at least
70 % for every flag; under 1 s for a 50,000-character draft.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLICIES = REPO.parent / "shared" / "corpus" / "policies"
LABELS = REPO / "benchmarks" / "prereview" / "articles.json"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from common import machine  # noqa: E402

from review.art7 import FLAGS, flag_articles  # noqa: E402
from review.extract import extract_text  # noqa: E402

TARGET_SECONDS = 1.0
DRAFT_CHARS = 50_000


def load(held_out: bool) -> list[tuple[str, str, list[dict]]]:
    """(path, text, labelled articles) for the tuning or the held-out documents."""
    documents = json.loads(LABELS.read_text(encoding="utf-8"))
    return [
        (d["document"], extract_text((POLICIES / d["document"]).read_bytes()).text, d["articles"])
        for d in documents
        if d.get("held_out", False) == held_out
    ]


def score(documents, show_errors: bool) -> dict:
    counts = {flag: [0, 0, 0] for flag in (*FLAGS, "basis_cited")}  # tp, fp, fn
    for path, text, labelled in documents:
        predicted = flag_articles(text)
        assert [p.article for p in predicted] == [a["article"] for a in labelled], path
        for p, a in zip(predicted, labelled, strict=True):
            got = set(p.flags) | ({"basis_cited"} if p.basis_cited else set())
            want = set(a["flags"]) | ({"basis_cited"} if a["basis_cited"] else set())
            for flag in counts:
                tp, fp, fn = flag in got & want, flag in got - want, flag in want - got
                counts[flag][0] += tp
                counts[flag][1] += fp
                counts[flag][2] += fn
                if show_errors and (fp or fn):
                    words = [t.words for t in p.triggers if t.flag == flag]
                    kind = "FP" if fp else "FN"
                    print(f"{kind} {flag:26} {path.split('/')[-1][:18]} {p.article} {words}")
                    print("    " + p.text[:160].replace("\n", " / "))
    return counts


def table(name: str, documents, counts: dict) -> None:
    articles = sum(len(labelled) for _p, _t, labelled in documents)
    flagged = sum(1 for *_x, labelled in documents for a in labelled if a["flags"])
    print(f"{name}: {len(documents)} documents, {articles} articles, {flagged} with a flag")
    print(f"  {'flag':26} {'labelled':>8} {'flagged':>8} {'precision':>9} {'recall':>7}")
    for flag, (tp, fp, fn) in counts.items():
        precision = f"{tp / (tp + fp):.1%}" if tp + fp else "-"
        recall = f"{tp / (tp + fn):.1%}" if tp + fn else "-"
        print(f"  {flag:26} {tp + fn:8} {tp + fp:8} {precision:>9} {recall:>7}")
    print()


def draft(documents) -> str:
    """About 50,000 characters of real articles, renumbered as one draft."""
    from review.articles import int_to_cn, parse_outline

    bodies: list[str] = []
    while sum(len(b) for b in bodies) < DRAFT_CHARS:
        for _path, text, _labels in documents:
            bodies += [a.body for a in parse_outline(text)]
    articles = "\n".join(f"第{int_to_cn(k)}条　{b}" for k, b in enumerate(bodies, 1))
    return articles[:DRAFT_CHARS]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="print every false flag and miss")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tuning, held_out = load(held_out=False), load(held_out=True)
    for name, documents in (
        ("Tuning set", tuning),
        ("Held out", held_out),
        ("All", tuning + held_out),
    ):
        table(name, documents, score(documents, args.errors and name != "All"))
    text = draft(tuning)
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        result = flag_articles(text)
        times.append(time.perf_counter() - began)
    median = statistics.median(times)
    verdict = "OK" if median < TARGET_SECONDS else "TOO SLOW"
    print(
        f"{len(text)}-character draft, {len(result)} articles: median {median:.3f} s "
        f"over {args.runs} runs (target < {TARGET_SECONDS} s) {verdict}"
    )
    print(machine())


if __name__ == "__main__":
    main()
