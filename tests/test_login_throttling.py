"""Logins are throttled (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords an account,
or an address, is locked out for a while, even with the right password, and it is logged."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

PASSWORD = "pw-for-tests-1"  # the `people` fixture's
LOCKED = "登录失败次数过多"


def login(client, path, username, password, address):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_an_account_is_locked_after_repeated_failures(path, people, client, settings, caplog):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    user = people["reviewer"]
    user.is_staff = True  # so that the admin's login page would let them in
    user.save()
    for _attempt in range(5):
        response = login(client, path, user.username, "wrong-password", "10.0.0.1")
        assert not logged_in(client)
    assert response.status_code == 429 and LOCKED in response.content.decode()

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="axes"):
        refused = login(client, path, user.username, PASSWORD, "10.0.0.1")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert LOCKED in page and "15分钟后再试" in page
    assert not logged_in(client)
    line = [r.getMessage() for r in caplog.records if "Locking out" in r.getMessage()][-1]
    assert user.username in line and "10.0.0.1" in line and PASSWORD not in line

    # The account is locked from any address too.
    assert login(client, "/login/", user.username, PASSWORD, "10.0.0.9").status_code == 429
    assert not logged_in(client)

    # Another account from another address is not locked.
    other = login(client, "/login/", people["head"].username, PASSWORD, "10.0.0.2")
    assert other.status_code == 302 and logged_in(client)


def test_an_address_is_locked_whichever_accounts_it_tries(people, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        login(client, "/login/", name, "guess", "10.0.0.3")
    response = login(client, "/login/", people["head"].username, PASSWORD, "10.0.0.3")
    assert response.status_code == 429 and not logged_in(client)
    # The same account from its own address is not locked.
    response = login(client, "/login/", people["head"].username, PASSWORD, "10.0.0.4")
    assert response.status_code == 302 and logged_in(client)


def test_below_the_limit_and_after_the_cool_off_the_right_password_works(people, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    user = people["reviewer"]
    for _attempt in range(4):
        login(client, "/login/", user.username, "wrong-password", "10.0.0.5")
    assert login(client, "/login/", user.username, PASSWORD, "10.0.0.5").status_code == 302
    client.logout()
    login(client, "/login/", user.username, "wrong-password", "10.0.0.5")
    assert login(client, "/login/", user.username, PASSWORD, "10.0.0.5").status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(client, "/login/", user.username, PASSWORD, "10.0.0.5").status_code == 302


def test_forwarded_addresses_count_only_behind_a_proxy(people, client, settings):
    """Without DJANGO_BEHIND_PROXY a forged X-Forwarded-For does not dodge the lock; behind
    the proxy, the address it appends (the right-most) is the client's."""
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        client.post(
            "/login/",
            {"username": f"x{n}", "password": "guess"},
            REMOTE_ADDR="10.0.0.6",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    head = {"username": people["head"].username, "password": PASSWORD}
    assert client.post("/login/", head, REMOTE_ADDR="10.0.0.6").status_code == 429

    settings.AXES_CLIENT_IP_CALLABLE = "core.http.forwarded_client_ip"
    for n in range(3):
        client.post(
            "/login/",
            {"username": f"y{n}", "password": "guess"},
            REMOTE_ADDR="10.0.0.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.1",
        )
    proxied = {"REMOTE_ADDR": "10.0.0.7"}
    locked = client.post("/login/", head, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxied)
    assert locked.status_code == 429
    response = client.post("/login/", head, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxied)
    assert response.status_code == 302
