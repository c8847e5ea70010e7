"""A cleanup campaign's steps as its pages take them, for the test_cleanup_* files."""

import re
from datetime import date

from search.models import CleanupCampaign, Document, Kind, Status

LAUNCH = "/register/cleanup/new/"


def launch(client, data, reply_due="2026-12-24"):
    """Count, then confirm that count, as the launcher does; returns the second response."""
    data = {"reply_due": reply_due, **data}
    preview = client.post(LAUNCH, data)
    expected = re.search(r'name="expected" value="(\d+)"', preview.content.decode())
    assert expected, preview.content.decode()[:2000]
    return client.post(LAUNCH, {**data, "expected": expected[1], "confirm": "1"})


def publish(client, campaign, on="2018-06-30", **kwargs):
    return client.post(
        f"/register/cleanup/{campaign.pk}/publish/",
        {"published_on": on, "confirm": "on"},
        **kwargs,
    )


def documents_of(department, n, first=1):
    """``n`` government documents in force drafted by ``department`` (None: not recorded),
    numbered from ``first``."""
    return [
        Document.objects.create(
            title=f"衡水市管理办法（{k}）",
            number=f"衡政规〔2016〕{k}号",
            issuer="衡水市人民政府",
            kind=Kind.GOVERNMENT_NORMATIVE,
            status=Status.IN_FORCE,
            published_on=date(2016, 1, k),
            department=department,
        )  # fmt: skip
        for k in range(first, first + n)
    ]


def housing_documents(people, n):
    """``n`` documents of the drafter's department (住建局)."""
    return documents_of(people["drafter"].department, n)


def campaign_of(people, documents, reply_due=date(2026, 12, 24), title="2026年规范性文件清理"):
    campaign = CleanupCampaign.objects.create(
        title=title, created_by=people["reviewer"], reply_due=reply_due
    )
    campaign.add_documents(documents)
    return campaign
