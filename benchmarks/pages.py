"""The pages, exports and report whose query counts must not grow with the data.

Shared by the benchmark (`python -m benchmarks`) and `tests/test_query_counts_scale.py`, so the
test pins exactly what the benchmark reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation, User
from reports.models import ReportEdition
from surveys.models import Question, Response, SurveyRound
from workinggroups.models import Deliverable, WorkingGroup


@dataclass
class Targets:
    """The rows the pages are opened on, found the same way at every scale."""

    admin: User
    survey_round: SurveyRound
    society: Organisation
    section_id: int
    group_number: int
    deliverable_id: int | None
    edition: ReportEdition | None
    area_number: int


def find_targets() -> Targets:
    admin = User.objects.filter(is_active=True, role=User.Role.ADMIN).order_by("id").first()
    survey_round = SurveyRound.objects.order_by("-year", "-id").first()
    # A society that answered: its section page shows answers, the heaviest case.
    response = (
        Response.objects.filter(round=survey_round).order_by("society__name").first()
        if survey_round
        else None
    )
    society = response.society if response else Organisation.objects.national_societies().first()
    question = (
        Question.objects.filter(questionnaire_id=survey_round.questionnaire_id)
        .order_by("section__order", "order")
        .first()
    )
    group = WorkingGroup.objects.top_level().order_by("number").first()
    deliverable = Deliverable.objects.order_by("id").first()
    from roadmap.models import PriorityActionArea

    area = PriorityActionArea.objects.order_by("number").first()
    return Targets(
        admin=admin,
        survey_round=survey_round,
        society=society,
        section_id=question.section_id,
        group_number=group.number,
        deliverable_id=deliverable.pk if deliverable else None,
        edition=ReportEdition.objects.order_by("id").first(),
        area_number=area.number if area else 1,
    )


def latency_pages(t: Targets) -> dict[str, str]:
    """The pages of the latency benchmark, by name."""
    r = t.survey_round.pk
    return {
        "at-a-glance": reverse("home"),
        "working group": reverse("workinggroups:detail", kwargs={"number": t.group_number}),
        "survey section": reverse("surveys:response-form", args=[r, t.society.pk])
        + f"?section={t.section_id}",
        "response tracker": reverse("surveys:round-tracker", args=[r]),
        # Every society of every region on one page (the 5× target).
        "response tracker, all regions": reverse("surveys:round-tracker", args=[r]) + "?region=all",
        "results": reverse("surveys:round-results", args=[r]),
        "resource list": reverse("workinggroups:resources"),
    }


def query_count_urls(t: Targets) -> dict[str, str]:
    """Every main page and export: the latency pages and more."""
    r = t.survey_round.pk
    urls = dict(latency_pages(t))
    urls.update(
        {
            "area": reverse("roadmap:area", kwargs={"number": t.area_number}),
            "working groups": reverse("workinggroups:list"),
            "resource list p2": reverse("workinggroups:resources") + "?page=2",
            "surveys": reverse("surveys:index"),
            "survey rounds": reverse("surveys:round-list"),
            "export answers xlsx long": reverse("surveys:round-export", args=[r])
            + "?format=xlsx&layout=long&language=en",
            "export answers xlsx wide": reverse("surveys:round-export", args=[r])
            + "?format=xlsx&layout=wide&language=en",
            "export answers csv long": reverse("surveys:round-export", args=[r])
            + "?format=csv&layout=long&language=fr",
            "export resources xlsx": reverse("workinggroups:resource-export", args=["xlsx"]),
            "export workbook": reverse("reports:export-workbook"),
            "reports": reverse("reports:edition-list"),
        }
    )
    from reports.exports import KINDS

    for kind in KINDS:
        urls[f"export {kind} csv"] = reverse("reports:export-kind", args=[kind, "csv"])
    # Meetings come with their action items' sheet in XLSX.
    urls["export meetings xlsx"] = reverse("reports:export-kind", args=["meetings", "xlsx"])
    from workinggroups.exports import GROUP_SCOPES

    group = WorkingGroup.objects.top_level().filter(number=t.group_number).order_by("pk").first()
    if group is not None:
        for kind in GROUP_SCOPES:
            urls[f"group export {kind} xlsx"] = reverse(
                "workinggroups:group-export", args=[group.pk, kind, "xlsx"]
            )
    if t.deliverable_id:
        urls["deliverable"] = reverse("workinggroups:deliverable", args=[t.deliverable_id])
    if t.edition:
        urls["report edition"] = reverse("reports:edition-detail", args=[t.edition.pk])
        urls["report preview"] = reverse("reports:edition-preview", args=[t.edition.pk])
    return urls


def query_counts(t: Targets | None = None) -> dict[str, int]:
    """Queries per page, export and report HTML, read as the roadmap admin."""
    t = t or find_targets()
    client = Client()
    client.force_login(t.admin)
    counts = {}
    for name, url in query_count_urls(t).items():
        # The content-type cache lives as long as the process: empty it so every page counts
        # its look-ups the same way, whatever ran before.
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            # Streaming and file responses run their queries while the body is read.
            b"".join(response) if response.streaming else response.content
        if response.status_code != 200:
            raise AssertionError(f"{name} ({url}) answered {response.status_code}")
        counts[name] = len(captured)
    if t.edition:
        from reports.rendering import report_html

        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as captured:
            report_html(t.edition, "en", for_pdf=True)
        counts["report (PDF HTML)"] = len(captured)
    return counts
