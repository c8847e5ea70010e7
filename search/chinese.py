"""Chinese text as both search backends and the highlighter cut it.

Text is NFKC-normalised (full-width digits and brackets become ASCII) and lower-cased,
then cut into runs of CJK characters and runs of Latin letters or digits; everything else
(punctuation, spaces, brackets) only separates runs. A CJK run is indexed as its
overlapping bigrams, the idea of Elasticsearch's built-in cjk analyzer.
"""

import re
import unicodedata

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_BETWEEN_RUNS = rf"[^{_CJK}0-9a-z]*"


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[str]:
    return _RUNS.findall(normalize(text))


def is_cjk(run: str) -> bool:
    return not ("0" <= run[0] <= "9" or "a" <= run[0] <= "z")


def run_tokens(run: str) -> list[str]:
    if is_cjk(run) and len(run) > 1:
        return [run[i : i + 2] for i in range(len(run) - 1)]
    return [run]


def tokens(text: str) -> list[str]:
    """Bigrams of each CJK run, whole words otherwise."""
    return [token for run in runs(text) for token in run_tokens(run)]


def word_pattern(word: str) -> re.Pattern | None:
    """What a query word matches in normalised text: its runs in order, with only
    punctuation or spaces between them, as the index matches them."""
    parts = runs(word)
    if not parts:
        return None
    return re.compile(_BETWEEN_RUNS.join(re.escape(p) for p in parts))
