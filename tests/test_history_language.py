"""The history in the reader's language: what the system wrote (an action's conclusion,
dates, the meeting, the number) reads in English in the English interface, without
full-width punctuation, while what people typed stays as they typed it and the record keeps
its Chinese text."""

import re

from django.utils import translation

from demo.payloads import PASS, REVISE, SIGN
from review.models import HistoryEntry
from workflow.forms.issuing import Briefing

from .conftest import USUAL_PATH, advance, step, submit
from .helpers import revised

FULL_WIDTH = re.compile(r"[，。：；（）、]")


def entry(dossier, action):
    return dossier.history.filter(action=action).last()


def in_english(text_of):
    with translation.override("en"):
        return text_of()


def test_system_notes_read_in_english_and_the_record_keeps_its_chinese(people, new_dossier):
    dossier = advance(new_dossier(), people, len(USUAL_PATH))
    signed = entry(dossier, HistoryEntry.Action.OPINION_SIGNED)
    meeting = entry(dossier, HistoryEntry.Action.MEETING_DECIDED)
    registered = entry(dossier, HistoryEntry.Action.REGISTERED)
    complete = entry(dossier, HistoryEntry.Action.MATERIALS_COMPLETE)

    assert registered.comment == f"{dossier.number}，2026年11月25日 政府网站"
    assert in_english(lambda: registered.text) == f"{dossier.number}, Nov. 25, 2026 政府网站"
    assert "Lawful" in in_english(lambda: signed.text)
    assert in_english(lambda: meeting.text) == (
        "Government executive meeting (第1次常务会议, Nov. 2, 2026): Adopted"
    )
    assert in_english(lambda: complete.text).startswith("Review category: Normal;")
    for shown in (meeting, registered, complete):
        assert not FULL_WIDTH.search(in_english(lambda e=shown: e.text)), shown.action
    # The Chinese interface reads what the record says.
    assert (
        meeting.text == meeting.comment == "政府常务会议（第1次常务会议，2026年11月2日）：审议通过"
    )


def test_what_people_typed_is_kept_as_typed(people, new_dossier):
    dossier = advance(new_dossier(), people, 2)
    step(dossier, people["reviewer"], REVISE)
    step(dossier, people["head"], {**SIGN, "comment": "请起草部门认真研究。"})
    signed = entry(dossier, HistoryEntry.Action.OPINION_SIGNED)
    assert in_english(lambda: signed.text).endswith(" Revise 请起草部门认真研究。")
    data, files = revised(dossier, "已删除处罚内容。")
    step(dossier, people["drafter"], data, files)
    answered = entry(dossier, HistoryEntry.Action.FINDINGS_ANSWERED)
    assert answered.comment == "采纳1条"
    assert in_english(lambda: answered.text) == "Adopted: 1"


def test_the_meeting_is_told_the_conclusion_in_the_readers_language(people, new_dossier):
    dossier = advance(new_dossier(), people, 4)
    number = dossier.opinions.get(conclusion="lawful").number
    facts = in_english(lambda: [(str(k), str(v)) for k, v in Briefing.of(dossier).facts()])
    assert facts == [("Legality review conclusion", f"Lawful ({number})")]


def test_an_entry_recorded_before_notes_shows_its_comment(people, new_dossier):
    dossier = new_dossier()
    old = dossier.record(people["drafter"], HistoryEntry.Action.CREATED, "早先的说明")
    assert in_english(lambda: old.text) == "早先的说明"


def test_a_list_of_materials_reads_as_a_list_in_english(people, new_dossier):
    dossier = new_dossier(materials=False)
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], PASS)
    asked = {"decision": "supplement", "missing": ["explanation", "consultation"], "comment": ""}
    step(dossier, people["reviewer"], asked)
    requested = entry(dossier, HistoryEntry.Action.SUPPLEMENT_REQUESTED)
    assert requested.comment == "起草说明、征求意见及采纳情况。"
    assert in_english(lambda: requested.text) == (
        "Drafting explanation, Public consultation and comments adopted."
    )
