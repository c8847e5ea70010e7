import os

# Tests run with the development settings; production refuses to start without a key.
os.environ.setdefault("DJANGO_DEBUG", "true")

# Every test gets its own empty search index (search.testing).
pytest_plugins = ["search.testing"]
