"""The register (documents.py, repeals.py), its cleanup campaigns (cleanup.py) and the
pre-review of drafts (prereview.py)."""

from .cleanup import (
    DECISION_STATUS,
    CampaignEvent,
    CampaignItem,
    CleanupCampaign,
    Decision,
    can_manage_cleanup,
)
from .documents import (
    ONE_DAY,
    Document,
    DocumentLink,
    DocumentQuerySet,
    DocumentVersion,
    EarlyEffect,
    Kind,
    PlannedChange,
    Status,
    StatusChange,
    validity_years,
)
from .prereview import FlagDecision, PreReview
from .repeals import StatedRepeal

__all__ = [
    "DECISION_STATUS",
    "ONE_DAY",
    "CampaignEvent",
    "CampaignItem",
    "CleanupCampaign",
    "Decision",
    "Document",
    "DocumentLink",
    "DocumentQuerySet",
    "DocumentVersion",
    "EarlyEffect",
    "FlagDecision",
    "Kind",
    "PlannedChange",
    "PreReview",
    "StatedRepeal",
    "Status",
    "StatusChange",
    "can_manage_cleanup",
    "validity_years",
]
