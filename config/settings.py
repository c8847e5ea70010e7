"""Settings, read from the environment (see README "Configuration").

Defaults run on one machine with no servers: SQLite, the embedded search index and a
Celery broker kept in files. DATABASE_URL, OPENSEARCH_URL (or ELASTICSEARCH_URL, SEARCH_URL)
and CELERY_BROKER_URL switch to PostgreSQL, OpenSearch (or Elasticsearch) and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="insecure-development-key-set-DJANGO_SECRET_KEY-in-production" if DEBUG else None,
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Behind a reverse proxy (nginx…) that sets X-Forwarded-Proto and appends the client's address
# to X-Forwarded-For. Without it these headers come from the client and are not believed.
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "viewflow",
    "viewflow.workflow",
    "core",
    "review",
    "workflow",
    "search",
    "reports",
    "demo",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "review.middleware.ChineseByDefaultMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflow.context_processors.unread_notifications",
                "workflow.context_processors.calendar_banner",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process, the Celery worker and readers share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that a real Celery worker can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Logins are throttled (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one
# account, or from one address, that account or address is refused for LOGIN_LOCKOUT_MINUTES
# (counted from the last failure), even with the right password. Each failure and each
# lockout is logged (logger "axes"); an administrator lifts a lockout by deleting its
# "access attempt" in the admin or with `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# The log lines name the account and the address (axes hides both by default; never passwords).
AXES_SENSITIVE_PARAMETERS = []
if BEHIND_PROXY:
    AXES_CLIENT_IP_CALLABLE = "core.http.forwarded_client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflow:inbox"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Uploads: the largest file a user may send; Word files above it are refused with a message.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="legal-review@localhost")
# A mail server that does not answer within this many seconds counts as a failed try. The
# notice's row is locked meanwhile (on SQLite, the database's writes): keep it well under
# the database's busy timeout.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Each notification is mailed by a Celery task (workflow.tasks.mail_notification). A refused
# or unreachable mail server is tried again `retries` times, after `retry_seconds`, doubled
# each time; a notice still unmailed `requeue_minutes` after it was made (the broker was
# down, a worker died, the retries ran out) is tried once more by every periodic pass, until
# `max_attempts` tries in all or `expire_hours` after it was made. It is in the app anyway.
NOTIFICATION_MAIL = {
    "retries": env.int("NOTIFICATION_MAIL_RETRIES", default=4),
    "retry_seconds": env.int("NOTIFICATION_MAIL_RETRY_SECONDS", default=60),
    "requeue_minutes": env.int("NOTIFICATION_MAIL_REQUEUE_MINUTES", default=20),
    "max_attempts": env.int("NOTIFICATION_MAIL_MAX_ATTEMPTS", default=100),
    "expire_hours": env.int("NOTIFICATION_MAIL_EXPIRE_HOURS", default=48),
}
# Who is mailed when the search index fails (search/alerts.py) and on server errors.
ADMINS = [(address, address) for address in env.list("DJANGO_ADMINS", default=[])]

# Celery. Without CELERY_BROKER_URL the broker is a folder of files (kombu's filesystem
# transport): no server, and a worker started by `make run` still picks tasks up.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery-queue"
    _queue_dir.mkdir(exist_ok=True)
    _transport = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }
else:
    # visibility_timeout: a task whose worker died unacknowledged is handed out again after
    # this many seconds: longer than the longest task (a .doc conversion is cut off at
    # SOFFICE_TIMEOUT), short enough that nobody waits an hour for a redelivery.
    _transport = {"visibility_timeout": 600}
CELERY_BROKER_TRANSPORT_OPTIONS = env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default=_transport)
# A .doc whose text is not read within this time is marked failed, for the drafter to retry.
CONVERSION_TIME_LIMIT_MINUTES = env.int("CONVERSION_TIME_LIMIT_MINUTES", default=10)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "legal-clock-reminders": {
        "task": "workflow.tasks.legal_clock_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "filing-reminders": {
        "task": "workflow.tasks.filing_reminders",
        "schedule": crontab(hour=7, minute=40),
    },
    "register-lapses": {
        "task": "search.tasks.lapse_documents",
        "schedule": crontab(hour=0, minute=10),
    },
    "calendar-warning": {
        "task": "workflow.tasks.calendar_warning",
        "schedule": crontab(hour=7, minute=50),
    },
    "objection-windows": {
        "task": "workflow.tasks.objection_windows",
        "schedule": crontab(hour=7, minute=35),
    },
    "lapse-notices": {
        "task": "workflow.tasks.lapse_notices",
        "schedule": crontab(hour=7, minute=45),
    },
    # Notices the broker or a dead worker lost, or whose retries ran out (NOTIFICATION_MAIL).
    "requeue-notification-mail": {
        "task": "workflow.tasks.requeue_notification_mail",
        "schedule": crontab(minute="*/5"),
    },
    # The filesystem broker loses a message whose worker died: queue such work again.
    "requeue-conversions": {
        "task": "review.tasks.requeue_conversions",
        "schedule": crontab(minute="*/5"),
    },
}

# Search: the embedded index unless a server is named (search.backends.select): OpenSearch 2
# by OPENSEARCH_URL, Elasticsearch 8 by ELASTICSEARCH_URL, either by SEARCH_URL (it says which).
OPENSEARCH_URL = env("OPENSEARCH_URL", default="")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
SEARCH_URL = env("SEARCH_URL", default="")
SEARCH_INDEX_PATH = Path(env("SEARCH_INDEX_PATH", default=str(VAR_DIR / "search-index")))
# The alias searched on the server, whichever engine it is.
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", default="register")
# What one search may ask (a lone Chinese character is matched against every word that holds
# it, the dearest thing to ask), and how often one address may call the public search API.
SEARCH_LIMITS = {
    "max_words": env.int("SEARCH_MAX_WORDS", default=20),
    "max_single_characters": env.int("SEARCH_MAX_SINGLE_CHARACTERS", default=5),
    "api_requests_per_minute": env.int("SEARCH_API_REQUESTS_PER_MINUTE", default=60),
}

# LibreOffice converts .doc/.wps/.rtf to .docx when installed.
SOFFICE_BINARY = env("SOFFICE_BINARY", default="soffice")

AUTH_USER_MODEL = "review.User"

# Who we are: names and 代字 printed on letters and document numbers.
GOVERNMENT_NAME = env("GOVERNMENT_NAME", default="衡水市人民政府")
LEGAL_OFFICE_NAME = env("LEGAL_OFFICE_NAME", default="衡水市人民政府法制办公室")
GOVERNMENT_NUMBER_PREFIX = env("GOVERNMENT_NUMBER_PREFIX", default="衡政规")
OPINION_NUMBER_PREFIX = env("OPINION_NUMBER_PREFIX", default="衡法审")
# Who signs the legal office's written opinions: its head, or also a deputy it delegates to.
OPINION_SIGNER_ROLES = env.list("OPINION_SIGNER_ROLES", default=["head"])
LEGAL_OFFICE_LETTER_PREFIX = env("LEGAL_OFFICE_LETTER_PREFIX", default="衡法函")

# The numbers of the province's rules (BRIEF.md); other provinces set their own.
REVIEW_RULES = {
    "review_working_days": env.int("REVIEW_WORKING_DAYS", default=15),
    "review_extension_working_days": env.int("REVIEW_EXTENSION_WORKING_DAYS", default=10),
    "handed_down_working_days": env.int("HANDED_DOWN_WORKING_DAYS", default=7),
    "objection_working_days": env.int("OBJECTION_WORKING_DAYS", default=5),
    "effective_after_days": env.int("EFFECTIVE_AFTER_DAYS", default=30),
    "filing_days": env.int("FILING_DAYS", default=15),
    "validity_years": env.int("VALIDITY_YEARS", default=5),
    "provisional_validity_years": env.int("PROVISIONAL_VALIDITY_YEARS", default=2),
    "lapse_warning_months": env.int("LAPSE_WARNING_MONTHS", default=6),
    "reminder_working_days": env.int("REMINDER_WORKING_DAYS", default=3),
    # An emergency is reviewed "at once": at least this many working days, as the legal
    # office sets when it confirms the category.
    "emergency_min_working_days": env.int("EMERGENCY_MIN_WORKING_DAYS", default=1),
    "emergency_max_working_days": env.int("EMERGENCY_MAX_WORKING_DAYS", default=5),
    # From this month on, the legal office is warned while next year's holidays are missing.
    "calendar_warning_month": env.int("CALENDAR_WARNING_MONTH", default=11),
}

# The demo users' password (seed_demo); printed when it falls back to the default.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="")

# A session ends after SESSION_IDLE_MINUTES without a request (saved, and so prolonged, by
# every request; the database row expires with the cookie) and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "config.storage.ManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
