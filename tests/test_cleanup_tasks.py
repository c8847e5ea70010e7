"""A campaign that gives a department documents is that department's task (我的清理任务):
how many, how many answered, by when; and the department is told (items_assigned)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.cleanup import open_cleanup_tasks
from search.models import CleanupCampaign, Decision
from search.signals import items_assigned

from .cleanup import campaign_of, documents_of, housing_documents

TASKS = "/register/cleanup/tasks/"


def test_the_department_sees_its_task_with_count_answers_and_deadline(people, client):
    campaign = campaign_of(people, housing_documents(people, 3))
    campaign.items.first().propose(people["dept_legal"], Decision.RETAIN, "继续适用。")

    client.force_login(people["drafter"])
    page = client.get(TASKS).content.decode()
    assert "2026年规范性文件清理" in page and campaign.get_absolute_url() in page
    assert "<td>3</td>" in page and "尚有2件待提出" in page
    assert "2026年12月24日" in page and "已逾期" not in page
    [task] = open_cleanup_tasks(people["dept_legal"])
    assert (task.campaign, task.count, task.answered, task.overdue) == (campaign, 3, 1, False)

    client.force_login(people["drafter2"])
    assert "本部门暂无清理任务" in client.get(TASKS).content.decode()
    assert open_cleanup_tasks(people["drafter2"]) == []
    assert open_cleanup_tasks(people["reviewer"]) == []


@pytest.mark.today(date(2026, 12, 28))
def test_a_task_past_its_deadline_is_marked_overdue_until_answered(people, client):
    campaign = campaign_of(people, housing_documents(people, 2))
    client.force_login(people["dept_legal"])
    assert "已逾期" in client.get(TASKS).content.decode()
    assert "已逾期" in client.get(campaign.get_absolute_url()).content.decode()

    campaign.items.all().propose(people["dept_legal"], Decision.RETAIN, "继续适用。")
    assert "已逾期" not in client.get(TASKS).content.decode()
    assert open_cleanup_tasks(people["dept_legal"]) == []


def test_the_task_list_costs_the_same_for_many_campaigns(people, client):
    documents = housing_documents(people, 4)
    client.force_login(people["drafter"])
    campaign_of(people, documents[:2], title="一")
    with CaptureQueriesContext(connection) as one:
        client.get(TASKS)
    for n in range(3):
        campaign_of(people, documents, title=f"清理{n}")
    with CaptureQueriesContext(connection) as four:
        assert client.get(TASKS).content.decode().count("<tr") == 1 + 4
    assert len(four) == len(one)


def test_each_department_is_told_once_after_the_assignment_commits(
    people, client, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, campaign, department, count, **kwargs):
        heard.append((sender, campaign.title, department.name, count))

    items_assigned.connect(listener)
    try:
        housing = housing_documents(people, 3)
        market = documents_of(people["drafter2"].department, 2, first=4)
        unassigned = documents_of(None, 1, first=6)
        with django_capture_on_commit_callbacks() as callbacks:
            campaign = campaign_of(people, [*housing, *market, *unassigned])
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert sorted(heard) == sorted([
            (CleanupCampaign, "2026年规范性文件清理", "衡水市住房和城乡建设局", 3),
            (CleanupCampaign, "2026年规范性文件清理", "衡水市市场监督管理局", 2),
        ])  # fmt: skip

        heard.clear()
        client.force_login(people["reviewer"])
        item = campaign.items.get(department=None)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/register/cleanup/{campaign.pk}/assign/",
                {"items": [item.pk], "department": people["drafter2"].department.pk},
            )
        assert heard == [(CleanupCampaign, "2026年规范性文件清理", "衡水市市场监督管理局", 1)]
    finally:
        items_assigned.disconnect(listener)
