"""The outside services some tests need, and what happens when one is missing.

A test marked ``postgres``, ``redis``, ``opensearch``, ``libreoffice`` or ``browser`` needs a real one of
them. Outside CI such a test is skipped when it is missing, and the run ends by naming each
group skipped and how to get it; under CI=true it fails instead, so a green CI always means
the test ran.
"""

import os
from pathlib import Path

import pytest
from django.db import connection

CHROMIUM = "/usr/bin/chromium"
CI = os.environ.get("CI") == "true"
SKIPPED_LOG = Path(__file__).resolve().parents[1] / "var" / "test-skipped-groups"


def _postgres():
    return connection.vendor == "postgresql"


def _redis():
    return bool(os.environ.get("TEST_REDIS_URL"))


def _opensearch():
    return bool(os.environ.get("TEST_OPENSEARCH_URL"))


def _libreoffice():
    from review.ingest import converter_available

    return converter_available()


def _chromium():
    return Path(CHROMIUM).exists()


# marker: (is it here, what is missing, how to get it)
GROUPS = {
    "postgres": (
        _postgres,
        "PostgreSQL (the test database is not PostgreSQL)",
        "sudo apt-get install postgresql; `make test` starts a throwaway server",
    ),
    "redis": (
        _redis,
        "Redis (TEST_REDIS_URL is not set)",
        "sudo apt-get install redis-server; `make test` starts a throwaway server",
    ),
    "opensearch": (
        _opensearch,
        "OpenSearch (TEST_OPENSEARCH_URL is not set)",
        "Java 17 and Maven (sudo apt-get install openjdk-17-jdk-headless maven); "
        "`make test` builds and starts a throwaway node (scripts/services.sh opensearch)",
    ),
    "libreoffice": (
        _libreoffice,
        "LibreOffice (soffice)",
        "sudo apt-get install libreoffice-writer-nogui",
    ),
    "browser": (_chromium, f"Debian's Chromium ({CHROMIUM})", "sudo apt-get install chromium"),
}

_skipped: dict[str, str] = {}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "opensearch: needs a real OpenSearch node (TEST_OPENSEARCH_URL)"
    )


def _groups_of(item):
    return [name for name in GROUPS if item.get_closest_marker(name)]


def pytest_runtest_setup(item):
    for name in _groups_of(item):
        present, missing, hint = GROUPS[name]
        if not present():
            message = f"needs {missing}: {hint}"
            if CI:
                pytest.fail(f"CI=true and a required service is missing: {message}", False)
            _skipped[name] = hint
            pytest.skip(message)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if CI and report.skipped and _groups_of(item):
        # A skip from inside the test (not the check above) proves nothing either.
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every service must be present: {reason}"
    return report


def pytest_terminal_summary(terminalreporter):
    if not _skipped:
        return
    line = "; ".join(f"{name} ({hint})" for name, hint in sorted(_skipped.items()))
    terminalreporter.write_line(f"Skipped for want of a service: {line}", yellow=True)
    SKIPPED_LOG.parent.mkdir(exist_ok=True)
    with SKIPPED_LOG.open("a", encoding="utf-8") as log:
        log.write(line + "\n")
