"""A list costs the same number of queries whatever its length (issue: pages at scale)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import advance


def queries(client, user, url):
    client.force_login(user)
    client.get(url)  # once first: the session and the language settle
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/dossiers/", "/tasks/", "/tasks/queue/"])
def test_the_reviewers_lists_cost_the_same_at_two_lengths(people, new_dossier, client, url):
    counts = []
    made = 0
    for length in (2, 5):
        while made < length:
            # In review, with a clock: the rows that used to cost queries each.
            advance(new_dossier(title=f"衡水市第{made}号管理办法（草案）"), people, 2)
            made += 1
        counts.append(queries(client, people["reviewer"], url))
    assert counts[0] == counts[1], counts
