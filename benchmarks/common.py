"""Shared by the benchmarks: a throw-away database and index, and the machine they ran on.

Nothing here is committed data: every run builds its database and index in a temporary
folder from ../shared/corpus/laws and removes them at the end.
"""

import os
import platform
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAWS = ROOT.parent / "shared" / "corpus" / "laws"


def django_in(folder: Path, **environment: str):
    """Point Django at a fresh database and index in `folder` (or what `environment`
    names instead), then set it up and migrate."""
    os.environ.update(
        {
            "DJANGO_DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(folder),
            "ELASTICSEARCH_URL": "",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "LOG_LEVEL": "ERROR",
            **environment,
        }
    )
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, skip_checks=True)


def temp_folder(name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "")
    memory = next((int(line.split()[1]) // 1024**2 for line in meminfo if "MemTotal" in line), 0)
    return f"{cpu}, {os.cpu_count()} cores, {memory} GB RAM; Python {platform.python_version()}"


def search_engines() -> str:
    from importlib.metadata import version

    return f"SQLite {sqlite3.sqlite_version}, tantivy {version('tantivy')}"


def size_mb(path: Path) -> float:
    path = Path(path)
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]
