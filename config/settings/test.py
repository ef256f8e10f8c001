"""Cheap, isolated settings for the test suite."""

import os
import tempfile

# Before base reads it: base refuses to start without a key when DEBUG is off.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mhpss-test-media-"))
# WhiteNoise warns when STATIC_ROOT is missing; tests serve from the finders.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="mhpss-test-static-"))
# WhiteNoise looks a static file up when it is asked for, rather than listing every file of the
# finders whenever a middleware chain is built: every test client builds one, and the listing
# (~0.1 s) was a third of the access table's time.
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tests walk every export and page many times a minute; the limiter's own tests set theirs.
RATE_LIMITS = {scope: (100_000, seconds) for scope, (_uses, seconds) in RATE_LIMITS.items()}  # noqa: F405
