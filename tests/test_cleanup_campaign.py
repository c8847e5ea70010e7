"""A cleanup campaign from start to published lists (清理: 保留、修改、废止、宣布失效)."""

import io
from datetime import date

from docx import Document as Docx
from openpyxl import load_workbook

from search.backends import SearchQuery, search
from search.models import CampaignItem, Document, Kind, Status

from .cleanup import launch, publish

TITLES = ["衡水市城市房屋租赁管理办法", "衡水市物业管理办法", "衡水市住房公积金管理办法",
          "衡水市房屋安全鉴定管理办法", "衡水市农贸市场管理办法"]  # fmt: skip


def register(people, register_document):
    housing, market = people["drafter"].department, people["drafter2"].department
    docs = []
    for n, title in enumerate(TITLES, start=1):
        docs.append(
            register_document(
                title=title,
                number=f"衡政规〔2016〕{n}号",
                published_on=date(2016, n, 1),
                effective_on=date(2016, n, 28),
                department=housing if n < 5 else None,
            )
        )
    # Outside the filter: another year, and a lapsed document.
    register_document(
        title="衡水市养犬管理规定", number="衡政规〔2012〕1号", published_on=date(2012, 1, 1)
    )
    return docs, housing, market


def propose(client, item, decision, reason):
    return client.post(
        f"/register/cleanup/items/{item.pk}/propose/", {"decision": decision, "reason": reason}
    )


def test_a_campaign_runs_from_selection_to_published_lists(
    people, client, django_capture_on_commit_callbacks, register_document
):
    docs, housing, market = register(people, register_document)
    client.force_login(people["reviewer"])
    response = launch(
        client,
        {"title": "2018年市政府规范性文件清理", "kind": [Kind.GOVERNMENT_NORMATIVE],
         "status": [Status.IN_FORCE], "year_from": 2016, "year_to": 2016},
    )  # fmt: skip
    campaign_url = response["Location"]
    items = {i.document.title: i for i in CampaignItem.objects.select_related("document")}
    assert set(items) == set(TITLES)
    market_item = items["衡水市农贸市场管理办法"]
    assert market_item.department is None
    client.post(f"{campaign_url}assign/", {"items": [market_item.pk], "department": market.pk})

    client.force_login(people["dept_legal"])
    propose(client, items[TITLES[0]], "retain", "符合上位法，继续适用。")
    propose(client, items[TITLES[1]], "amend", "与《物业管理条例》（2018年修订）不一致。")
    propose(client, items[TITLES[2]], "repeal", "已被省级规定替代。")
    propose(client, items[TITLES[3]], "invalid", "调整对象已消失。")
    client.force_login(people["drafter2"])
    propose(client, market_item, "retain", "仍需适用。")

    client.force_login(people["head"])
    for item in CampaignItem.objects.exclude(pk=items[TITLES[2]].pk):
        client.post(f"/register/cleanup/items/{item.pk}/review/", {"approve": "1"})
    client.post(
        f"/register/cleanup/items/{items[TITLES[2]].pk}/review/",
        {"approve": "0", "comment": "请写明替代文件的名称和文号。"},
    )
    campaign = market_item.campaign
    refused = publish(client, campaign, follow=True)
    assert "还有1件文件的清理意见未经法制机构审核同意" in refused.content.decode()

    client.force_login(people["dept_legal"])
    propose(client, items[TITLES[2]], "repeal", "已被《河北省住房公积金归集管理办法》替代。")
    client.force_login(people["head"])
    client.post(f"/register/cleanup/items/{items[TITLES[2]].pk}/review/", {"approve": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        done = publish(client, campaign, follow=True)
    assert "保留2件，废止或失效2件，修改1件" in done.content.decode()

    statuses = {d.title: d.status for d in Document.objects.filter(title__in=TITLES)}
    assert statuses == {
        TITLES[0]: Status.IN_FORCE, TITLES[1]: Status.IN_FORCE, TITLES[2]: Status.REPEALED,
        TITLES[3]: Status.LAPSED, TITLES[4]: Status.IN_FORCE,
    }  # fmt: skip
    # "修改" means to be amended: still in force, listed as such until an amendment is issued.
    assert Document.objects.get(title=TITLES[1]).amendment_due_since == date(2018, 6, 30)
    repealed = Document.objects.get(title=TITLES[2])
    assert repealed.ended_on == date(2018, 6, 30)
    assert "已被《河北省住房公积金归集管理办法》替代" in repealed.status_changes.get().reason
    assert search(SearchQuery(text="住房公积金")).hits[0].document.status == Status.REPEALED

    book = load_workbook(io.BytesIO(client.get(f"{campaign_url}export.xlsx").content))
    assert book.sheetnames == ["汇总", "继续有效的规范性文件目录", "需要修改的规范性文件目录",
                               "决定废止的规范性文件目录", "宣布失效的规范性文件目录"]  # fmt: skip
    assert book["汇总"]["A2"].value == "保留2件，废止或失效2件，修改1件"
    repeal_sheet = book["决定废止的规范性文件目录"]
    assert [c.value for c in repeal_sheet[2]][1:3] == [TITLES[2], "衡政规〔2016〕3号"]

    docx = Docx(io.BytesIO(client.get(f"{campaign_url}export.docx").content))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert docx.paragraphs[0].text == "2018年市政府规范性文件清理结果"
    assert "其中保留2件，废止或失效2件，修改1件" in text
    assert "一、继续有效的规范性文件目录（2件）" in text
    assert f"1. 《{TITLES[2]}》（衡政规〔2016〕3号，2016年3月1日公布）。理由：" in text
    assert "2018年6月30日" in text


def test_exported_lists_use_the_official_fonts(people, client, register_document):
    docs, housing, _market = register(people, register_document)
    client.force_login(people["reviewer"])
    launch(
        client,
        {"title": "清理", "kind": [Kind.GOVERNMENT_NORMATIVE], "status": [Status.IN_FORCE],
         "department": housing.pk},
    )  # fmt: skip
    client.force_login(people["dept_legal"])
    for item in CampaignItem.objects.all():
        propose(client, item, "retain", "继续适用。")
    client.force_login(people["reviewer"])
    for item in CampaignItem.objects.all():
        client.post(f"/register/cleanup/items/{item.pk}/review/", {"approve": "1"})
    campaign = CampaignItem.objects.first().campaign
    publish(client, campaign)
    styles = Docx(io.BytesIO(client.get(f"/register/cleanup/{campaign.pk}/export.docx").content))
    xml = styles.styles.element.xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="方正小标宋简体"' in xml
    title = styles.styles["公文标题"]
    assert title.font.size.pt == 22
    assert styles.styles["Normal"].font.size.pt == 16
