# The two commands of the README: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_DEBUG ?= true
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test lint format check-deploy services

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@# The Celery worker (with its beat for daily reminders) runs beside the web server and
	@# stops with it; without CELERY_BROKER_URL its queue is a folder under var/.
	$(VENV)/bin/celery -A config worker --beat --concurrency 2 --loglevel WARNING \
		--schedule var/celerybeat-schedule & \
	trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Tests that also run against a real PostgreSQL server when one can be started.
PG_TESTS := tests/test_review_journey.py tests/test_concurrency.py tests/test_permissions.py tests/test_bad_input.py

test: lint
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	@# Redis for the tests that run a real Celery worker (they skip, saying why, without it).
	TEST_REDIS_URL=$$(scripts/services.sh redis) $(PY) -m pytest $(PYTEST_ARGS)
	@if url=$$(scripts/services.sh postgres) && [ -n "$$url" ]; then \
		echo "== The workflow tests again, on PostgreSQL ($$url)"; \
		DATABASE_URL=$$url $(PY) -m pytest -q $(PG_TESTS); \
	else \
		echo "== No PostgreSQL server could be started (not installed, or see server.log in /tmp/legalreview-pg-*):"; \
		echo "   the workflow tests on PostgreSQL were skipped"; \
	fi

check-deploy: $(VENV)/.installed
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$(openssl rand -hex 32) DJANGO_ALLOWED_HOSTS=review.example.gov.cn \
		$(PY) manage.py check --deploy --fail-level WARNING
