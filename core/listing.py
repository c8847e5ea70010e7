"""Lists written the way the page's language writes them: 甲、乙、丙 or "A, B, C"."""

from functools import reduce

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# One pattern per separator, so that English can put its own punctuation and spaces.
PATTERNS = {
    "、": gettext_noop("%(head)s、%(item)s"),
    "；": gettext_noop("%(head)s；%(item)s"),
}


def listed(items, separator="、"):
    """The items joined in the current language; a choice is written by its label."""
    pattern = _(PATTERNS[separator])
    names = [str(getattr(item, "label", item)) for item in items]
    if not names:
        return ""
    return reduce(lambda head, item: pattern % {"head": head, "item": item}, names)
