"""Two people acting at the same moment, on a real PostgreSQL server."""

import threading

import pytest
from django.db import connection, transaction

from demo.payloads import COMPLETE
from demo.steps import complete_open_task
from review.models import NumberSequence, Stage, User
from workflow.nodes import StaleTask

from .conftest import advance, step, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(*calls):
    """Run the calls in threads released together; return their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_reviewers_completing_one_task_make_one_transition(people, new_dossier):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], {"decision": "pass", "comment": "同意。"})
    second = User.objects.create(username="reviewer2", department=people["reviewer"].department)
    second.groups.set(people["reviewer"].groups.all())

    results = at_once(
        lambda: complete_open_task(dossier, people["reviewer"], COMPLETE),
        lambda: complete_open_task(dossier, second, COMPLETE),
    )
    stale = [r for r in results if isinstance(r, StaleTask)]
    done = [r for r in results if not isinstance(r, Exception)]
    assert len(done) == 1 and len(stale) == 1, results
    dossier.refresh_from_db()
    assert dossier.stage == Stage.LEGAL_REVIEW
    assert dossier.history.filter(action="materials_complete").count() == 1
    assert dossier.process.task_set.filter(flow_task_type="HUMAN", status="NEW").count() == 1


def test_two_clerks_numbering_at_once_get_consecutive_numbers(db):
    def take():
        with transaction.atomic():
            number = NumberSequence.take("衡政规", 2026)
            # Hold the registration open, as a real one does while it writes.
            connection.cursor().execute("SELECT pg_sleep(0.3)")
            return number

    results = at_once(take, take)
    assert sorted(results) == ["衡政规〔2026〕1号", "衡政规〔2026〕2号"], results


def test_two_clerks_registering_two_documents_at_once(people, new_dossier):
    clerk2 = User.objects.create(username="clerk2", department=people["clerk"].department)
    clerk2.groups.set(people["clerk"].groups.all())
    dossiers = []
    for title in ("甲办法（草案）", "乙办法（草案）"):
        d = new_dossier(title=title)
        dossiers.append(advance(d, people, 6))

    register = {"published_on": "2026-11-25", "published_in": "政府网站"}
    results = at_once(
        lambda: complete_open_task(dossiers[0], people["clerk"], register),
        lambda: complete_open_task(dossiers[1], clerk2, register),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(d.number for d in results)
    assert numbers == ["衡政规〔2026〕1号", "衡政规〔2026〕2号"]
