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
    second = people["reviewer2"]

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


def test_eight_clicks_on_filing_at_once_record_one_filing(people, new_dossier):
    """The hostile test's case: eight parallel posts wrote seven FILED entries."""
    from datetime import date

    dossier = new_dossier()
    Dossier = type(dossier)
    Dossier.objects.filter(pk=dossier.pk).update(
        stage=Stage.ISSUED, issued_on=date(2026, 11, 2), number="衡政规〔2026〕7号"
    )

    def file_it():
        found = Dossier.objects.get(pk=dossier.pk)
        return found.record_filing(people["clerk"], date(2026, 11, 10))

    results = at_once(*[file_it] * 8)
    assert sorted(map(str, results)) == ["False"] * 7 + ["True"], results
    assert dossier.history.filter(action="filed").count() == 1


def test_two_heads_signing_a_late_opinion_at_once_give_it_one_number(
    people, new_dossier, monkeypatch
):
    import time
    from datetime import date

    from django.test import Client

    from review import outgoing
    from review.models import Opinion
    from workflow import actions

    # Hold the signature open while its letter is written, as a slow one would.
    write_letter = outgoing.opinion_letter
    monkeypatch.setattr(
        outgoing, "opinion_letter", lambda *a: (time.sleep(0.3), write_letter(*a))[1]
    )

    dossier = advance(new_dossier(), people, 2)
    type(dossier).objects.filter(pk=dossier.pk).update(materials_complete_on=date(2025, 9, 26))
    dossier.refresh_from_db()
    actions.pass_by_deadline(dossier)
    opinion = actions.write_late_opinion(
        dossier, people["reviewer"], conclusion="lawful", text="仅供参考。"
    )
    head2 = User.objects.create(username="head2", department=people["head"].department)
    head2.groups.set(people["head"].groups.all())

    def sign(user):
        def act():
            client = Client()
            client.force_login(user)
            url = f"/tasks/late-opinion/{dossier.pk}/"
            return client.post(url, {"action": "sign", "opinion": opinion.pk}).status_code

        return act

    # The second is told it is signed already, not shown an error page.
    assert at_once(sign(people["head"]), sign(head2)) == [302, 302]
    opinion = Opinion.objects.get(pk=opinion.pk)
    assert opinion.is_signed and dossier.letters.filter(opinion=opinion).count() == 1
    assert dossier.history.filter(action="opinion_signed", opinion=opinion).count() == 1
