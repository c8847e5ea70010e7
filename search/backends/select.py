"""Which engine answers: the embedded index, or the server named in the settings."""

from functools import lru_cache

from django.conf import settings

from search.backends.base import SearchBackend


@lru_cache(maxsize=4)
def _backend(url: str, index: str, path: str) -> SearchBackend:
    if url:
        from search.backends.elastic import ElasticBackend

        return ElasticBackend(url, alias=index)
    from search.backends.embedded import EmbeddedBackend

    return EmbeddedBackend(path)


def get_backend() -> SearchBackend:
    """Elasticsearch when ELASTICSEARCH_URL is set, else the embedded index."""
    return _backend(
        settings.ELASTICSEARCH_URL,
        getattr(settings, "ELASTICSEARCH_INDEX", "register"),
        str(settings.SEARCH_INDEX_PATH),
    )
