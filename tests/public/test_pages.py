"""The public pages: 404 until an admin publishes them, nothing a visitor without an account may
not see, figures as of the last published report, cached per language and light."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from public import selectors
from public import selectors as public_selectors
from public.models import PublicPages
from reports.models import ReportRun
from roadmap.models import PublicSummary
from tests import factories as f
from tests.crawl import crawl
from tests.reports.factories import EditionFactory
from tests.workinggroups import factories as wf
from workinggroups import services
from workinggroups.models import JoinRequest, Membership, Resource

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/public/", "/public/groups/", "/public/groups/1/", "/public/resources/"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _publish(roadmap=True, groups=True, resources=True):
    PublicSummary.objects.update(is_published=roadmap)
    PublicPages.objects.update_or_create(
        pk=PublicPages.objects.values_list("pk", flat=True).first(),
        defaults={"groups_published": groups, "resources_published": resources},
    )


@pytest.fixture
def site(db):
    roadmap = f.RoadmapFactory(is_current=True)
    PublicSummary.objects.create(roadmap=roadmap)
    area = f.AreaFactory(roadmap=roadmap, number=1)
    f.OutputFactory(area=area, code="1.1")
    group = wf.WorkingGroupFactory(
        roadmap=roadmap, number=1, name="Basic PSS", description="Training volunteers."
    )
    group.areas.set([area])
    ifrc = f.OrganisationFactory(name="IFRC", kind="ifrc")
    kenya = f.NationalSocietyFactory(name="Kenya Red Cross Society", name_fr="Croix-Rouge du Kenya")
    colead = f.UserFactory(
        full_name="Zanele Colead", email="zanele@ifrc.example", organisation=ifrc
    )
    member = f.UserFactory(
        full_name="Omondi Member", email="omondi@kenya.example", organisation=kenya
    )
    wf.CoLeadFactory(working_group=group, person=colead, organisation=ifrc, slot=1)
    wf.MembershipFactory(working_group=group, person=member, organisation=kenya)
    plan = wf.WorkplanFactory(
        working_group=group, year=datetime.date.today().year, summary="Train."
    )
    wf.DeliverableFactory(workplan=plan, title="PFA course")
    public = wf.ResourceFactory(working_group=group, title="Open PFA guide", is_public=True)
    private = wf.ResourceFactory(
        working_group=group, title="Internal contact list", notes="Call omondi@kenya.example"
    )
    return {
        "roadmap": roadmap,
        "group": group,
        "colead": colead,
        "public": public,
        "private": private,
        "kenya": kenya,
        "ifrc": ifrc,
    }


def test_every_public_page_is_not_found_until_published(client, site):
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 404, url
    _publish(roadmap=True, groups=False, resources=False)
    assert client.get("/public/").status_code == 200
    assert client.get("/public/groups/").status_code == 404
    assert client.get("/public/resources/").status_code == 404
    _publish()
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 200, url
    assert client.get("/public/groups/9/").status_code == 404


def test_only_an_admin_publishes(client, site):
    url = reverse("public:publish")
    client.force_login(f.ReaderFactory())
    assert client.get(url).status_code == 403
    assert client.post(url, {"roadmap": "on"}).status_code == 403
    assert not PublicSummary.objects.get().is_published
    admin = f.AdminFactory()
    client.force_login(admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"roadmap": "on", "groups": "on"}).status_code == 302
    assert PublicSummary.objects.get().is_published
    pages = PublicPages.objects.get()
    assert (pages.groups_published, pages.resources_published) == (True, False)
    assert pages.history.first().history_user == admin
    client.logout()
    assert client.get("/public/groups/1/").status_code == 200
    assert client.get("/public/resources/").status_code == 404


def test_the_group_page_shows_organisations_and_the_plan_not_people(client, site):
    _publish()
    body = client.get("/public/groups/1/").content.decode()
    assert "Training volunteers." in body and "PFA course" in body
    assert "IFRC" in body and "Kenya Red Cross Society" in body
    for personal in ("Zanele", "Omondi", "@"):
        assert personal not in body.replace('href="mailto', "")


def test_the_resource_library_shows_only_public_resources(client, site):
    _publish()
    body = client.get("/public/resources/").content.decode()
    assert "Open PFA guide" in body
    assert "Internal contact list" not in body and "omondi" not in body


def test_the_public_pages_show_nothing_a_visitor_may_not_see(db):
    """The demo data, every page published: crawl what a visitor reaches and look for every
    person's name and e-mail address, and for every resource not marked public."""
    call_command("load_roadmap", verbosity=0)
    call_command("load_demo", verbosity=0)
    hidden = Resource.objects.filter(is_public=False).first()
    assert hidden is not None  # the demo keeps its contacts private
    wf.ResourceFactory(
        working_group=hidden.working_group,
        title="Archived but public",
        is_public=True,
        is_archived=True,
    )
    _publish()
    pages = crawl(Client(), ["/public/"], per_view=50)
    assert {"/public/", "/public/groups/", "/public/resources/"} <= set(pages)
    # Every open group of the current roadmap (the demo's successor carries four over).
    groups = len(public_selectors.public_groups())
    assert groups >= 4
    assert sum(1 for url in pages if re.fullmatch(r"/public/groups/\d+/", url)) == groups
    assert sum(1 for url in pages if url.endswith("/join/")) == groups
    people = [u for u in User.objects.all() if len(u.full_name) > 3]
    assert len(people) > 5
    private_titles = list(
        Resource.objects.filter(is_public=False).values_list("title", flat=True)
    ) + ["Archived but public"]
    assert Resource.objects.public().exists()
    for url, html in pages.items():
        text = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), url
        for person in people:
            assert person.full_name not in html, (url, person.full_name)
            assert person.email not in html, (url, person.email)
        for title in private_titles:
            assert title not in html, (url, title)


def test_the_home_page_shows_the_figures_of_the_last_published_report(client, site, settings):
    settings.PARTICIPATION_COUNTED_FROM = datetime.date(2024, 1, 1)
    _publish()
    indicator = f.IndicatorFactory(area=site["group"].areas.get(), code="WG-PARTICIPATION")
    senegal = f.NationalSocietyFactory(name="Senegalese Red Cross Society")
    wf.MembershipFactory(
        working_group=site["group"], organisation=senegal, joined_on=datetime.date(2025, 3, 1)
    )
    Membership.objects.filter(organisation=site["kenya"]).update(
        joined_on=datetime.date(2024, 2, 1)
    )
    edition = EditionFactory(period_end=datetime.date(2024, 12, 31), title="Report 2024")
    EditionFactory(period_end=datetime.date(2025, 6, 30), title="Draft, never generated")
    run = ReportRun(
        edition=edition, version=1, language="en", status=ReportRun.Status.DONE, sha256="x"
    )
    run.file.save("r.pdf", ContentFile(b"%PDF-1.4"), save=False)
    run.save()
    found = selectors.at_a_glance()
    assert (found["report"], found["as_of"]) == (edition, datetime.date(2024, 12, 31))
    [item] = [i for i in found["areas"][0].indicators if i.indicator == indicator]
    assert item.latest.value == 1  # Kenya only: Senegal joined after the period
    body = client.get("/public/").content.decode()
    assert "31 December 2024" in body and "Report 2024" in body


def test_a_cached_page_runs_no_query_and_says_how_long_to_keep_it(
    client, site, django_assert_max_num_queries, django_assert_num_queries
):
    _publish()
    for _n in range(40):  # grown data: the first render stays bounded
        society = f.NationalSocietyFactory()
        wf.MembershipFactory(working_group=site["group"], organisation=society)
        wf.ResourceFactory(working_group=site["group"], is_public=True)
    for url in PUBLIC_URLS:
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content.decode().count("<h1") == 1
        assert "max-age=300" in again["Cache-Control"]
        assert "Accept-Language" in again["Vary"]


def test_each_language_has_its_own_copy_and_arabic_reads_right_to_left(client, site):
    _publish()
    english = client.get("/public/groups/1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get("/public/groups/1/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    arabic = client.get("/public/groups/1/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "Kenya Red Cross Society" in english and "Croix-Rouge du Kenya" not in english
    assert "Croix-Rouge du Kenya" in french
    assert '<html lang="ar" dir="rtl">' in arabic


def test_an_accepted_request_shows_on_the_public_page_at_once(client, site):
    _publish()
    assert "Senegalese" not in client.get("/public/groups/1/").content.decode()
    senegal = f.NationalSocietyFactory(name="Senegalese Red Cross Society")
    request = services.join_request_create(
        group=site["group"],
        organisation=senegal,
        full_name="Awa",
        email="awa@example.sn",
        note="",
        language="fr",
        person=None,
    )
    JoinRequest.objects.filter(pk=request.pk).update(status=JoinRequest.Status.PENDING)
    request.refresh_from_db()
    services.join_request_accept(join_request=request, user=site["colead"])
    assert "Senegalese Red Cross Society" in client.get("/public/groups/1/").content.decode()
