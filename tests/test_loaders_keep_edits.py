"""Reference and demo loaders never touch what people changed (issue 13): ``make run`` runs
load_roadmap and load_demo again, and an ended membership stays ended, a renamed deliverable,
meeting, resource, roadmap or report edition is neither renamed back nor created again."""

from django.core.management import call_command

from accounts.models import Organisation, User
from reports import services as report_services
from reports.demo import TITLE as DEMO_EDITION
from reports.models import ReportEdition
from roadmap.models import PriorityActionArea, Roadmap
from workinggroups import services
from workinggroups.models import Deliverable, Meeting, Membership, Resource


def _load():
    call_command("load_roadmap", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))


def _counts() -> dict:
    models = (Organisation, User, Roadmap, PriorityActionArea, Deliverable, Meeting, Resource)
    counts = {m.__name__: m.objects.count() for m in models}
    counts["ReportEdition"] = ReportEdition.objects.count()
    counts["active memberships"] = Membership.objects.active().count()
    return counts


def test_loading_again_keeps_ended_memberships_and_renamed_rows(db):
    _load()
    colead = User.objects.get(email="colead-wg1@example.org")
    member = User.objects.get(email="member-wg1@example.org")
    admin = User.objects.get(email="admin@example.org")
    # A co-lead ends a member's membership and a society's; people rename what they own.
    # (in the first roadmap's group 1: its successor carried the member over, a membership of its own)
    ended = Membership.objects.active().get(person=member, working_group__roadmap__follows=None)
    services.membership_end(membership=ended, ended_by=colead)
    society = Membership.objects.active().filter(person=None).select_related("working_group")
    society = society.first()
    services.membership_end(membership=society, ended_by=colead)
    deliverable = Deliverable.objects.order_by("pk").first()
    deliverable.title = "Renamed by the co-lead"
    services.deliverable_save(deliverable=deliverable, user=colead, reason="clearer")
    meeting = Meeting.objects.order_by("pk").first()
    meeting.title = "Meeting renamed"
    services.meeting_save(meeting=meeting, user=colead, reason="typo")
    resource = Resource.objects.order_by("pk").first()
    resource.title = "Resource renamed"
    services.resource_save(resource=resource, user=colead)
    # Both roadmaps renamed: the reference one and the demo successor (the current one).
    roadmap = Roadmap.objects.get(follows=None)
    roadmap.name = "Roadmap renamed by an admin"
    roadmap.save()
    successor = Roadmap.objects.current()
    successor.name = "Our next roadmap"
    successor.save()
    edition = ReportEdition.objects.get(title=DEMO_EDITION)
    report_services.edition_update(edition=edition, title="Our 2025 report", reason="ours")
    before = _counts()

    _load()

    assert _counts() == before
    assert not Membership.objects.active().filter(pk=ended.pk).exists()
    assert (
        not Membership.objects.active()
        .filter(organisation=society.organisation, person=None, working_group=society.working_group)
        .exists()
    )
    assert Deliverable.objects.get(pk=deliverable.pk).title == "Renamed by the co-lead"
    assert Meeting.objects.get(pk=meeting.pk).title == "Meeting renamed"
    assert Resource.objects.get(pk=resource.pk).title == "Resource renamed"
    assert sorted(Roadmap.objects.values_list("name", flat=True)) == [
        "Our next roadmap",
        "Roadmap renamed by an admin",
    ]
    assert ReportEdition.objects.get(pk=edition.pk).title == "Our 2025 report"
    assert admin.check_password("roadmap-demo")
