"""Time comparing two ~50,000-character versions of a draft with 5 % of articles edited.

    DJANGO_DEBUG=true .venv/bin/python benchmarks/compare.py [--runs N] [--chars N]

The old version is built from real articles of the law corpus, renumbered; the new one
edits 5 % of them (a phrase changed, added or removed), inserts one article, deletes one
and moves one. The target is a median under 0.5 s. The counts printed are the ones the page
and the Word redline show.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from common import machine  # noqa: E402

from review.articles import int_to_cn, parse_outline  # noqa: E402
from review.compare import compare_texts, render_inline_html  # noqa: E402

LAWS = ["行政许可法", "行政处罚法", "行政强制法", "行政复议法", "立法法", "行政诉讼法"]
TARGET_SECONDS = 0.5


def corpus_articles(limit: int) -> list[str]:
    """Article bodies from real laws, until they add up to `limit` characters."""
    bodies, total = [], 0
    for name in LAWS:
        for path in sorted(CORPUS.rglob(f"{name}*.md")):
            for article in parse_outline(path.read_text(encoding="utf-8")):
                bodies.append(article.body)
                total += len(article.body) + 8
                if total >= limit:
                    return bodies
    return bodies


def render(bodies: list[str]) -> str:
    articles = "\n".join(f"第{int_to_cn(k)}条　{body}" for k, body in enumerate(bodies, 1))
    return f"某市行政规范性文件（送审稿）\n{articles}\n"


def edit(body: str, rng: random.Random) -> str:
    at = rng.randrange(max(1, len(body) - 12))
    choice = rng.choice(["replace", "insert", "delete"])
    if choice == "replace":
        return body[:at] + "按照规定的程序和期限" + body[at + 6 :]
    if choice == "insert":
        return body[:at] + "，并向社会公布" + body[at:]
    return body[:at] + body[at + 8 :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--chars", type=int, default=50_000)
    parser.add_argument("--share", type=float, default=0.05, help="share of articles edited")
    args = parser.parse_args()

    rng = random.Random(2018)
    old_bodies = corpus_articles(args.chars)
    new_bodies = list(old_bodies)
    edited = rng.sample(range(len(new_bodies)), max(1, round(args.share * len(new_bodies))))
    for k in edited:
        new_bodies[k] = edit(new_bodies[k], rng)
    moved = new_bodies.pop(len(new_bodies) * 3 // 4)
    new_bodies.insert(len(new_bodies) // 5, moved)
    del new_bodies[len(new_bodies) // 2]
    new_bodies.insert(len(new_bodies) // 3, "本办法所称公共服务事项，由市人民政府另行公布。")
    old, new = render(old_bodies), render(new_bodies)

    timings, render_timings = [], []
    for _run in range(args.runs):
        started = time.perf_counter()
        comparison = compare_texts(old, new)
        timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_inline_html(comparison)
        render_timings.append(time.perf_counter() - started)

    median = statistics.median(timings)
    print("# Comparing two versions: benchmark\n")
    print(f"- machine: {machine()}")
    print(f"- laws used: {', '.join(LAWS)}\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| old version | {len(old):,} characters, {len(old_bodies)} articles |")
    print(f"| new version | {len(new):,} characters, {len(new_bodies)} articles |")
    print(
        f"| articles edited | {len(edited)} ({args.share:.0%}), plus 1 inserted, 1 deleted, 1 moved |"
    )
    print(f"| runs | {args.runs} |")
    print(f"| compare_texts median | {median * 1e3:.1f} ms |")
    print(f"| compare_texts min / max | {min(timings) * 1e3:.1f} / {max(timings) * 1e3:.1f} ms |")
    print(f"| render_inline_html median | {statistics.median(render_timings) * 1e3:.1f} ms |")
    counts = comparison.status_counts
    print(f"| articles by status | {', '.join(f'{k} {v}' for k, v in counts.items())} |")
    print(f"| other lines changed (title, headings) | {comparison.other_changes} |")
    print(
        f"| characters inserted / deleted | {comparison.inserted_chars} / "
        f"{comparison.deleted_chars} |"
    )
    verdict = "within" if median < TARGET_SECONDS else "OVER"
    print(f"\nmedian {median:.3f} s: {verdict} the {TARGET_SECONDS} s target")


if __name__ == "__main__":
    main()
