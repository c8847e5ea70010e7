"""Which engine answers: the embedded index, or the server named in the settings.

OPENSEARCH_URL names an OpenSearch 2 server and ELASTICSEARCH_URL an Elasticsearch 8 one;
SEARCH_URL names either, and the server's own answer (GET /) says which. Naming more than
one is refused, rather than one silently winning.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from search.backends.base import SearchBackend, SearchUnavailable


def _engine_of(url: str) -> str:
    from opensearchpy import OpenSearch
    from opensearchpy.exceptions import OpenSearchException

    try:
        # opensearch-py reads either engine's root answer (the Elasticsearch client refuses
        # a server that is not Elasticsearch).
        version = OpenSearch(url, timeout=10).info()["version"]
    except OpenSearchException as error:
        raise SearchUnavailable(f"SEARCH_URL {url} does not answer: {error}") from error
    return "opensearch" if version.get("distribution") == "opensearch" else "elasticsearch"


# Not cached when the engine cannot be told (the exception): the next search asks again.
@lru_cache(maxsize=4)
def _backend(engine: str, url: str, index: str, path: str) -> SearchBackend:
    if url and not engine:
        engine = _engine_of(url)
    if engine == "opensearch":
        from search.backends.opensearch import OpenSearchBackend

        return OpenSearchBackend(url, alias=index)
    if engine == "elasticsearch":
        from search.backends.elastic import ElasticBackend

        return ElasticBackend(url, alias=index)
    from search.backends.embedded import EmbeddedBackend

    return EmbeddedBackend(Path(path))


def get_backend() -> SearchBackend:
    """The server named by OPENSEARCH_URL, ELASTICSEARCH_URL or SEARCH_URL, else the
    embedded index in SEARCH_INDEX_PATH."""
    named = [
        (engine, url)
        for engine, url in (
            ("opensearch", settings.OPENSEARCH_URL),
            ("elasticsearch", settings.ELASTICSEARCH_URL),
            ("", settings.SEARCH_URL),
        )
        if url
    ]
    if len(named) > 1:
        raise ImproperlyConfigured(
            "Name one search server: only one of OPENSEARCH_URL, ELASTICSEARCH_URL and "
            "SEARCH_URL may be set."
        )
    engine, url = named[0] if named else ("", "")
    return _backend(engine, url, settings.ELASTICSEARCH_INDEX, str(settings.SEARCH_INDEX_PATH))
