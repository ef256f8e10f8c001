"""Settings of the load test: the base settings on a throw-away PostgreSQL database."""

import os

# Before base reads it: base refuses to start without a key when DEBUG is off.
os.environ.setdefault("SECRET_KEY", "load-test-only")

from config.settings.base import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The simulated people sign in once each; a cheap hash keeps 50 sign-ins from hogging the CPU.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The "before" runs: a session write on every request, as the issue measured it (with
# CONN_MAX_AGE=0 from the environment: a new connection per request).
SESSION_SAVE_EVERY_REQUEST = os.environ.get("LOADTEST_SESSION_SAVE_EVERY_REQUEST") == "1"
