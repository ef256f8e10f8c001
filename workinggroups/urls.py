"""URLs of working groups."""

from django.urls import path

from roadmap.archive_views import archive_status

from . import views, views_calendar, views_invite, views_join, views_mywork, views_notify

app_name = "workinggroups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("mine/", views.my_group, name="mine"),
    path("my-work/", views_mywork.my_work, name="my-work"),
    path("landing/", views_mywork.landing, name="landing"),
    path("overdue/", views.overdue_everywhere, name="overdue"),
    path("<int:number>/", views.group_detail, name="detail"),
    path("<int:number>/subgroups/<int:pk>/", views.subgroup_detail, name="subgroup"),
    path("groups/<int:group_id>/edit/", views.group_edit, name="group-edit"),
    path(
        "groups/<int:group_id>/export/<slug:kind>.<str:fmt>",
        views.group_export,
        name="group-export",
    ),
    path("groups/<int:group_id>/members/", views.members, name="members"),
    path("groups/<int:group_id>/members/add/", views.membership_add, name="membership-add"),
    path("members/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("groups/<int:group_id>/workplans/add/", views.workplan_add, name="workplan-add"),
    path("groups/<int:group_id>/deliverables/add/", views.deliverable_add, name="deliverable-add"),
    path("deliverables/<int:pk>/", views.deliverable_detail, name="deliverable"),
    path("deliverables/<int:pk>/edit/", views.deliverable_edit, name="deliverable-edit"),
    path("deliverables/<int:pk>/updates/add/", views.progress_add, name="progress-add"),
    path("updates/<int:pk>/edit/", views.progress_edit, name="progress-edit"),
    path("deliverables/<int:pk>/milestones/add/", views.milestone_add, name="milestone-add"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("milestones/<int:pk>/toggle/", views.milestone_toggle, name="milestone-toggle"),
    path("groups/<int:group_id>/meetings/add/", views.meeting_add, name="meeting-add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/calendar.ics", views_calendar.meeting_ics, name="meeting-ics"),
    path("meetings/<int:pk>/actions/add/", views.action_item_add, name="action-add"),
    path("actions/<int:pk>/edit/", views.action_item_edit, name="action-edit"),
    path("actions/<int:pk>/toggle/", views.action_item_toggle, name="action-toggle"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/export.<str:fmt>", views.resource_export, name="resource-export"),
    path("resources/add/", views.resource_add, name="resource-add"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("resources/import/", views.resource_import, name="resource-import"),
    path(
        "resources/import/confirm/",
        views.resource_import_confirm,
        name="resource-import-confirm",
    ),
    path("resources/template.csv", views.resource_template, name="resource-template"),
    # Archive and restore with a reason (core.archive; the one view of roadmap.archive_views).
    *(
        path(
            f"{prefix}/<int:pk>/{action}/",
            archive_status,
            {"kind": kind, "action": action},
            name=f"{name}-{action}",
        )
        for prefix, kind, name in (
            ("deliverables", "deliverable", "deliverable"),
            ("milestones", "milestone", "milestone"),
            ("meetings", "meeting", "meeting"),
            ("actions", "action-item", "action"),
            ("resources", "resource", "resource"),
        )
        for action in ("archive", "restore")
    ),
    # Requests to join (views_join.py)
    path("groups/<int:group_id>/join/", views_join.join_ask, name="join"),
    path("groups/<int:group_id>/join-requests/", views_join.join_requests, name="join-requests"),
    path(
        "join-requests/<int:pk>/accept/",
        views_join.join_request_accept,
        name="join-request-accept",
    ),
    path(
        "join-requests/<int:pk>/decline/",
        views_join.join_request_decline,
        name="join-request-decline",
    ),
    path("join/confirm/<str:token>/", views_join.join_confirm, name="join-confirm"),
    # Invitations (views_invite.py)
    path(
        "groups/<int:group_id>/invitations/",
        views_invite.group_invitations,
        name="invitations",
    ),
    path("invitations/", views_invite.all_invitations, name="invitations-all"),
    path(
        "invitations/<int:pk>/resend/",
        views_invite.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views_invite.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "invitations/accept/<str:token>/",
        views_invite.invitation_accept,
        name="invitation-accept",
    ),
    # The e-mails' one-click unsubscribe (views_notify.py)
    path("unsubscribe/<slug:kind>/<str:token>/", views_notify.unsubscribe, name="unsubscribe"),
    # Calendars (views_calendar.py): the personal feed answers its secret URL, no session.
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar-feed"),
    path("calendar/new/", views_calendar.calendar_feed_create, name="calendar-feed-create"),
    path("calendar/revoke/", views_calendar.calendar_feed_revoke, name="calendar-feed-revoke"),
]
