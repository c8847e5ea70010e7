"""Pytest fixtures of the register (loaded by the root conftest.py).

Tests read the real laws corpus beside the checkout (../shared/corpus/laws) and import a
deterministic sample of it: every 25th file plus the files that tests name.
"""

import os
import shutil
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache

from search.backends import get_backend
from search.importing import import_register
from search.indexing import schedule_indexing
from search.models import Document, Kind, Status

LAWS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "laws"

NAMED = [
    "行政法/体育法(2016-11-07).md",
    "行政法/体育法(2022-06-24).md",
    "行政法/行政处罚法(2021-01-22).md",
    "行政法规/居住证暂行条例(2015-11-26).md",
    "行政法规/不动产登记暂行条例(2019-03-24).md",
    "行政法规/城市供水条例(2020-03-27).md",
    "刑法/刑法.md",
    "刑法/刑法修正案（十一）.md",
    "行政法/环境噪声污染防治法(2018-12-29).md",
    "行政法/噪声污染防治法(2021-12-24).md",
    "案例/消费购物/李某与某购物广场买卖合同纠纷案.md",
]


def sample_paths(every=25):
    files = sorted(
        p.relative_to(LAWS)
        for p in LAWS.rglob("*.md")
        if p.name != "_index.md" and p.parent != LAWS
    )
    chosen = set(files[::every]) | {Path(name) for name in NAMED}
    missing = [name for name in chosen if not (LAWS / name).exists()]
    assert not missing, f"corpus files named by the tests are missing: {missing}"
    return sorted(chosen)


def linked_laws(tmp_path_factory, names) -> Path:
    """The corpus layout (its catalogues and folders) with only the files `names`, linked."""
    root = tmp_path_factory.mktemp("laws")
    for catalogue in LAWS.rglob("db.sqlite3"):
        target = root / catalogue.relative_to(LAWS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(catalogue, target)
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(LAWS / name, target)
    return root


@pytest.fixture(scope="session")
def corpus_sample(tmp_path_factory):
    """The corpus layout with a sample of its files."""
    return linked_laws(tmp_path_factory, sample_paths())


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    """Every test gets its own empty embedded index, never the developer's var/ one.

    Built, as `reindex` builds it: updates never create an index. And the cache is emptied,
    since every test starts at the same moment and the search API's counts per minute and
    the once-an-hour alerts (search.api, search.alerts) would otherwise carry over.
    """
    settings.OPENSEARCH_URL = settings.ELASTICSEARCH_URL = settings.SEARCH_URL = ""
    settings.SEARCH_INDEX_PATH = tmp_path / "search-index"
    get_backend().rebuild([])
    cache.clear()
    return settings.SEARCH_INDEX_PATH


# The servers a backend test also runs on: the setting that names one, and the variable that
# gives the tests its address (`make test` starts an OpenSearch node and sets its variable).
SERVERS = {"elasticsearch": "ELASTICSEARCH_URL", "opensearch": "TEST_OPENSEARCH_URL"}


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("opensearch", marks=pytest.mark.opensearch),
        pytest.param("elasticsearch", marks=pytest.mark.elasticsearch),
    ]
)
def backend(request, settings):
    """The same behaviour is asked of every backend; a server only where a real one is
    named, never a stand-in."""
    if request.param == "embedded":
        yield get_backend()
        return
    url = os.environ.get(SERVERS[request.param])
    if not url:
        pytest.skip(f"{SERVERS[request.param]} is not set: no {request.param} server here")
    setattr(settings, request.param.upper() + "_URL", url)
    settings.ELASTICSEARCH_INDEX = f"test-register-{uuid.uuid4().hex[:8]}"
    backend = get_backend()
    backend.rebuild([])
    yield backend
    backend.drop()


@pytest.fixture
def import_laws(db, django_capture_on_commit_callbacks):
    """Import a folder laid out as the corpus (`linked_laws`) and index it, as
    `manage.py import_register` does it; returns the import's report."""

    def run(root):
        with django_capture_on_commit_callbacks(execute=True):
            return import_register(root)

    return run


@pytest.fixture
def corpus(import_laws, corpus_sample):
    """The corpus sample imported and indexed."""
    return import_laws(corpus_sample)


@pytest.fixture
def imported(backend, import_laws, corpus_sample):
    """The same, indexed by each backend in turn."""
    report = import_laws(corpus_sample)
    backend.refresh()
    return report


@pytest.fixture
def register_document(db, django_capture_on_commit_callbacks):
    """Enter a document in the register and index it as the app does, then return it.

    Sensible defaults, any of them overridden by keyword (the fields of
    search.models.Document). Indexing is scheduled for after the commit (search.indexing) and
    the commit's callbacks are run; the configured backend is then refreshed, so the next
    search sees the document, whichever backend the test uses.
    """

    def register(**fields):
        fields = {
            "title": "衡水市居住证管理办法",
            "issuer": "衡水市人民政府",
            "kind": Kind.GOVERNMENT_NORMATIVE,
            "status": Status.IN_FORCE,
            "published_on": date(2016, 3, 1),
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            document = Document.objects.create(**fields)
            schedule_indexing([document.pk])
        get_backend().refresh()
        return document

    return register
