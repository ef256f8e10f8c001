"""What the public pages show: only what a visitor without an account may see.

No person's name or e-mail address: organisations, groups, plans, figures and the resources
marked public. Each function reads a bounded number of rows in a fixed number of queries.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import Organisation
from reports.models import ReportEdition, ReportRun
from roadmap import figures
from roadmap.models import PublicSummary, Roadmap
from workinggroups.models import Deliverable, Membership, Resource, WorkingGroup

from .models import PublicPages


@dataclass
class Published:
    roadmap: bool
    groups: bool
    resources: bool


def published() -> Published:
    """Which pages an admin has published. Two queries."""
    roadmap = Roadmap.objects.current()
    pages = PublicPages.current()
    return Published(
        roadmap=bool(
            roadmap and PublicSummary.objects.filter(roadmap=roadmap, is_published=True).exists()
        ),
        groups=pages.groups_published,
        resources=pages.resources_published,
    )


def last_published_report() -> ReportEdition | None:
    """The latest edition (by its period's end) with a generated, archived PDF."""
    return (
        ReportEdition.objects.filter(is_archived=False, runs__status=ReportRun.Status.DONE)
        .order_by("-period_end", "-id")
        .first()
    )


def at_a_glance() -> dict:
    """The roadmap's areas with their figures as of the last published report's period end
    (as of today while no report is published): the same computation as the report's."""
    roadmap = Roadmap.objects.current()
    summary = PublicSummary.objects.filter(roadmap=roadmap).first() if roadmap else None
    report = last_published_report()
    as_of = report.period_end if report else figures.today()
    return {
        "roadmap": roadmap,
        "summary": summary,
        "report": report,
        "as_of": as_of,
        "areas": figures.area_figures(roadmap, as_of),
    }


def public_groups() -> list[WorkingGroup]:
    """The open top-level groups of the current roadmap with how many organisations take part."""
    roadmap = Roadmap.objects.current()
    if roadmap is None:
        return []
    return list(
        WorkingGroup.objects.top_level()
        .filter(roadmap=roadmap, is_archived=False)
        .annotate(
            organisation_count=Count(
                "memberships__organisation",
                filter=Q(memberships__left_on__isnull=True),
                distinct=True,
            )
        )
        .order_by("number")
    )


def public_group(number: int) -> WorkingGroup | None:
    roadmap = Roadmap.objects.current()
    if roadmap is None:
        return None
    return (
        WorkingGroup.objects.top_level()
        .filter(roadmap=roadmap, number=number, is_archived=False)
        .first()
    )


def group_page(group: WorkingGroup) -> dict:
    """A group's purpose, areas, co-lead organisations, member organisations and current plan.
    Organisations only (a person's membership shows as their organisation). Five queries."""
    as_of = figures.today()
    rows = (
        Membership.objects.active()
        .filter(Q(working_group=group) | Q(working_group__parent=group))
        .exclude(organisation__isnull=True)
        .values_list("organisation_id", "role")
    )
    co_lead_ids, member_ids = set(), set()
    for organisation_id, role in rows:
        (co_lead_ids if role == Membership.Role.CO_LEAD else member_ids).add(organisation_id)
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=co_lead_ids | member_ids)}

    def named(ids):
        return sorted((organisations[i] for i in ids), key=lambda o: o.display_name)

    workplans = list(group.workplans.order_by("-year"))
    current = next((w for w in workplans if w.year == as_of.year), None) or next(
        iter(workplans), None
    )
    deliverables = (
        figures.deliverables_as_of(
            Deliverable.objects.active().filter(workplan=current).order_by("due_date", "id"),
            as_of,
        )
        if current
        else []
    )
    kinds = dict(Deliverable.Kind.choices)
    for deliverable in deliverables:
        deliverable.kind_label = kinds.get(deliverable.kind, deliverable.kind)
    return {
        "group": group,
        "areas": list(group.areas.order_by("number")),
        "co_lead_organisations": named(co_lead_ids),
        "member_organisations": named(member_ids | co_lead_ids),
        "workplan": current,
        "deliverables": deliverables,
        "as_of": as_of,
    }


RESOURCES_PER_PAGE = 50


def public_resources():
    """The resources marked public, with what the list shows of them."""
    return Resource.objects.public().select_related("organisation", "working_group")
