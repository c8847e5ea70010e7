import os

# Tests run with the development settings; production refuses to start without a key.
os.environ.setdefault("DJANGO_DEBUG", "true")

# The fixed day every test lives on, the register's fixtures, and the outside services.
pytest_plugins = ["tests.today", "tests.register", "tests.services", "tests.workers"]
