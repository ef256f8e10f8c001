"""URLs of the roadmap (home and public summary are routed in config/urls.py)."""

from django.urls import path

from . import archive_views, views

app_name = "roadmap"

urlpatterns = [
    path("areas/<int:number>/", views.area, name="area"),
    path("<int:pk>/successor/", views.successor, name="successor"),
    path("figures/", views.figures_rules, name="figures"),
    path("results/<int:pk>/", views.result, name="result"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update-edit"),
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path(
        "indicator-values/<int:pk>/edit/", views.indicator_value_edit, name="indicator-value-edit"
    ),
    path(
        "indicator-values/<int:pk>/withdraw/",
        views.indicator_value_status,
        {"action": "withdraw"},
        name="indicator-value-withdraw",
    ),
    path(
        "indicator-values/<int:pk>/restore/",
        views.indicator_value_status,
        {"action": "restore"},
        name="indicator-value-restore",
    ),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    # Archive and restore with a reason (core.archive; one view for every kind of item).
    *(
        path(
            f"{prefix}/<int:pk>/{action}/",
            archive_views.archive_status,
            {"kind": kind, "action": action},
            name=f"{name}-{action}",
        )
        for prefix, kind, name in (
            ("updates", "progress-update", "update"),
            ("evidence", "evidence", "evidence"),
        )
        for action in ("archive", "restore")
    ),
]
