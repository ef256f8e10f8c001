"""The API (/api/v1/…, token auth, no session), its docs, and the token pages."""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, include, path
from django.views.decorators.http import require_GET

from . import views
from .api import api
from .feeds import logged

app_name = "api"
DOCS = ("api-root", "openapi-json", "openapi-view")


def _api_patterns():
    """The ninja patterns: open to the token (no session sign-in), logged, with ETags.
    The docs and the schema stay behind the sign-in, like every page."""
    patterns, _app, _namespace = api.urls
    out = []
    for entry in patterns:
        if isinstance(entry, URLPattern) and entry.name in DOCS:
            entry.callback = require_GET(entry.callback)
        elif isinstance(entry, URLPattern):
            entry.callback = login_not_required(logged(entry.callback))
        out.append(entry)
    return out


urlpatterns = [
    path("tokens/", views.token_list, name="list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
    path("admin/tokens/", views.admin_tokens, name="admin"),
    path("admin/requests/", views.admin_requests, name="requests"),
    path("v1/", include(_api_patterns())),
]
