"""Elasticsearch 8, for registers beyond one machine (ELASTICSEARCH_URL set).

The bodies are search.backends.bodies', the same that the tests send to a real OpenSearch
node; this module only names the client (elasticsearch 8.19).
"""

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from search.backends.server import TIMEOUT_S, ServerBackend


class ElasticBackend(ServerBackend):
    engine = "Elasticsearch"
    errors = (TransportError, ApiError, helpers.BulkIndexError)
    not_found = NotFoundError

    def connect(self, url):
        return Elasticsearch(url, request_timeout=TIMEOUT_S)

    def bulk(self, actions, *, timeout=TIMEOUT_S, **options):
        helpers.bulk(self.client.options(request_timeout=timeout), actions, **options)
