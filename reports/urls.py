"""URLs of reports."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.edition_list, name="edition-list"),
    path("new/", views.edition_create, name="edition-create"),
    path("<int:pk>/", views.edition_detail, name="edition-detail"),
    path("<int:pk>/edit/", views.edition_update, name="edition-update"),
    path("<int:pk>/preview/", views.edition_preview, name="edition-preview"),
    path("<int:pk>/generate/", views.edition_generate, name="edition-generate"),
    path("<int:pk>/runs/", views.edition_runs, name="edition-runs"),
    path("runs/<int:pk>/download/", views.run_download, name="run-download"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run-retry"),
    path("working-groups/<int:number>/sheet.pdf", views.group_sheet, name="group-sheet"),
    path("exports/", views.export_index, name="export-index"),
    path("exports/all.xlsx", views.export_workbook, name="export-workbook"),
    path("exports/<slug:kind>.<str:fmt>", views.export_kind, name="export-kind"),
]
