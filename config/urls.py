"""Root URL configuration: each app owns its namespace."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config import views as config_views
from public import views as public_views
from roadmap import views as roadmap_views

urlpatterns = [
    path("", roadmap_views.at_a_glance, name="home"),
    path("public/", public_views.home, name="public-summary"),
    path("public/", include("public.urls")),
    path("accounts/", include("accounts.urls")),
    path("roadmap/", include("roadmap.urls")),
    path("working-groups/", include("workinggroups.urls")),
    path("surveys/", include("surveys.urls")),
    path("reports/", include("reports.urls")),
    path("jobs/", include("jobs.urls")),
    path("search/", include("search.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("health/", config_views.health, name="health"),
]

admin.site.site_header = _("MHPSS Roadmap Tracker")
admin.site.site_title = _("MHPSS Roadmap Tracker")
