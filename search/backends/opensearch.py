"""OpenSearch 2 (OPENSEARCH_URL set): the engine the backend suite runs against in CI.

The bodies are search.backends.bodies', the same that Elasticsearch is sent; this module
only names the client (opensearch-py).
"""

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import NotFoundError, OpenSearchException

from search.backends.server import TIMEOUT_S, ServerBackend


class OpenSearchBackend(ServerBackend):
    engine = "OpenSearch"
    # The base of its transport, HTTP and bulk errors.
    errors = (OpenSearchException,)
    not_found = NotFoundError

    def connect(self, url):
        return OpenSearch(url, timeout=TIMEOUT_S)

    def bulk(self, actions, *, timeout=TIMEOUT_S, **options):
        helpers.bulk(self.client, actions, request_timeout=timeout, **options)
