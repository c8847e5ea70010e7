"""A session ends after SESSION_IDLE_MINUTES without a request; passwords follow a stronger
policy; the proxy's headers are believed only when DJANGO_BEHIND_PROXY says there is one."""

import runpy
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

SETTINGS = Path(__file__).resolve().parents[1] / "config" / "settings.py"


def later(minutes):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes))


def test_a_session_ends_after_half_an_hour_without_a_request(people, client):
    client.force_login(people["reviewer"])
    assert client.get("/tasks/").status_code == 200
    # Each request starts the idle period anew: 50 minutes of work in steps of 25.
    with later(25):
        assert client.get("/tasks/").status_code == 200
        with later(25):
            assert client.get("/tasks/").status_code == 200
            # Then 31 minutes without a request: the session is over.
            with later(31):
                response = client.get("/tasks/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/tasks/").status_code == 302


def test_a_session_is_kept_in_the_browser_only_until_it_closes(people, client):
    client.force_login(people["reviewer"])
    response = client.get("/tasks/")
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]


def test_a_short_or_weak_password_is_refused(people):
    user = people["reviewer"]
    for weak in ["kp-short-p1", "202611261234", "password1234", user.username + "-2026"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("hengshui-legal-review-7", user)


def test_the_admin_refuses_a_short_password_for_a_new_user(admin_client, django_user_model):
    response = admin_client.post(
        "/admin/review/user/add/",
        {"username": "newclerk", "usable_password": "true",
         "password1": "kp-short-p1", "password2": "kp-short-p1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not django_user_model.objects.filter(username="newclerk").exists()


def settings_under(monkeypatch, **environment):
    for name in ("DJANGO_BEHIND_PROXY", "SESSION_IDLE_MINUTES", "PASSWORD_MIN_LENGTH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def min_length(config):
    (validator,) = [
        v
        for v in config["AUTH_PASSWORD_VALIDATORS"]
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    return validator["OPTIONS"]["min_length"]


def test_the_limits_are_settable_and_the_proxy_header_is_believed_only_behind_one(monkeypatch):
    default = settings_under(monkeypatch)
    assert default["SESSION_COOKIE_AGE"] == 30 * 60 and default["SESSION_SAVE_EVERY_REQUEST"]
    assert min_length(default) == 12
    assert "SECURE_PROXY_SSL_HEADER" not in default
    assert "AXES_CLIENT_IP_CALLABLE" not in default

    configured = settings_under(
        monkeypatch, DJANGO_BEHIND_PROXY="true", SESSION_IDLE_MINUTES="15", PASSWORD_MIN_LENGTH="16"
    )
    assert configured["SESSION_COOKIE_AGE"] == 15 * 60
    assert min_length(configured) == 16
    assert configured["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert configured["AXES_CLIENT_IP_CALLABLE"] == "core.http.forwarded_client_ip"


def test_without_a_proxy_a_forged_forwarded_proto_is_not_https(client, settings):
    """The running settings have no proxy: a client's X-Forwarded-Proto does not make the
    request secure (with a proxy, Django's own setting does, as configured above)."""
    assert settings.SECURE_PROXY_SSL_HEADER is None
    from django.test import RequestFactory

    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert not request.is_secure()
