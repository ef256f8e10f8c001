"""The project's URLs plus `/bench/trivial/` (the cheapest page, signed in, same middleware)
and `/bench/trivial-old/` (the earlier yardstick, to compare ratios with)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def trivial(request):
    """A signed-in page that does nothing: the floor every page is measured against."""
    return HttpResponse("ok", content_type="text/plain")


def trivial_old(request):
    """The yardstick as it was before issue 14, for ratios side by side: the session row
    written on every request (SESSION_SAVE_EVERY_REQUEST) and a new database connection per
    request (CONN_MAX_AGE=0: closed when the response is done)."""
    request.session.modified = True
    response = HttpResponse("ok", content_type="text/plain")
    response._resource_closers.append(connection.close)
    return response


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/trivial-old/", trivial_old, name="bench-trivial-old"),
    *project_urlpatterns,
]
