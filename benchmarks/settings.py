"""Settings of the benchmark: the base settings plus a trivial view to compare pages with."""

import os

# Before base reads it: base refuses to start without a key when DEBUG is off.
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")

from config.settings.base import *  # noqa: E402, F403

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
# The Django test client (query counts) sends this host name.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
# Same cost for every request: no per-request log line on the console.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The bench never sends mail.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MIDDLEWARE = ["benchmarks.timing.ServerTimingMiddleware", *MIDDLEWARE]  # noqa: F405
