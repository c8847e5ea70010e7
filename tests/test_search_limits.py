"""One search stays cheap, and one address cannot ask the public API without end
(settings.SEARCH_LIMITS: 20 words, 5 lone Chinese characters, 60 API requests a minute)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

API = "/api/register/search"
TOO_MANY_WORDS = "关键词最多20个，请删减后再查询。"
TOO_MANY_CHARACTERS = "单个汉字的关键词最多5个，请输入完整的词语。"


@pytest.mark.parametrize(
    "q, message",
    [
        # The hostile query: a hundred one-character words.
        (" ".join(chr(0x4E00 + i) for i in range(100)), TOO_MANY_WORDS),
        (" ".join(["审查"] * 21), TOO_MANY_WORDS),
        ("的 一 是 了 不 在", TOO_MANY_CHARACTERS),
        # Punctuation between them does not make them one word.
        ("的，一，是，了，不，在", TOO_MANY_CHARACTERS),
        ("第1条 第2条 第3条", TOO_MANY_CHARACTERS),
    ],
    ids=["100-characters", "21-words", "6-characters", "6-characters-one-word", "articles"],
)  # fmt: skip
def test_a_dear_query_is_refused_with_400(db, client, q, message):
    response = client.get(API, {"q": q})
    assert response.status_code == 400
    assert response.json()["error"] == message


@pytest.mark.parametrize(
    "q",
    [
        " ".join(["审查"] * 20),
        "的 一 是 了 不",
        "国办发〔2017〕1号",
        " ".join("1234567890abcdefghij"),  # Latin letters and digits are whole words
    ],
    ids=["20-words", "5-characters", "number", "latin-and-digits"],
)
def test_a_query_within_the_limits_is_answered(db, client, q):
    assert client.get(API, {"q": q}).status_code == 200


def test_the_pages_explain_the_limit(db, client, people):
    q = " ".join("的一是了不在")
    page = client.get("/register/public/", {"q": q})
    assert page.status_code == 200 and page.context["result"] is None
    assert TOO_MANY_CHARACTERS in page.content.decode()
    client.force_login(people["drafter"])
    page = client.get("/register/", {"q": " ".join(["审查"] * 21)})
    assert page.status_code == 200 and page.context["result"] is None
    assert TOO_MANY_WORDS in page.content.decode()


def test_one_address_is_answered_60_times_a_minute(db, client):
    for i in range(60):
        # Refused requests count as well.
        params = {"q": "居住证"} if i % 2 else {"page": 0}
        assert client.get(API, params).status_code in (200, 400)
    refused = client.get(API, {"q": "居住证"})
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json() == {
        "error": f"查询过于频繁：每个地址每分钟最多查询60次，请{wait}秒后再试。"
    }
    assert client.get(API, {"q": "居住证"}, REMOTE_ADDR="10.0.0.2").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=wait)):
        assert client.get(API, {"q": "居住证"}).status_code == 200


def test_behind_the_proxy_the_address_it_vouches_for_counts(db, client, settings):
    settings.BEHIND_PROXY = True
    settings.SEARCH_LIMITS = {**settings.SEARCH_LIMITS, "api_requests_per_minute": 2}
    for forged in ("1.1.1.1", "2.2.2.2"):
        response = client.get(API, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7")
        assert response.status_code == 200
    refused = client.get(API, HTTP_X_FORWARDED_FOR="3.3.3.3, 203.0.113.7")
    assert refused.status_code == 429
    assert re.fullmatch(r"\d+", refused["Retry-After"])
    assert client.get(API, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200
