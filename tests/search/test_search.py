"""The search box: what each person finds (and never finds), grouped by kind, marked, escaped,
in four languages, bounded in queries. The demo world, as in the issue: "webinar" as WG4's co-lead."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from roadmap.models import ExpectedResult, Indicator
from search.engine import PER_KIND, engine, has_unaccent
from search.kinds import KINDS, live
from tests.workinggroups import factories as wf
from workinggroups.models import Deliverable, Meeting, Resource, WorkingGroup

URL = reverse("search:results")


def _search(client, user, query: str, language: str = "en", **extra) -> str:
    client.force_login(user)
    response = client.get(URL, {"q": query, **extra}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, key: str) -> str:
    """The HTML of one kind's section ('' when the kind found nothing)."""
    start = html.find(f'id="kind-{key}"')
    if start == -1:
        return ""
    return html[start : html.index("</section>", start)]


def _links(html: str) -> list[str]:
    main = html[html.index("<main") : html.index("</main>")]
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'<li class="mb-2">\s*<a href="([^"]+)"', main)
    ]


def test_co_lead_of_wg4_finds_the_webinar_deliverables_and_minutes(client, world):
    html = _search(client, world.users["colead_wg4"], "webinar")
    wg4 = world.objects["wg4"]
    deliverables = _section(html, "deliverables")
    webinar_series = Deliverable.objects.get(working_group=wg4, title__icontains="webinar")
    assert webinar_series.get_absolute_url() in deliverables
    assert re.search(r"<mark>webinar</mark>", deliverables, re.IGNORECASE)
    meetings = _section(html, "meetings")
    minutes = Meeting.objects.get(working_group=wg4, minutes__icontains="webinar")
    assert minutes.get_absolute_url() in meetings
    # The minutes' words are shown around the match, the match marked.
    assert "Agreed speakers for the first two" in meetings
    assert re.search(r"<mark>webinars?</mark>", meetings, re.IGNORECASE)
    # A count per kind, in the summary and on each heading.
    count = Deliverable.objects.active().filter(title__icontains="webinar").count()
    assert f'Deliverables <span class="badge text-bg-secondary">{count}</span>' in html


@pytest.mark.parametrize("role", ["focal_kenya", "focal_lebanon", "reader", "staff", "colead_wg4"])
@pytest.mark.parametrize("query", ["webinar", "support", "national societies"])
def test_every_result_opens_for_the_person_who_found_it(client, world, role, query):
    """Nothing found that its finder may not open: each link answers 200 for them."""
    html = _search(client, world.users[role], query)
    links = _links(html)
    assert links, html
    main = html[html.index("<main") : html.index("</main>")]
    assert "@example.org" not in main  # no person's e-mail address in any result
    for link in set(links):
        assert client.get(link).status_code == 200, link


def test_archived_things_and_archived_groups_are_never_found(client, world):
    wg1 = world.objects["wg1"]
    gone = wf.DeliverableFactory(workplan=wg1.workplans.first(), title="Quokka toolkit")
    Deliverable.objects.filter(pk=gone.pk).update(is_archived=True)
    resource = wf.ResourceFactory(working_group=wg1, title="Quokka course")
    Resource.objects.filter(pk=resource.pk).update(is_archived=True)
    closed = wf.WorkingGroupFactory(roadmap=wg1.roadmap, number=77, name="Old group")
    WorkingGroup.objects.filter(pk=closed.pk).update(is_archived=True)
    wf.MeetingFactory(working_group=closed, title="Quokka meeting", minutes="Quokka minutes")
    result = world.objects["result"]
    ExpectedResult.objects.filter(pk=result.pk).update(is_archived=True)
    update = world.objects["result_update"]
    type(update).objects.filter(pk=update.pk).update(narrative="Quokka progress")
    live = wf.DeliverableFactory(workplan=wg1.workplans.first(), title="Quokka guidance")
    for role in ("admin", "reader", "focal_kenya", "staff"):
        html = _search(client, world.users[role], "quokka")
        assert _links(html) == [live.get_absolute_url()], role


def test_text_is_escaped_and_marked_never_run(client, world):
    wf.DeliverableFactory(
        workplan=world.objects["wg1"].workplans.first(),
        title="<script>alert('x')</script> Axolotl <b>bold</b>",
        description="Before <img src=x onerror=alert(1)> axolotl after",
    )
    html = _search(client, world.users["member_wg1"], "axolotl")
    section = _section(html, "deliverables")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in section and "&lt;img src=x" in section
    assert re.search(r"<mark>axolotl</mark>", section, re.IGNORECASE)


def test_indicators_are_found_in_each_language_and_shown_in_the_readers(client, world):
    pfa = Indicator.objects.filter(code="PFA").order_by("pk").first()
    assert pfa.name_fr and pfa.name_ar
    url = reverse("roadmap:indicator", kwargs={"pk": pfa.pk})
    user = world.users["focal_kenya"]
    # A French word on the French page: the French name shown, the word marked.
    french = _section(_search(client, user, "secours", "fr"), "indicators")
    assert url in french and "<mark>secours</mark>" in french
    # Arabic words on the Arabic page; and the code, in any language.
    arabic_word = "الإسعافات"
    arabic = _section(_search(client, user, arabic_word, "ar"), "indicators")
    assert url in arabic and f"<mark>{arabic_word}</mark>" in arabic
    assert url in _section(_search(client, user, "PFA", "en"), "indicators")
    # A French word from the English page finds it too, the French name shown beside it.
    english = _section(_search(client, user, "secours", "en"), "indicators")
    assert url in english and pfa.name in english


@pytest.mark.postgres
def test_accents_and_word_forms_do_not_matter_on_postgresql(client, world):
    assert engine() == "postgres"
    pfa = Indicator.objects.filter(code="PFA").order_by("pk").first()
    url = reverse("roadmap:indicator", kwargs={"pk": pfa.pk})
    user = world.users["reader"]
    assert has_unaccent()  # search/migrations/0001 created it in the test database
    # Without accents, on the Spanish page and on the English one (no Spanish stemmer there).
    assert url in _section(_search(client, user, "auxilios psicologicos", "es"), "indicators")
    assert url in _section(_search(client, user, "psicologicos", "en"), "indicators")
    # Stems: the minutes say "webinars".
    wg4_minutes = Meeting.objects.get(
        working_group=world.objects["wg4"], minutes__icontains="webinar"
    )
    assert wg4_minutes.get_absolute_url() in _section(
        _search(client, user, "webinars", "en"), "meetings"
    )


def test_grown_data_bounded_queries_per_kind_and_pages(
    client, world, django_assert_max_num_queries
):
    wg4 = world.objects["wg4"]
    plan = wg4.workplans.first()
    for n in range(PER_KIND + 5):
        deliverable = wf.DeliverableFactory(workplan=plan, title=f"Okapi webinar {n}")
        wf.MilestoneFactory(deliverable=deliverable, title=f"Okapi session {n}")
        meeting = wf.MeetingFactory(working_group=wg4, title=f"Okapi meeting {n}")
        wf.ActionItemFactory(meeting=meeting, description=f"Okapi action {n}")
        wf.ResourceFactory(working_group=wg4, title=f"Okapi resource {n}")
    user = world.users["colead_wg4"]
    client.force_login(user)
    client.get(URL, {"q": "warm up"})
    # Session and user, the readable groups, then a count and a page per kind.
    with django_assert_max_num_queries(4 + 2 * len(KINDS)):
        response = client.get(URL, {"q": "okapi"})
    html = response.content.decode()
    deliverables = _section(html, "deliverables")
    assert deliverables.count('<li class="mb-2">') == PER_KIND
    assert f"All {PER_KIND + 5} results in Deliverables" in deliverables
    page2 = _search(client, user, "okapi", kind="deliverables", page=2)
    assert _section(page2, "deliverables").count('<li class="mb-2">') == 5
    assert _section(page2, "meetings") == ""  # one kind only
    assert "Page 2 of 2" in page2


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert('x')</script>",
        '"><img src=x onerror=alert(1)>',
        "nul\x00byte",
        "ctrl\x02char\x03",
        "' OR 1=1; --",
        "100% _match_ \\",
        "& | ! : * ( )",
        "x" * 500,
        "\u202egnp.exe",
        "🧠💚",
    ],
)
def test_hostile_queries_are_messages_or_searches_never_errors(client, world, query):
    client.force_login(world.users["focal_kenya"])
    response = client.get(URL, {"q": query, "kind": "meetings", "page": "99999999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_too_short_a_query_says_so_and_searches_nothing(client, world):
    html = _search(client, world.users["reader"], "a")
    assert 'aria-invalid="true"' in html and "kind-" not in html


def test_the_header_box_is_for_signed_in_people(client, world):
    client.force_login(world.users["focal_kenya"])
    html = client.get(reverse("home")).content.decode()
    assert 'role="search"' in html and f'action="{URL}"' in html
    client.logout()
    assert 'role="search"' not in client.get(reverse("public-summary")).content.decode()
    response = client.get(URL, {"q": "webinar"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_engine_matches_the_database():
    assert engine() == ("postgres" if connection.vendor == "postgresql" else "simple")


@pytest.mark.parametrize(
    "model", [Deliverable, Resource, ExpectedResult, Meeting, WorkingGroup, Indicator]
)
def test_archived_rows_are_left_out_wherever_the_model_has_the_flag(model):
    has_flag = any(f.name == "is_archived" for f in model._meta.get_fields())
    assert ("is_archived" in str(live(model.objects.all()).query)) == has_flag
