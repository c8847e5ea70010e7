"""Relevance: does the full title find its document among the first three hits?

    .venv/bin/python benchmarks/relevance.py [--sample 100] [--seed 2026]

Imports the whole laws corpus into a temporary database and index, picks documents at
random, searches each by its title without 中华人民共和国 (as people cite national laws),
and prints where the document ranked; the target is at least 95 of 100 in the top 3.
"""

import argparse
import io
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import LAWS, django_in, machine, search_engines, temp_folder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    folder = temp_folder("relevance")
    django_in(folder)
    from django.core.management import call_command

    from search.backends import SearchQuery, search
    from search.backends.base import NATIONAL_PREFIX
    from search.importing import import_register
    from search.models import Document

    import_register(LAWS)
    call_command("reindex", verbosity=0, skip_checks=True, stdout=io.StringIO())
    ids = sorted(Document.objects.values_list("pk", flat=True))
    sample = random.Random(args.seed).sample(ids, args.sample)
    ranks = {1: 0, 2: 0, 3: 0}
    misses = []
    for document in Document.objects.filter(pk__in=sample).order_by("pk"):
        query = document.title.removeprefix(NATIONAL_PREFIX)
        hits = [hit.document.pk for hit in search(SearchQuery(text=query, page_size=10)).hits]
        rank = hits.index(document.pk) + 1 if document.pk in hits else None
        if rank and rank <= 3:
            ranks[rank] += 1
        else:
            misses.append((query, rank))
    top3 = sum(ranks.values())
    print(f"Machine: {machine()}; {search_engines()}")
    print(f"Laws corpus: {len(ids):,} documents; {args.sample} sampled with seed {args.seed}.\n")
    print("| rank of the document | queries |")
    print("| --- | --- |")
    for rank, count in ranks.items():
        print(f"| {rank} | {count} |")
    print(f"| not in the top 3 | {len(misses)} |")
    print(f"| **top 3** | **{top3} / {args.sample}** (target ≥ {round(args.sample * 0.95)}) |")
    for query, rank in misses:
        print(f"- {query}: {'rank ' + str(rank) if rank else 'not in the first 10'}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
