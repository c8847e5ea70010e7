"""Time reading every corpus Word file: inspection, text extraction and outline.

    DJANGO_DEBUG=true .venv/bin/python benchmarks/ingest.py [--repeat N] [--no-doc]

.docx files are timed in process (median of --repeat runs). .doc/.wps/.rtf files go through
LibreOffice and are reported apart, once each: their time is the conversion's.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from review.articles import parse_outline  # noqa: E402
from review.extract import extract_text  # noqa: E402
from review.ingest import UploadRejected, converter_available, inspect_upload  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

KINDS = {"docx", "doc", "wps", "rtf"}


def libreoffice() -> str:
    if not converter_available():
        return "not installed"
    return subprocess.run(
        [settings.SOFFICE_BINARY, "--version"], capture_output=True, text=True, timeout=60
    ).stdout.strip()


def read(path: Path) -> dict:
    data = path.read_bytes()
    t0 = time.perf_counter()
    ingested = inspect_upload(data, path.name, max_bytes=settings.UPLOAD_MAX_BYTES, allow=KINDS)
    t1 = time.perf_counter()
    extracted = extract_text(ingested.docx)
    t2 = time.perf_counter()
    outline = parse_outline(extracted.text)
    t3 = time.perf_counter()
    return {
        "inspect": t1 - t0,
        "extract": t2 - t1,
        "outline": t3 - t2,
        "total": t3 - t0,
        "chars": len(extracted.text),
        "units": f"{len(outline)} {outline.unit}",
        "size": len(data),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def table(title: str, rows: list[tuple[Path, dict]], rejected: list[tuple[Path, str]]) -> None:
    print(f"\n## {title}\n")
    print(
        f"| {'file':<40} | {'KiB':>6} | {'inspect ms':>10} | {'extract ms':>10} "
        f"| {'outline ms':>10} | {'total ms':>8} | {'chars':>7} | {'chars/s':>10} | outline |"
    )
    print(
        f"|{'-' * 42}|{'-' * 8}|{'-' * 12}|{'-' * 12}|{'-' * 12}|{'-' * 10}|{'-' * 9}|"
        f"{'-' * 12}|---------|"
    )
    for path, r in rows:
        name = path.name if len(path.name) <= 24 else path.name[:23] + "…"
        rate = r["chars"] / r["total"] if r["total"] else 0
        print(
            f"| {name:<{40 - _wide(name)}} | {r['size'] / 1024:>6.1f} | {r['inspect'] * 1e3:>10.1f} "
            f"| {r['extract'] * 1e3:>10.1f} | {r['outline'] * 1e3:>10.1f} "
            f"| {r['total'] * 1e3:>8.1f} | {r['chars']:>7} | {rate:>10,.0f} | {r['units']} |"
        )
    for path, message in rejected:
        print(f"| {path.name[:24]} | refused: {message} |")
    if not rows:
        return
    totals = [r["total"] for _p, r in rows]
    chars = sum(r["chars"] for _p, r in rows)
    size = sum(r["size"] for _p, r in rows)
    print(
        f"\nfiles read: {len(rows)}, refused: {len(rejected)}; "
        f"{size / 1024 / 1024:.1f} MiB, {chars:,} characters"
    )
    print(
        f"total per file: p50 {percentile(totals, 0.5) * 1e3:.1f} ms, "
        f"p95 {percentile(totals, 0.95) * 1e3:.1f} ms, max {max(totals) * 1e3:.1f} ms; "
        f"throughput {chars / sum(totals):,.0f} chars/s"
    )


def _wide(name: str) -> int:
    """Columns a CJK name takes beyond its length, so that the table lines up in a terminal."""
    return sum(1 for c in name if ord(c) > 0x2E80)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per .docx (median kept)")
    parser.add_argument("--no-doc", action="store_true", help="skip the LibreOffice files")
    args = parser.parse_args()

    files = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower().lstrip(".") in KINDS)
    files = [p for p in files if "laws" not in p.relative_to(CORPUS).parts]
    print("# Reading Word drafts: benchmark\n")
    print(f"- machine: {machine()}")
    print(f"- libreoffice: {libreoffice()}")
    print(f"- corpus: {CORPUS} ({len(files)} Word files)")

    docx_rows, docx_rejected, doc_rows, doc_rejected = [], [], [], []
    for path in files:
        is_docx = path.suffix.lower() == ".docx"
        if not is_docx and (args.no_doc or not converter_available()):
            continue
        runs = []
        try:
            for _run in range(args.repeat if is_docx else 1):
                runs.append(read(path))
        except UploadRejected as rejected:
            (docx_rejected if is_docx else doc_rejected).append((path, rejected.message))
            continue
        best = sorted(runs, key=lambda r: r["total"])[len(runs) // 2]
        (docx_rows if is_docx else doc_rows).append((path, best))

    table(f".docx, in process (median of {args.repeat} runs)", docx_rows, docx_rejected)
    if args.no_doc:
        return
    if not converter_available():
        print("\n## .doc/.wps/.rtf: skipped, LibreOffice is not installed")
        return
    table(
        ".doc/.wps/.rtf through LibreOffice (one run each; inspect includes the conversion)",
        doc_rows,
        doc_rejected,
    )
    if doc_rows:
        print(f"conversion: median {statistics.median(r['inspect'] for _p, r in doc_rows):.2f} s")


if __name__ == "__main__":
    main()
