"""The production build works: with production settings (DJANGO_DEBUG=false) `collectstatic`
builds the hashed, compressed static files, and gunicorn serves the login page and its
stylesheet from them.

Production as deployed: gunicorn behind a reverse proxy that terminates TLS. The probe speaks
plain HTTP to 127.0.0.1, so it sends the header the proxy would add (X-Forwarded-Proto:
https) with DJANGO_BEHIND_PROXY=true; nothing else is relaxed: SECURE_SSL_REDIRECT, HSTS and
the secure cookies stay on, and a request without the header is redirected to https.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
HOST = "review.example.gov.cn"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production(tmp_path):
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "LD_PRELOAD", "FAKETIME")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_BEHIND_PROXY": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    return env


def manage(env, *command):
    done = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]


def request(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST, **headers})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_gunicorn_serves_the_login_page_and_its_stylesheet(production, tmp_path):
    manage(production, "migrate", "--noinput")
    manage(production, "collectstatic", "--noinput")
    assert (tmp_path / "static" / "staticfiles.json").exists()
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(GUNICORN), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "60"],
        cwd=ROOT, env=production, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        proxied = {"X-Forwarded-Proto": "https"}
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-4000:]
            try:
                response, body = request(port, "/login/", proxied)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        assert response.status == 200, body[:2000]
        assert "Strict-Transport-Security" in response.headers
        html = body.decode()
        assert "登录" in html
        # The stylesheet under its hashed name, from the manifest collectstatic wrote.
        css = re.search(r'href="(/static/app\.[0-9a-f]{12}\.css)"', html)
        assert css, html[:2000]
        response, body = request(port, css[1], {**proxied, "Accept-Encoding": "gzip"})
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")
        assert response.headers.get("Content-Encoding") == "gzip" and body

        # Plain HTTP, without the proxy's header, is sent to https.
        response, _body = request(port, "/login/", {})
        assert response.status == 301 and response.headers["Location"] == f"https://{HOST}/login/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
