"""URLs of surveys."""

from django.urls import path

from . import views, views_questionnaires, views_results, views_rounds

app_name = "surveys"

_society = "rounds/<int:round_pk>/societies/<int:society_pk>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/new/", views_rounds.round_create, name="round-create"),
    path("rounds/<int:round_pk>/", views_rounds.round_detail, name="round-detail"),
    path("rounds/<int:round_pk>/open/", views_rounds.round_open, name="round-open"),
    path("rounds/<int:round_pk>/close/", views_rounds.round_close, name="round-close"),
    path("rounds/<int:round_pk>/reopen/", views_rounds.round_reopen, name="round-reopen"),
    path("rounds/<int:round_pk>/extend/", views_rounds.round_extend, name="round-extend"),
    path("rounds/<int:round_pk>/tracker/", views_rounds.round_tracker, name="round-tracker"),
    path(
        "rounds/<int:round_pk>/tracker.xlsx",
        views_rounds.tracker_export,
        name="round-tracker-export",
    ),
    path("rounds/<int:round_pk>/remind/", views_rounds.round_remind, name="round-remind"),
    path("rounds/<int:round_pk>/results/", views.round_results, name="round-results"),
    path(
        "rounds/<int:round_pk>/results/texts/",
        views_results.round_text_answers,
        name="round-text-answers",
    ),
    path("rounds/<int:round_pk>/compute/", views.round_compute, name="round-compute"),
    path("rounds/<int:round_pk>/proposals/", views.round_proposals, name="round-proposals"),
    path(
        "rounds/<int:round_pk>/proposals/<int:value_pk>/",
        views.proposal_review,
        name="proposal-review",
    ),
    path("rounds/<int:round_pk>/export/", views.round_export, name="round-export"),
    path(_society, views.response_form, name="response-form"),
    path(_society + "sections/<int:section_pk>/", views.section_save, name="section-save"),
    path(_society + "questions/<int:question_pk>/", views.answer_save, name="answer-save"),
    path(_society + "submit/", views.response_submit, name="response-submit"),
    path(_society + "reopen/", views.response_reopen, name="response-reopen"),
    path(_society + "extend/", views.response_extend, name="response-extend"),
    path(
        _society + "focal-points/",
        views_rounds.society_focal_points,
        name="society-focal-points",
    ),
    path(
        _society + "answers.<str:fmt>",
        views.response_download,
        name="response-download",
    ),
    path(
        "questionnaires/import/",
        views_questionnaires.questionnaire_import,
        name="questionnaire-import",
    ),
    path(
        "questionnaires/import/confirm/",
        views_questionnaires.questionnaire_import_confirm,
        name="questionnaire-import-confirm",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/xlsform.xlsx",
        views_questionnaires.questionnaire_export,
        name="questionnaire-export",
    ),
]
