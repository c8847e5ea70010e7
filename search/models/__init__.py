"""The register (documents.py) and its cleanup campaigns (cleanup.py)."""

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
    "Kind",
    "PlannedChange",
    "Status",
    "StatusChange",
    "can_manage_cleanup",
    "validity_years",
]
