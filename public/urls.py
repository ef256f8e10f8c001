"""URLs of the public pages (the roadmap at a glance is the root's `public-summary`)."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("groups/", views.groups, name="groups"),
    path("groups/<int:number>/", views.group, name="group"),
    path("groups/<int:number>/join/", views.group_join, name="group-join"),
    path("resources/", views.resources, name="resources"),
    path("publish/", views.publish, name="publish"),
]
