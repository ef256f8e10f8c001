"""Abuse limits: the client's real address behind a reverse proxy, and one rate limiter.

``client_ip`` is what django-axes keys lockouts on (with the username), so failures from an
attacker's address never lock the same person out from another address. Behind a proxy every
request comes from the proxy: set ``TRUSTED_PROXY_COUNT`` to the number of proxies in front of
the app, and the address is read from X-Forwarded-For, counting that many entries from the
right (the ones our own proxies wrote; entries further left are the client's to invent).

``rate_limited`` is the one limiter for expensive or abusable work (PDF sheets, report
generation, exports, password-reset e-mails): a fixed window per person (or per address when
signed out) in the cache. Limits are in ``settings.RATE_LIMITS`` (docs/reliability.md).
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request) -> str:
    """The address of the person, as seen by the outermost proxy we trust."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    # Our proxies each append the address they saw: the entry `count` from the right is the
    # one the outermost trusted proxy saw. A shorter chain did not come through them all.
    return hops[-count] if len(hops) >= count else remote


def hit(scope: str, who: str, *, limit: int, seconds: int) -> bool:
    """Count one use of `scope` by `who`; False once more than `limit` in the window."""
    window = int(time.time() // seconds)
    key = f"rate:{scope}:{who}:{window}"
    if cache.add(key, 1, timeout=seconds + 5):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 5)
        return True


def limit_for(scope: str) -> tuple[int, int]:
    """(uses, seconds) allowed for a scope, from settings.RATE_LIMITS."""
    uses, seconds = settings.RATE_LIMITS[scope]
    return int(uses), int(seconds)


def who(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def too_many(request, scope: str):
    """The 429 page: what was limited and when to try again."""
    _uses, seconds = limit_for(scope)
    minutes = max(1, round(seconds / 60))
    response = render(
        request,
        "429.html",
        {
            "message": _(
                "You have asked for this too often. Please wait %(minutes)s minutes and try "
                "again; nothing was lost."
            )
            % {"minutes": minutes}
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(scope: str, *, methods: tuple[str, ...] | None = None):
    """Decorate a view: at most RATE_LIMITS[scope] uses per person (or address) per window.

    `methods` limits only those HTTP methods (e.g. ("POST",) for a form that starts work).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                uses, seconds = limit_for(scope)
                if not hit(scope, who(request), limit=uses, seconds=seconds):
                    return too_many(request, scope)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
