"""The published result of a cleanup campaign (清理结果): its lists and its counts.

The lists follow the order of a published cleanup result: documents retained, to be
amended, repealed, declared invalid; each entry with title, number, dates and reason.
The count sentence reads like the seed report's: 保留92件，废止或失效64件，修改23件.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from search.models import CampaignItem, Decision

LIST_TITLES = {
    Decision.RETAIN: _("继续有效的规范性文件目录"),
    Decision.AMEND: _("需要修改的规范性文件目录"),
    Decision.REPEAL: _("决定废止的规范性文件目录"),
    Decision.INVALID: _("宣布失效的规范性文件目录"),
}


@dataclass
class ResultList:
    decision: str
    title: str
    items: list[CampaignItem]


def result_lists(campaign) -> list[ResultList]:
    """The approved decisions grouped into the four lists, each in publication order."""
    items = (
        campaign.items.filter(state=CampaignItem.State.APPROVED)
        .select_related("document")
        .order_by("document__published_on", "document__pk")
    )
    grouped = {decision: [] for decision in LIST_TITLES}
    for item in items:
        grouped[item.decision].append(item)
    return [ResultList(d, str(title), grouped[d]) for d, title in LIST_TITLES.items()]


def count_sentence(campaign) -> str:
    counts = campaign.counts()
    return str(
        _("保留%(retain)s件，废止或失效%(ended)s件，修改%(amend)s件")
        % {
            "retain": counts[Decision.RETAIN],
            "ended": counts[Decision.REPEAL] + counts[Decision.INVALID],
            "amend": counts[Decision.AMEND],
        }
    )
