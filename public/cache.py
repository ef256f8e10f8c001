"""The public pages' cache: one copy of each page body per language, dropped on any change.

A visitor's page is rendered once per language and data version, then served from the cache
(no query for the data). Every save or delete of a row these pages read (roadmap, working
groups, reports, organisations, the publish switches) moves the version on, so the next
visitor sees the change; `PUBLIC_CACHE_SECONDS` bounds what a bulk update (no signal) leaves.
"""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

VERSION_KEY = "public:version"
# The apps whose rows the public pages show.
WATCHED_APPS = {"roadmap", "workinggroups", "reports", "accounts", "public"}
# Rows of those apps the pages never show (a sign-in saves the person's last login).
IGNORED_MODELS = {"user"}


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        current = uuid.uuid4().hex
        cache.add(VERSION_KEY, current, timeout=None)
        current = cache.get(VERSION_KEY, current)
    return current


def invalidate() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def cached(name: str, build: Callable[[], str]) -> str:
    """The page body `name` in the current language, built by `build` when not cached."""
    key = f"public:{version()}:{translation.get_language()}:{name}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, timeout=settings.PUBLIC_CACHE_SECONDS)
    return body


def cached_value(name: str, build: Callable[[], object]):
    """A value (language-independent) cached until the data changes; None is cached too."""
    key = f"public:{version()}:{name}"
    found = cache.get(key, cache)  # the cache itself stands for "not cached"
    if found is cache:
        found = build()
        cache.set(key, found, timeout=settings.PUBLIC_CACHE_SECONDS)
    return found


def _changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if (
        meta is not None
        and meta.app_label in WATCHED_APPS
        and meta.model_name not in IGNORED_MODELS
        and not meta.model_name.startswith("historical")
    ):
        invalidate()


def connect_signals() -> None:
    post_save.connect(_changed, dispatch_uid="public-cache-save")
    post_delete.connect(_changed, dispatch_uid="public-cache-delete")
    m2m_changed.connect(_changed, dispatch_uid="public-cache-m2m")
