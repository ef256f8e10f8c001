"""The project's URLs plus `/bench/trivial/`: the cheapest page, signed in, same middleware."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def trivial(request):
    """A signed-in page that does nothing: the floor every page is measured against."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *project_urlpatterns]
