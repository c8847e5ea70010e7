"""Search benchmark: the full laws corpus and a synthetic register of recombined corpus texts.

    .venv/bin/python benchmarks/search.py                 # corpus + 100,000 documents
    .venv/bin/python benchmarks/search.py --synthetic 20000 --baseline-queries 3
    .venv/bin/python benchmarks/search.py --opensearch $(scripts/services.sh opensearch)

For each data set, in a temporary folder: build time and size of the database and the
embedded index, then latency (p50 / p95, ms) of two-character, four-character, phrase,
number and filtered queries through search.backends.search() (index, count, facets, the
page of hits read from the database, highlights), and of the same queries answered by
Django icontains (count and the page, no facets: a baseline that is favoured). With
--opensearch, the same data is also indexed on that OpenSearch node (an alias of its own,
dropped after) and the same queries asked of it.
"""

import argparse
import io
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    LAWS,
    django_in,
    machine,
    percentile,
    search_engines,
    size_mb,
    temp_folder,
)

TWO = ["审查", "许可", "登记", "备案", "补偿", "居住", "收费", "处罚", "监督", "公开",
       "土地", "税收", "教育", "医疗", "环境", "交通", "消防", "物业", "养老", "档案"]  # fmt: skip
FOUR = ["行政处罚", "法律责任", "行政许可", "监督检查", "安全生产", "信息公开", "社会保险",
        "环境保护", "公共安全", "城乡规划", "食品安全", "知识产权", "劳动合同", "个人信息",
        "突发事件", "价格监督", "征收补偿", "文物保护", "网络安全", "质量监督"]  # fmt: skip
PHRASES = ["应当自收到申请之日起", "由县级以上人民政府", "依法追究刑事责任", "责令限期改正",
           "处五千元以上", "构成犯罪的", "有关主管部门", "本条例自公布之日起施行",
           "国务院有关部门", "予以公告", "听取意见", "没收违法所得", "给予警告",
           "依法给予处分", "不得擅自", "报国务院批准", "省、自治区、直辖市人民政府",
           "公民、法人或者其他组织", "应当建立健全", "予以表彰和奖励"]  # fmt: skip
BRACKETS = [("〔", "〕"), ("[", "]"), ("(", ")"), ("【", "】"), ("［", "］"), ("（", "）")]
KINDS = ["government_normative", "department_normative", "local_rule", "local_regulation"]
STATUSES = ["in_force"] * 6 + ["repealed", "lapsed", "amended", "pending"]
ISSUERS = [f"{city}人民政府" for city in ("衡水市", "石家庄市", "保定市", "邯郸市", "邢台市",
           "沧州市", "廊坊市", "唐山市", "秦皇岛市", "张家口市", "承德市", "河北省")] + [
    f"衡水市{d}" for d in ("住房和城乡建设局", "市场监督管理局", "教育局", "民政局", "财政局",
                          "自然资源和规划局", "生态环境局", "交通运输局", "卫生健康委员会")]  # fmt: skip
PREFIXES = ["衡政规", "石政规", "保政规", "邯政规", "邢政规", "沧政规", "廊政规", "唐政规",
            "秦政规", "张政规", "承政规", "冀政规", "衡住建规", "衡市监规", "衡教规",
            "衡民规", "衡财规", "衡自然规", "衡环规", "衡交规", "衡卫规"]  # fmt: skip


def corpus_phase(folder):
    from django.core.management import call_command

    from search.importing import import_register
    from search.models import Document

    started = time.perf_counter()
    report = import_register(LAWS)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    call_command("reindex", verbosity=0, skip_checks=True, stdout=io.StringIO())
    built = time.perf_counter() - started
    numbers = list(Document.objects.exclude(number="").values_list("number", flat=True))
    return {
        "documents": Document.objects.count(),
        "problems": len(report.problems),
        "import_s": imported,
        "build_s": built,
        "numbers": numbers,
    }


def synthetic_phase(folder, n):
    """n documents made by recombining paragraphs of corpus texts under new titles."""
    from django.core.management import call_command

    from search.models import Document, DocumentVersion
    from search.numbers import number_key

    rng = random.Random(20261125)
    sources = []
    for path in sorted(LAWS.rglob("*.md")):
        if path.name == "_index.md" or "案例" in path.parts or path.parent == LAWS:
            continue
        text = path.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[-1]
        paragraphs = [p.strip("# ").strip() for p in text.splitlines() if p.strip()]
        if len(paragraphs) > 5:
            sources.append((path.stem.split("(")[0], paragraphs))
    started = time.perf_counter()
    serials, numbers = {}, []
    batch_docs, batch_texts = [], []

    def flush():
        Document.objects.bulk_create(batch_docs)
        DocumentVersion.objects.bulk_create(
            DocumentVersion(
                document=doc,
                number=1,
                text=text,
                published_on=doc.published_on,
                effective_on=doc.effective_on,
            )  # fmt: skip
            for doc, text in zip(batch_docs, batch_texts, strict=True)
        )
        batch_docs.clear()
        batch_texts.clear()

    for _ in range(n):
        (title_a, a), (_title_b, b) = rng.sample(sources, 2)
        cut_a, cut_b = rng.randint(3, min(len(a), 30)), rng.randint(3, min(len(b), 30))
        body = "\n".join(a[:cut_a] + b[-cut_b:])
        issuer = rng.choice(ISSUERS)
        city = issuer[:3] if issuer.startswith("衡水市") or "省" not in issuer else "河北省"
        title = f"{city}{title_a.removeprefix('中华人民共和国')}{rng.choice(['实施办法', '若干规定', '管理办法', '实施细则', '暂行办法'])}"
        published = date(2000, 1, 1) + timedelta(days=rng.randrange(26 * 365))
        prefix = rng.choice(PREFIXES)
        serial = serials[(prefix, published.year)] = serials.get((prefix, published.year), 0) + 1
        number = f"{prefix}〔{published.year}〕{serial}号"
        numbers.append(number)
        status = rng.choice(STATUSES)
        effective = published + timedelta(days=30)
        batch_docs.append(
            Document(
                title=title[:300],
                number=number,
                number_key=number_key(number),
                issuer=issuer,
                kind=rng.choice(KINDS),
                status=status,
                published_on=published,
                effective_on=effective,
                lapses_on=effective + timedelta(days=5 * 365 - 1),
                ended_on=effective + timedelta(days=rng.randrange(1, 3000))
                if status in ("repealed", "lapsed")
                else None,
                source=f"synthetic:{len(numbers)}",
            )  # fmt: skip
        )
        batch_texts.append(body)
        if len(batch_docs) == 5000:
            flush()
    flush()
    generated = time.perf_counter() - started
    started = time.perf_counter()
    call_command("reindex", verbosity=0, skip_checks=True, stdout=io.StringIO())
    built = time.perf_counter() - started
    chars = sum(len(t) for t in DocumentVersion.objects.values_list("text", flat=True).iterator())
    return {
        "documents": Document.objects.count(),
        "characters": chars,
        "generate_s": generated,
        "build_s": built,
        "numbers": numbers,
    }


def queries(numbers, rng):
    from search.backends import SearchQuery

    def typed(number):
        left, right = rng.choice(BRACKETS)
        return number.replace("〔", left).replace("〕", right)

    today = date(2026, 11, 25)
    return {
        "two-character": [SearchQuery(text=w, today=today) for w in TWO],
        "four-character": [SearchQuery(text=w, today=today) for w in FOUR],
        "phrase": [SearchQuery(text=w, today=today) for w in PHRASES],
        "number": [SearchQuery(text=typed(n), today=today) for n in rng.sample(numbers, 20)],
        "filtered": [
            SearchQuery(
                text=w,
                status=("in_force",),
                year_from=2010,
                year_to=2020,
                in_force_on=date(2020, 1, 1),
                public=True,
                today=today,
            )
            for w in TWO
        ],  # fmt: skip
    }


def baseline(query):
    """What a plain Django search would do: icontains over title, number and text."""
    from django.db.models import Q

    from search.models import Document

    documents = Document.objects.all()
    for word in query.words or [""]:
        documents = documents.filter(
            Q(title__icontains=word) | Q(number__icontains=word) | Q(versions__text__icontains=word)
        )
    if query.status:
        documents = documents.filter(status__in=query.status)
    if query.year_from:
        documents = documents.filter(published_on__year__gte=query.year_from)
    if query.year_to:
        documents = documents.filter(published_on__year__lte=query.year_to)
    if query.in_force_on:
        documents = documents.filter(effective_on__lte=query.in_force_on).exclude(
            ended_on__lte=query.in_force_on
        )
    if query.public:
        documents = documents.filter(published_on__lte=query.today)
    documents = documents.distinct()
    return documents.count(), list(documents.order_by("-published_on")[: query.page_size])


def timed(fn, items, repeat=1):
    times = []
    for _ in range(repeat):
        for item in items:
            started = time.perf_counter()
            fn(item)
            times.append((time.perf_counter() - started) * 1000)
    return times


def measure(numbers, baseline_queries):
    from search.backends import get_backend, search

    rng = random.Random(7)
    sets = queries(numbers, rng)
    search(sets["two-character"][0])  # open the index
    rows = {}
    for name, items in sets.items():
        ours = timed(search, items, repeat=3)
        theirs = timed(baseline, items[:baseline_queries]) if baseline_queries else [0.0]
        totals = [search(q).total for q in items[:3]]
        rows[name] = {
            "p50": percentile(ours, 50), "p95": percentile(ours, 95),
            "base_p50": percentile(theirs, 50), "base_p95": percentile(theirs, 95),
            "totals": totals,
        }  # fmt: skip
    return rows, get_backend().describe()


def on_opensearch(url, numbers):
    """The same documents rebuilt into an alias of their own on the node, the same queries."""
    from django.conf import settings
    from django.core.management import call_command

    from search.backends import get_backend

    settings.OPENSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX = f"bench-register-{uuid.uuid4().hex[:8]}"
    backend = get_backend()
    started = time.perf_counter()
    call_command("reindex", verbosity=0, skip_checks=True, stdout=io.StringIO())
    built = time.perf_counter() - started
    try:
        rows, described = measure(numbers, 0)
        stats = backend.client.indices.stats(index=backend.alias)["_all"]["primaries"]
        return {
            "build_s": built,
            "index_mb": stats["store"]["size_in_bytes"] / 1e6,
            "index": described,
            "queries": rows,
        }
    finally:
        backend.drop()


def phase(args):
    from django.conf import settings

    folder = temp_folder(args.phase)
    # The embedded index first, whatever server the environment names.
    for name in ("OPENSEARCH_URL", "SEARCH_URL"):
        os.environ.pop(name, None)
    django_in(folder)
    if args.phase == "corpus":
        result = corpus_phase(folder)
    else:
        result = synthetic_phase(folder, args.synthetic)
    numbers = result.pop("numbers")
    result["queries"], result["index"] = measure(numbers, args.baseline_queries)
    if args.opensearch:
        result["opensearch"] = on_opensearch(args.opensearch, numbers)
    result["db_mb"] = size_mb(Path(settings.DATABASES["default"]["NAME"]))
    result["index_mb"] = size_mb(settings.SEARCH_INDEX_PATH)
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result))


def run(name, args, extra):
    command = [sys.executable, __file__, "--phase", name, *extra,
               "--baseline-queries", str(args.baseline_queries)]  # fmt: skip
    if args.opensearch:
        command += ["--opensearch", args.opensearch]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--baseline-queries", type=int, default=5)
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--opensearch", metavar="URL", help="also measure this OpenSearch node")
    parser.add_argument("--phase", choices=["corpus", "synthetic"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return phase(args)
    engines = search_engines()
    if args.opensearch:
        from opensearchpy import OpenSearch

        engines += f", OpenSearch {OpenSearch(args.opensearch).info()['version']['number']}"
    print(f"Machine: {machine()}; {engines}\n")
    results = {}
    if not args.skip_corpus:
        results["laws corpus"] = run("corpus", args, [])
    if args.synthetic:
        results[f"synthetic {args.synthetic:,}"] = run(
            "synthetic", args, ["--synthetic", str(args.synthetic)]
        )
    print("| data set | documents | import / generate | index build | database | index |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in results.items():
        load = r.get("import_s", r.get("generate_s"))
        print(f"| {name} | {r['documents']:,} | {load:.1f} s | {r['build_s']:.1f} s | "
              f"{r['db_mb']:.0f} MB | {r['index_mb']:.0f} MB |")  # fmt: skip
        if "opensearch" in r:
            o = r["opensearch"]
            print(f"| {name}, OpenSearch | | | {o['build_s']:.1f} s | | {o['index_mb']:.0f} MB |")
    print()
    servers = any("opensearch" in r for r in results.values())
    extra = " OpenSearch p50 / p95 ms |" if servers else ""
    print(f"| data set | query | tantivy p50 / p95 ms |{extra} icontains p50 / p95 ms | "
          "tantivy speed-up at p95 |")  # fmt: skip
    print("| --- | --- | --- |" + " --- |" * (3 if servers else 2))
    for name, r in results.items():
        for kind, q in r["queries"].items():
            cell = ""
            if servers:
                o = r.get("opensearch", {}).get("queries", {}).get(kind)
                cell = f" {o['p50']:.1f} / {o['p95']:.1f} |" if o else " — |"
            print(f"| {name} | {kind} | {q['p50']:.1f} / {q['p95']:.1f} |{cell} "
                  f"{q['base_p50']:.0f} / {q['base_p95']:.0f} | {q['base_p95'] / q['p95']:.0f}x |")  # fmt: skip
    for name, r in results.items():
        for kind, q in r.get("opensearch", {}).get("queries", {}).items():
            if q["totals"] != r["queries"][kind]["totals"]:
                print(f"Note: {name}, {kind}: the first totals differ, tantivy "
                      f"{r['queries'][kind]['totals']}, OpenSearch {q['totals']}")  # fmt: skip
    return None


if __name__ == "__main__":
    main()
