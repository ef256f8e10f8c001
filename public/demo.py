"""Demo data of the public pages: published, with the demo resources that are not contacts
marked public (called by `load_demo`, after the other apps). Once only: a page an admin has
withdrawn since stays withdrawn."""

from roadmap.models import PublicSummary, Roadmap
from workinggroups.models import Resource

from .models import PublicPages


def load(stdout=None) -> None:
    roadmap = Roadmap.objects.current()
    if roadmap is None or PublicPages.objects.exists():
        return
    PublicPages.objects.create(groups_published=True, resources_published=True)
    summary, _created = PublicSummary.objects.get_or_create(roadmap=roadmap)
    if not summary.is_published:
        summary.is_published = True
        summary._change_reason = "demo data"
        summary.save()
    # Contacts name people: they stay in the signed-in mapping.
    for resource in Resource.objects.active().exclude(kind=Resource.Kind.CONTACT):
        if not resource.is_public:
            resource.is_public = True
            resource._change_reason = "demo data: public"
            resource.save()
    if stdout is not None:
        stdout.write("Public pages published.")
