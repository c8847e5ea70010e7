"""Names of national laws as people write them: with or without 中华人民共和国.

Titles and texts name a national law in full, 《中华人民共和国公司法》, and people mostly by its
short name, 《公司法》 (the corpus catalogue lists every national law that way: its name is
the title without the prefix). Either spelling in a query finds both in the register.

Applied when a query is asked, not when documents are indexed: the index keeps one copy of
each text, a document already indexed needs no rebuild, every backend can ask the same
spellings, and the aliases apply to the bodies too, which cite laws both ways. An unbracketed
short name inside a longer word (适用公司法若干问题) has no edge to put the prefix at; the
relaxed query, which needs only most of the query's bigrams, finds those.
"""

import itertools
import re

from search.backends.base import NATIONAL_PREFIX

# Where a spelling may differ: the prefix written (it may be left out), or an opening
# title bracket without it (it may be put in).
_SLOT = re.compile(rf"{NATIONAL_PREFIX}|《(?!{NATIONAL_PREFIX})")
# More slots in one word are left as typed: each doubles the phrases asked.
MAX_SLOTS = 3


def variants(word: str) -> list[str]:
    """The word as typed, then its spellings with the prefix left out or put in at each
    name, as typed beyond the first MAX_SLOTS names."""
    slots = list(_SLOT.finditer(word))[:MAX_SLOTS]
    spellings = []
    for choice in itertools.product((False, True), repeat=len(slots)):
        out, at = [], 0
        for slot, switch in zip(slots, choice, strict=True):
            out.append(word[at : slot.start()])
            if switch:
                # The prefix goes, or follows the bracket that lacked it.
                out.append("" if slot[0] == NATIONAL_PREFIX else "《" + NATIONAL_PREFIX)
            else:
                out.append(slot[0])
            at = slot.end()
        out.append(word[at:])
        spellings.append("".join(out))
    return list(dict.fromkeys(spellings))


def without_prefix(text: str) -> str:
    """The text with every 中华人民共和国 left out, as people cite national laws."""
    return text.replace(NATIONAL_PREFIX, "")
