"""Feed URLs: every export (XLSX, CSV) also answers a personal token, for Excel and Power BI.

A GET to an export URL with `Authorization: Bearer <token>`, or HTTP Basic with the token as the
password (any user name), acts as the token's owner for that one request: no session is opened,
no cookie set, and the view checks the owner's permissions as for a browser. A wrong, revoked or
expired token gets 401. Each such request is logged with the token, and counted against the
token's rate limit (settings.RATE_LIMITS["api"]).
"""

from django.http import HttpResponse
from django.urls import Resolver404, resolve

from accounts.security import hit, limit_for

from . import services
from .feeds import with_etag


def is_feed(path: str) -> bool:
    """An export URL of any app (its URL name says export), not the page listing them."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    name = match.url_name or ""
    return "export" in name and name != "export-index" and not match.route.startswith("api/")


def _unauthorized() -> HttpResponse:
    response = HttpResponse("Invalid, expired or revoked token.\n", status=401)
    response["WWW-Authenticate"] = 'Basic realm="MHPSS Roadmap Tracker", charset="UTF-8"'
    response["Content-Type"] = "text/plain; charset=utf-8"
    return response


class TokenFeedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header or request.method not in ("GET", "HEAD") or not is_feed(request.path_info):
            return self.get_response(request)
        token = services.token_authenticate(services.secret_from_header(header))
        if token is None:
            return _unauthorized()
        request.user = token.user
        request.api_token = token
        uses, seconds = limit_for("api")
        if not hit("api", f"token:{token.pk}", limit=uses, seconds=seconds):
            response = HttpResponse("Too many requests.\n", status=429)
            response["Retry-After"] = str(seconds)
        else:
            response = with_etag(self.get_response(request), request)
        services.request_log(
            token=token,
            method=request.method,
            path=request.get_full_path(),
            status=response.status_code,
        )
        return response
