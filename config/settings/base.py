"""Settings shared by every environment; every value that varies comes from the environment."""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is optional; the process environment wins over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _env_bool(name: str, default: bool) -> bool:
    """Read a boolean and refuse anything that is not clearly yes or no."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


DEBUG = _env_bool("DEBUG", False)
# This key is published in the repository: it is accepted only with DEBUG on (local.py), and
# production.py refuses it. Without DEBUG and without SECRET_KEY, start-up stops below.
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-change-me"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "").strip()
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set and DEBUG is off. Set SECRET_KEY (see .env.example), or use "
        "DJANGO_SETTINGS_MODULE=config.settings.local for development."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "import_export",
    "template_partials",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "roadmap",
    "workinggroups",
    "surveys",
    "reports",
    "public",
    "search",
    "ninja",
    "api",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed here (static files are pre-compressed by whitenoise): Django pads each
    # compressed response with random bytes against BREACH and masks the CSRF token per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Every page needs a signed-in person unless its view says otherwise.
    "api.middleware.TokenFeedMiddleware",  # export URLs answer a personal token
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
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
                "csp.context_processors.nonce",
                "accounts.context_processors.roles",
                "roadmap.context_processors.roadmaps",
            ],
        },
    },
]

# SQLite in the project folder is the embedded default; any PostgreSQL URL works.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
SQLITE_OPTIONS = {
    # WAL lets the task worker and the web server write without "database is locked"; a
    # writer waits up to busy_timeout (ms) for the lock. /health/ fails when it is held longer
    # than a moment (config/views.py).
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
    "transaction_mode": "IMMEDIATE",
    # Python's own wait for a lock (seconds), on top of busy_timeout for the first statement.
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: opening one per request cost a third of a trivial page. The health
# check drops a connection the database closed instead of failing the next request on it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = _env_bool("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workinggroups:landing"  # co-leads and members: "My work"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after two weeks of inactivity. SESSION_SAVE_EVERY_REQUEST did that by writing the
# session row on every request (a write per autosave); config.middleware.SessionRefreshMiddleware
# keeps the sliding expiry with at most one write per SESSION_REFRESH_AFTER seconds.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_AFTER = env.int("SESSION_REFRESH_AFTER", default=60 * 60 * 24)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Formats Django lacks for a language (Arabic date and time), on top of its own.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from static/ without collectstatic in development and tests.
WHITENOISE_USE_FINDERS = True
# Uploaded evidence lives outside static/ and is only served through a permission check.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/files/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Evidence and import files: refuse anything larger (bytes).
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds an SMTP connection may wait: without it a hung server holds a worker for ever, and
# the message stays "being sent" (NOTIFICATION_SENDING_STALE in workinggroups/models.py).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="MHPSS Roadmap Tracker <noreply@example.org>"
)
# The address people reach the site at: e-mails carry links that must work outside a request.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# A society is not reminded twice within this many hours unless the admin insists.
REMINDER_MIN_INTERVAL_HOURS = env.int("REMINDER_MIN_INTERVAL_HOURS", default=72)
# Below this share of invited societies answering, a value computed from a survey round is
# marked "provisional" wherever it appears (0.5: fewer than half answered).
# From this day on, participation in the working groups is counted from the membership
# records (workinggroups/figures.py); the typed-in values before it stay the historical series.
try:
    PARTICIPATION_COUNTED_FROM = datetime.date.fromisoformat(
        env.str("PARTICIPATION_COUNTED_FROM", default="2024-01-01")
    )
except ValueError:
    raise ImproperlyConfigured(
        "PARTICIPATION_COUNTED_FROM must be a date written YYYY-MM-DD, e.g. 2024-01-01."
    ) from None
INDICATOR_COVERAGE_THRESHOLD = env.float("INDICATOR_COVERAGE_THRESHOLD", default=0.5)
if not 0 <= INDICATOR_COVERAGE_THRESHOLD <= 1:
    raise ImproperlyConfigured(
        "INDICATOR_COVERAGE_THRESHOLD must be a share between 0 and 1 (e.g. 0.5 for half)."
    )

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Background jobs (jobs app): days a result file is kept, and jobs a person may have waiting.
JOB_RESULT_DAYS = env.int("JOB_RESULT_DAYS", default=7)
JOB_QUEUE_LIMIT = env.int("JOB_QUEUE_LIMIT", default=3)
# Exports with more rows than this (answers, table rows) run as a job instead of in the request.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=20_000)
# A feed (a dashboard's token) of a large export: a result this recent is served as it is; else
# the request waits this long for the worker, then answers 503 with Retry-After (jobs/feeds.py).
# The wait stays under gunicorn's timeout (GUNICORN_TIMEOUT, 30 s).
FEED_FRESH_SECONDS = env.int("FEED_FRESH_SECONDS", default=300)
FEED_WAIT_SECONDS = env.float("FEED_WAIT_SECONDS", default=20)
FEED_POLL_SECONDS = 0.5
FEED_RETRY_AFTER_SECONDS = 60
if JOB_RESULT_DAYS < 1 or JOB_QUEUE_LIMIT < 1:
    raise ImproperlyConfigured("JOB_RESULT_DAYS and JOB_QUEUE_LIMIT must be at least 1.")
# A report run or job still "running" after this many minutes has lost its worker: it is marked
# failed (with a button to try again) and /health/ fails until it is.
TASK_TIME_LIMIT_MINUTES = env.int("TASK_TIME_LIMIT_MINUTES", default=30)
if TASK_TIME_LIMIT_MINUTES < 1:
    raise ImproperlyConfigured("TASK_TIME_LIMIT_MINUTES must be at least 1.")

# Security headers that hold in every environment; production.py adds the HTTPS ones.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Lock an account and address out after repeated failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy every request comes from the proxy's address, so one attacker could
# lock anybody out: count the proxies in front of the app and the person's own address is read
# from X-Forwarded-For (accounts.security.client_ip). 0: no proxy, REMOTE_ADDR is the person.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or more.")
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"

# Uses per person (or per address when signed out) and window in seconds, for the work that is
# expensive or can be abused (accounts.security.rate_limited; docs/reliability.md).
RATE_LIMITS = {
    "password-reset-address": (5, 3600),
    "password-reset-email": (3, 3600),
    "group-sheet-pdf": (10, 60),
    "report-generate": (3, 600),
    "export": (20, 600),
    # Asking to join a working group: per address, and per e-mail address asked with.
    "join-request-address": (5, 3600),
    "join-request-email": (3, 86400),
    "invitation": (30, 3600),  # invitations sent by one person, per hour
    "api": (600, 600),  # per API token (the API and the feed URLs)
    # Per calendar feed URL: calendar apps ask every 15 minutes to a few hours.
    "calendar-feed": (60, 3600),
}
# Asking to join from the public page: a person takes at least this long to fill the form
# (a bot, less), and the confirmation link sent by e-mail works for this many days.
JOIN_MIN_FILL_SECONDS = env.int("JOIN_MIN_FILL_SECONDS", default=3)
JOIN_CONFIRM_DAYS = env.int("JOIN_CONFIRM_DAYS", default=3)
if JOIN_MIN_FILL_SECONDS < 0 or JOIN_CONFIRM_DAYS < 1:
    raise ImproperlyConfigured(
        "JOIN_MIN_FILL_SECONDS must be 0 or more, JOIN_CONFIRM_DAYS 1 or more."
    )
# How long a public page's body stays cached (public/cache.py); any change drops it sooner.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
# How long a round's result counts stay cached (surveys.selectors.submitted_counts). The key
# changes with the round's data, so this only bounds memory, never what a page shows.
RESULTS_CACHE_SECONDS = env.int("RESULTS_CACHE_SECONDS", default=60 * 60)

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Spreadsheet exports are never truncated and neutralise formula cells.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Admin exports through import-export's own formats: a stored control character would make
# the XLSX fail (IllegalCharacterError); replace it instead. Our exports use core.hygiene.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

COUNTRIES_FIRST_BREAK = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools log a line per page otherwise.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
