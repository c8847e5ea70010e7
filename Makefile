# The two commands of the README: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_DEBUG ?= true
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test test-faketime lint format messages check-deploy services

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# The compiled catalogue is built, not tracked: no command rewrites a tracked file.
MO := locale/en/LC_MESSAGES/django.mo
$(MO): locale/en/LC_MESSAGES/django.po $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null

# Update the English catalogue after adding messages (then translate and commit it).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv

run: $(VENV)/.installed $(MO)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@# The search index is built explicitly from the database, never created by an update.
	$(PY) manage.py reindex
	@# The Celery worker (with its beat for daily reminders) runs beside the web server and
	@# stops with it; without CELERY_BROKER_URL its queue is a folder under var/.
	$(VENV)/bin/celery -A config worker --beat --concurrency 2 --loglevel WARNING \
		--schedule var/celerybeat-schedule & \
	trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# Style, the layers' import direction (import-linter) and types of the framework-light modules.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Tests that also run against a real PostgreSQL server.
PG_TESTS := tests/test_review_journey.py tests/test_concurrency.py tests/test_permissions.py tests/test_bad_input.py tests/test_cleanup_bulk.py tests/test_claiming.py tests/test_meeting_agenda.py tests/test_notifications.py tests/test_due_dates.py tests/test_list_queries.py tests/test_reports_figures.py tests/test_statistics_queries.py
# Tests that need no outside service: the ones `test-faketime` runs with the clock moved.
NO_SERVICE := not postgres and not redis and not opensearch and not libreoffice and not browser and not elasticsearch
SKIPPED := var/test-skipped-groups

test: lint $(MO)
	scripts/check_translations.sh
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	@mkdir -p var && rm -f $(SKIPPED)
	@# Redis for the tests that run a real Celery worker; an OpenSearch node for the search
	@# backends (built from Maven Central by scripts/opensearch on first use).
	@os=$$(scripts/services.sh opensearch); \
	if [ -n "$$os" ]; then \
		echo "== The search backends on OpenSearch too ($$os)"; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true: no OpenSearch node could be started (see var/services/opensearch-build.log, or server.log in /tmp/legalreview-opensearch-*)"; \
		exit 1; \
	fi; \
	TEST_REDIS_URL=$$(scripts/services.sh redis) TEST_OPENSEARCH_URL=$$os $(PY) -m pytest -m "not postgres" $(PYTEST_ARGS)
	@url=$$(scripts/services.sh postgres); \
	if [ -n "$$url" ]; then \
		echo "== The workflow tests again, on PostgreSQL ($$url)"; \
		DATABASE_URL=$$url $(PY) -m pytest -q $(PYTEST_ARGS) $(PG_TESTS) || exit 1; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true: no PostgreSQL server could be started (no initdb, or see server.log in /tmp/legalreview-pg-*)"; \
		exit 1; \
	else \
		echo "postgres (sudo apt-get install postgresql)" >> $(SKIPPED); \
	fi
	@if [ -s $(SKIPPED) ]; then \
		echo "Skipped for want of a service: $$(sort -u $(SKIPPED) | paste -sd ';' | sed 's/;/; /g')"; \
	fi

# The suite that needs no outside service, with the machine's clock moved (Debian's faketime):
# no test may depend on the real date.
FAKE_DAYS ?= 2026-12-21 2027-03-01
test-faketime: $(VENV)/.installed $(MO)
	@command -v faketime >/dev/null || { echo "needs faketime: sudo apt-get install faketime"; exit 1; }
	@for day in $(FAKE_DAYS); do \
		echo "== The clock moved to $$day"; \
		faketime -f "@$$day 09:00:00" $(PY) -m pytest -q -p no:cacheprovider -m "$(NO_SERVICE)" $(PYTEST_ARGS) || exit 1; \
	done

# The production settings' checks, and the static files they build (into a folder removed after).
check-deploy: $(VENV)/.installed
	static=$$(mktemp -d); trap 'rm -rf "$$static"' EXIT; \
	export DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$(openssl rand -hex 32) \
		DJANGO_ALLOWED_HOSTS=review.example.gov.cn STATIC_ROOT=$$static; \
	$(PY) manage.py check --deploy --fail-level WARNING && \
	$(PY) manage.py collectstatic --noinput
