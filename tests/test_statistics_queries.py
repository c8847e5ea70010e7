"""The statistics page and the lists behind its figures cost the same number of queries
however many dossiers the year had (issue: pages at scale)."""

import pytest

from .conftest import USUAL_PATH, advance
from .test_list_queries import queries


@pytest.mark.parametrize(
    "url",
    [
        "/reports/?year=2026",
        "/reports/figures/deadlines/kept/?year=2026",
        "/reports/figures/filing/unfiled/?year=2026",
        "/reports/figures/times/legal_review/?year=2026",
    ],
)
def test_the_statistics_cost_the_same_for_one_issued_dossier_and_three(
    people, new_dossier, client, url
):
    counts = []
    made = 0
    for length in (1, 3):
        while made < length:
            # Issued: every group of figures counts it (received, opinion, clock, meeting,
            # filing, the time at each stage).
            advance(new_dossier(title=f"衡水市第{made}号统计办法（草案）"), people, len(USUAL_PATH))
            made += 1
        counts.append(queries(client, people["head"], url))
    assert counts[0] == counts[1], counts


def test_the_statistics_page_counts_without_reading_any_figure_s_rows(people, new_dossier, client):
    """The page shows counts, months and times per stage, all counted in the database: no
    figure reads the rows behind it (thousands in a year) until its own list is asked for."""
    advance(new_dossier(title="衡水市统计办法（草案）"), people, len(USUAL_PATH))
    client.force_login(people["head"])
    groups = client.get("/reports/?year=2026").context["groups"]
    issued = groups["throughput"]["issued"]
    assert issued.count == 1 and groups["times"]["legal_review"].median is not None
    read = [
        (group, name) for group, found in groups.items() for name in found if read_rows(found[name])
    ]
    assert read == []
    assert len(issued.rows) == 1 and read_rows(issued)


def read_rows(figure):
    # Figure.rows is a cached_property: once read, the figure holds them.
    return "rows" in vars(figure)
