"""Writes of the public pages: what an admin publishes."""

from django.db import transaction

from roadmap.models import PublicSummary, Roadmap

from .models import PublicPages


@transaction.atomic
def public_pages_set(*, user, roadmap: bool, groups: bool, resources: bool) -> PublicPages:
    """Publish or withdraw each public page; each change lands in its row's history."""
    current = Roadmap.objects.current()
    if current is not None:
        summary, _created = PublicSummary.objects.get_or_create(roadmap=current)
        if summary.is_published != roadmap:
            summary.is_published = roadmap
            summary._history_user = user
            summary._change_reason = "published" if roadmap else "withdrawn"
            summary.save()
    pages = PublicPages.objects.select_for_update().order_by("pk").first() or PublicPages()
    if (pages.pk is None) or (pages.groups_published, pages.resources_published) != (
        groups,
        resources,
    ):
        pages.groups_published = groups
        pages.resources_published = resources
        pages._history_user = user
        pages._change_reason = "published pages changed"
        pages.save()
    return pages
