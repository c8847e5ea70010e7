"""Time to render the Word documents: one opinion letter, and the redline of a long draft.

Run: DJANGO_DEBUG=true .venv/bin/python benchmarks/letters.py
Target: one opinion letter in under 0.3 s.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine

from review.articles import int_to_cn
from review.compare import compare_texts
from review.letters import Finding, Letter, Section, render_letter
from review.redline import render_redline

LETTER_RUNS = 50
REDLINE_RUNS = 5
REDLINE_CHARS = 50_000
TARGET_SECONDS = 0.3
# Common characters of administrative texts, for drafts that read roughly like one.
CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
)


def letter() -> Letter:
    return Letter(
        kind="review_opinion",
        issuer="衡水市人民政府法制办公室",
        number="衡法审〔2026〕12号",
        title="关于《衡水市市区住房保障管理办法（送审稿）》的合法性审查意见书",
        addressee="市住房和城乡建设局",
        document_title="衡水市市区住房保障管理办法（送审稿）",
        date=date(2026, 1, 8),
        sections=[
            Section("基本情况", ["该办法共五章四十二条，规定了申请条件、审核程序和退出管理。"])
        ],
        legal_basis=["《中华人民共和国行政许可法》", "《河北省规范性文件制定规定》"],
        findings=[
            Finding(
                f"第{int_to_cn(n)}条",
                f"第{int_to_cn(n)}条的规定与上位法不一致，建议修改。",
                "《中华人民共和国行政许可法》第十四条",
            )
            for n in range(1, 11)
        ],
        conclusion="修改完善",
        objection_days=5,
    )


def drafts(chars: int, seed: int = 9704) -> tuple[str, str]:
    """An old draft of about `chars` characters and a new one with edits, inserts, moves."""
    rng = random.Random(seed)

    def body() -> str:
        return "".join(rng.choice(CHARS) for _ in range(rng.randint(120, 280))) + "。"

    bodies = []
    while sum(map(len, bodies)) < chars:
        bodies.append(body())
    new = list(bodies)
    for i in rng.sample(range(len(new)), len(new) // 10):
        cut = rng.randrange(len(new[i]) - 20)
        new[i] = new[i][:cut] + body()[:15] + new[i][cut + 10 :]
    for i in sorted(rng.sample(range(len(new)), 5), reverse=True):
        del new[i]
    for _ in range(5):
        new.insert(rng.randrange(len(new)), body())
    new.insert(3, new.pop(len(new) // 2))

    def text(articles: list[str]) -> str:
        return "\n".join(f"第{int_to_cn(n)}条　{b}" for n, b in enumerate(articles, 1))

    return text(bodies), text(new)


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    opinion = letter()
    render_letter(opinion)  # imports and the template load, once
    letter_times = timed(lambda: render_letter(opinion), LETTER_RUNS)
    size = len(render_letter(opinion))

    old, new = drafts(REDLINE_CHARS)
    compare_times = timed(lambda: compare_texts(old, new), 1)
    comparison = compare_texts(old, new)
    redline_times = timed(
        lambda: render_redline(comparison, "对照", "送审稿", "修改稿"), REDLINE_RUNS
    )
    redline_size = len(render_redline(comparison, "对照", "送审稿", "修改稿"))
    counts = {s: sum(c.status == s for c in comparison.changes) for s in ("modified", "moved")}

    print(f"machine: {machine()}")
    print(f"python-docx {version('python-docx')}, lxml {version('lxml')}")
    print()
    print(f"| {'task':<58} | {'runs':>4} | {'median s':>8} | {'p95 s':>7} | {'docx KB':>7} |")
    print(f"|{'-' * 60}|{'-' * 6}|{'-' * 10}|{'-' * 9}|{'-' * 9}|")
    rows = [
        ("opinion letter (10 findings)", letter_times, size),
        (
            f"redline, {len(old):,} chars, {len(comparison.changes)} articles "
            f"({counts['modified']} modified, {counts['moved']} moved)",
            redline_times,
            redline_size,
        ),
        ("  (for reference: compare_texts on the same drafts)", compare_times, None),
    ]
    for name, times, nbytes in rows:
        kb = f"{nbytes / 1024:.0f}" if nbytes else ""
        print(
            f"| {name:<58} | {len(times):>4} | {statistics.median(times):>8.3f} "
            f"| {p95(times):>7.3f} | {kb:>7} |"
        )
    verdict = "meets" if p95(letter_times) < TARGET_SECONDS else "MISSES"
    print(f"\nopinion letter p95 {p95(letter_times):.3f} s {verdict} the {TARGET_SECONDS} s target")


if __name__ == "__main__":
    main()
