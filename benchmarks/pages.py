"""Page benchmark: the desk, the lists, a dossier, the statistics and the register search with
1,000 and 10,000 dossiers on PostgreSQL.

    DATABASE_URL=$(scripts/services.sh postgres) .venv/bin/python benchmarks/pages.py
    .venv/bin/python benchmarks/pages.py --sizes 1000 --requests 10 --out -

The dossiers are made by the real flow first (``seed_demo``: a dossier standing at each
stage, the consequences of the dates, and a past year of review work), then copied with
SQL until there are as many as asked: each copy keeps its dossier's versions, materials,
opinions, findings, history, meeting decisions, letters, clock events, viewflow process and
tasks, with every key moved by the same offset. The database is a new one, dropped at the
end. Each page is asked for as its user with Django's test client: once to warm up, once
to count its queries, then ``--requests`` times for the timings.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import django_in, machine, percentile, temp_folder

DATABASE = "bench_pages"
# Far above the ids the real flow makes, so the copies never meet: copy k of row n is
# n + k * STRIDE. 10,000 dossiers need about 170 copies, well inside PostgreSQL's integer.
STRIDE = 1_000_000
# The apps whose rows belong to one dossier; the register, meetings and people are shared.
COPIED_APPS = {"review", "workflow", "viewflow"}
SHARED = {"review.meeting", "review.minutes", "review.department", "review.user"}
TARGET_MS = 150
STATISTICS_TARGET_MS = 500
PAGE_BUDGET_MS = 60_000


def setup(database_url):
    """A new, empty database for the run, Django pointed at it and migrated."""
    import psycopg

    parts = urlsplit(database_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    django_in(
        temp_folder("pages"),
        DATABASE_URL=urlunsplit(parts._replace(path=f"/{DATABASE}")),
        DJANGO_ALLOWED_HOSTS="testserver",
        # Word conversion and indexing run in the request, as a worker would run them.
        CELERY_TASK_ALWAYS_EAGER="true",
    )
    from django.core.management import call_command

    call_command("reindex", verbosity=0)
    return admin


def teardown(admin):
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


def seed():
    """The dossiers the real flow makes; how long it took."""
    from django.core.management import call_command

    from demo import year

    # The year's cleanup campaign is left out: on PostgreSQL its proposal step fails
    # (FOR UPDATE on the nullable side of an outer join, search/models/cleanup.py), and
    # no page measured here lists cleanup items.
    year.seed_cleanup = lambda *args: None
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    return time.perf_counter() - started


def copied_models():
    """The models whose rows belong to a dossier: the dossier, its process and tasks, and
    everything that points at them, as far as it goes."""
    from django.apps import apps

    from review.models import Dossier

    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in COPIED_APPS
        and m._meta.label_lower not in SHARED
        and not m._meta.proxy
    ]
    chosen = {Dossier._meta.concrete_model}
    chosen |= {Dossier.process.field.related_model, apps.get_model("viewflow", "Task")}
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model not in chosen and any(
                f.related_model in chosen for f in model._meta.concrete_fields if f.is_relation
            ):
                chosen.add(model)
                grew = True
    return chosen


def _unique_text(model):
    """Text columns that must differ between copies (a document number, a notification key)."""
    names = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        fields = [model._meta.get_field(name) for name in getattr(constraint, "fields", ())]
        if fields and not any(f.is_relation for f in fields):
            names |= {f.name for f in fields}
    return [
        model._meta.get_field(n)
        for n in names
        if model._meta.get_field(n).get_internal_type() in ("CharField", "TextField")
    ]


def copy_dossiers(models, first, last):
    """Copies ``first`` to ``last`` (inclusive) of every row the real flow made."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            unique = {f.column for f in _unique_text(model)}
            columns, values = [], []
            for field in model._meta.concrete_fields:
                column = connection.ops.quote_name(field.column)
                columns.append(column)
                if field.primary_key or (field.is_relation and field.related_model in models):
                    values.append(f"{column} + k * {STRIDE}")
                elif field.column in unique:
                    values.append(f"CASE WHEN {column} = '' THEN '' ELSE {column} || '-' || k END")
                else:
                    values.append(column)
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"SELECT {', '.join(values)} FROM {table}, generate_series(%s, %s) AS k "
                f"WHERE {pk} < {STRIDE}",
                [first, last],
            )
        for model in models:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "
                f"(SELECT max({pk}) FROM {table}))"
            )
        cursor.execute("ANALYZE")


def pages():
    """(label, username, url) of each page measured."""
    from django.utils import timezone

    from review.models import Dossier, Stage

    year = timezone.localdate().year - 1
    reviewing = Dossier.objects.filter(stage=Stage.LEGAL_REVIEW).order_by("pk").first()
    return [
        ("inbox, reviewer", "reviewer", "/tasks/"),
        ("inbox, clerk", "clerk", "/tasks/"),
        ("inbox, head", "head", "/tasks/"),
        ("inbox, secretary", "secretary", "/tasks/"),
        ("inbox, drafter", "drafter", "/tasks/"),
        ("queue, reviewer", "reviewer", "/tasks/queue/"),
        ("archive, reviewer", "reviewer", "/tasks/archive/"),
        ("dossier list, reviewer", "reviewer", "/dossiers/"),
        ("dossier page, reviewer", "reviewer", reviewing.get_absolute_url()),
        ("statistics, head", "head", f"/reports/?year={year}"),
        ("register search, reviewer", "reviewer", "/register/?q=管理"),
    ]


def listed(label, username):
    """How many rows the page's list has in all its pages; None for a page with no list."""
    from review.models import Dossier, User
    from workflow.views import desk

    user = User.objects.get(username=username)
    if label.startswith(("inbox", "queue")):
        return len(desk.desk_for(user, pool_only=label.startswith("queue")))
    if label.startswith("archive"):
        return desk._Done(user).count()
    if label.startswith("dossier list"):
        return Dossier.objects.visible_to(user).count()
    return None


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, *args):
        self.count += 1
        return execute(*args)


def measure(requests):
    """[(label, rows, queries, p50 ms, p95 ms)] for each page."""
    from django.db import connection
    from django.test import Client

    from review.models import User

    results = []
    for label, username, url in pages():
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            client.get(url)
        timings = []
        # A page far over its target is timed for a minute at most, so the run stays short.
        while len(timings) < requests and sum(timings) < PAGE_BUDGET_MS:
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        rows = listed(label, username)
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        results.append((label, rows, counter.count, len(timings), p50, p95))
        print(f"  {label}: {counter.count} queries, p50 {p50:.0f} ms, p95 {p95:.0f} ms", flush=True)
    return results


def postgres_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def table(size, results):
    from review.models import Dossier

    lines = [
        f"### {size:,} dossiers ({Dossier.objects.count():,} in the database)",
        "",
        "| page | rows in the list | queries | requests | p50 ms | p95 ms | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, rows, queries, requests, p50, p95 in results:
        target = STATISTICS_TARGET_MS if label.startswith("statistics") else TARGET_MS
        met = "met" if p95 < target else f"**over** ({target} ms)"
        shown = "—" if rows is None else f"{rows:,}"
        lines.append(
            f"| {label} | {shown} | {queries} | {requests} | {p50:.0f} | {p95:.0f} "
            f"| p95 < {target}: {met} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--out", default=str(Path(__file__).with_name("pages.md")))
    parser.add_argument(
        "--keep", action="store_true", help=f"leave the database {DATABASE} for profiling"
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit(
            "benchmarks/pages.py: set DATABASE_URL to a PostgreSQL server (scripts/services.sh postgres)"
        )
    admin = setup(args.database_url)
    try:
        from review.models import Dossier

        seconds = seed()
        made = Dossier.objects.count()
        print(f"real flow: {made} dossiers in {seconds:.0f} s", flush=True)
        models = copied_models()
        copies, sections = 0, []
        for size in sorted(args.sizes):
            wanted = max(0, -(-size // made) - 1)
            started = time.perf_counter()
            if wanted > copies:
                copy_dossiers(models, copies + 1, wanted)
                copies = wanted
            print(f"{size:,}: copied in {time.perf_counter() - started:.0f} s", flush=True)
            load = os.getloadavg()[0]
            sections.append(table(size, measure(args.requests)))
            sections[-1] += f"\n\nLoad average (1 min) when the timings began: {load:.1f}."
        report = "\n".join(
            [
                "# Pages at scale",
                "",
                f"`benchmarks/pages.py`, {args.requests} requests per page after one to warm up, "
                "Django test client, DEBUG on; the query count is of one request.",
                f"Machine: {machine()}; PostgreSQL {postgres_version()}.",
                f"Data: {made} dossiers made by the real flow (`seed_demo`), copied with SQL "
                "with their versions, materials, opinions, history, clock events, process "
                "and tasks. The statistics are of the past year, where most copies fall.",
                "",
                *(f"{section}\n" for section in sections),
            ]
        )
        print(report)
        if args.out != "-":
            Path(args.out).write_text(report)
    finally:
        if not args.keep:
            teardown(admin)


if __name__ == "__main__":
    main()
