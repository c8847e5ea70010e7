"""A cleanup campaign as work and as result: each department's task (清理任务) with its
reply deadline, and the published lists with their counts.

The lists follow the order of a published cleanup result: documents retained, to be
amended, repealed, declared invalid; each entry with title, number, dates and reason.
The count sentence reads like the seed report's: 保留92件，废止或失效64件，修改23件.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workdays import UnknownCalendarYear, WorkCalendar
from search.models import CampaignItem, CleanupCampaign, Decision
from search.models.cleanup import PROPOSER_ROLES

# Items a department has answered: proposed and waiting, or agreed. A returned item waits
# for a new proposal.
ANSWERED = (CampaignItem.State.PROPOSED, CampaignItem.State.APPROVED)


def default_reply_due(today: date | None = None) -> date | None:
    """The launch form's suggested deadline: CLEANUP_REPLY_WORKING_DAYS working days on.

    By the holiday package alone (the administrators' corrections live in the process
    layer above): a suggestion the launcher sees and may change, not a legal period. None
    past the package's years: the launcher then chooses the date.
    """
    today = today or timezone.localdate()
    days = getattr(settings, "CLEANUP_REPLY_WORKING_DAYS", 20)
    try:
        return WorkCalendar().add_working_days(today, days)
    except UnknownCalendarYear:
        return None


@dataclass
class CleanupTask:
    """One open campaign as a department's task: its documents, how many it has answered."""

    campaign: CleanupCampaign
    count: int
    answered: int
    today: date

    @property
    def remaining(self) -> int:
        return self.count - self.answered

    @property
    def reply_due(self) -> date | None:
        return self.campaign.reply_due

    @property
    def overdue(self) -> bool:
        return self.remaining > 0 and self.campaign.is_overdue(self.today)


def cleanup_tasks(user) -> list[CleanupTask]:
    """Every open campaign that gave documents to the user's department, soonest due first,
    for those who propose on the department's behalf; one query."""
    if not (user.is_authenticated and user.department_id and user.has_role(*PROPOSER_ROLES)):
        return []
    own = Q(items__department_id=user.department_id)
    campaigns = (
        CleanupCampaign.objects.filter(state=CleanupCampaign.State.OPEN)
        .annotate(
            n_items=Count("items", filter=own),
            n_answered=Count("items", filter=own & Q(items__state__in=ANSWERED)),
        )
        .filter(n_items__gt=0)
        .order_by(F("reply_due").asc(nulls_last=True), "created_at")
    )
    today = timezone.localdate()
    return [CleanupTask(c, c.n_items, c.n_answered, today) for c in campaigns]


def open_cleanup_tasks(user) -> list[CleanupTask]:
    """What the user's department still has to answer: for the desk."""
    return [task for task in cleanup_tasks(user) if task.remaining]


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
