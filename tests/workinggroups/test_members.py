"""The group page's long lists: the add-member form on demand, its searched lists, the first
members and deliverables and a count (all of them on request), and the one-pass selects."""

import datetime
import re

from django import forms
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from tests.workinggroups import factories as wf
from workinggroups.forms import SEARCH_LIMIT, FastSelect, MembershipForm, ResourceFilterForm
from workinggroups.models import Membership, WorkingGroup
from workinggroups.views import DELIVERABLES_SHOWN, MEMBERS_SHOWN, OVERDUE_SHOWN

HTMX = {"HTTP_HX_REQUEST": "true"}
ROW = '<li class="list-group-item d-flex align-items-center gap-2">'


def _add_url(world):
    return reverse("workinggroups:membership-add", args=[world.wg1.pk])


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no {name} select"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


# --- the group page ---------------------------------------------------------------------------


def test_group_page_links_to_the_form_instead_of_rendering_it(client, world):
    f.UserFactory.create_batch(5)
    client.force_login(world.colead1)
    body = client.get(reverse("workinggroups:detail", args=[1])).content.decode()
    assert f'href="{_add_url(world)}"' in body and f'hx-get="{_add_url(world)}"' in body
    assert 'name="person"' not in body and 'name="organisation"' not in body


def test_group_page_has_no_add_link_for_people_who_cannot_manage(client, world):
    for person in (world.member1, world.colead4, world.reader):
        client.force_login(person)
        body = client.get(reverse("workinggroups:detail", args=[1])).content.decode()
        assert _add_url(world) not in body, person


def test_group_page_shows_the_first_members_and_a_count(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.colead1)
    url = reverse("workinggroups:detail", args=[1])
    client.get(url)  # warm caches (content types, the session's first save)
    with django_assert_max_num_queries(24) as small:
        client.get(url)
    for _ in range(MEMBERS_SHOWN + 5):
        wf.MembershipFactory(working_group=world.wg1)
    ended = wf.MembershipFactory(
        working_group=world.wg1, person=f.UserFactory(full_name="Old Timer")
    )
    ended.left_on = ended.joined_on
    ended.save()
    with django_assert_max_num_queries(24) as large:
        response = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    body = response.content.decode()
    total = MEMBERS_SHOWN + 6  # the world's member and the new ones
    assert len(response.context["members"]) == MEMBERS_SHOWN
    assert response.context["hidden_members"] == total - MEMBERS_SHOWN
    assert f"And {total - MEMBERS_SHOWN} more members." in body
    assert body.count(reverse("workinggroups:membership-end", args=[ended.pk])) == 0
    # Former members: a link with their number, not the list.
    assert "Old Timer" not in body and "?members=all#members-former" in body

    everyone = client.get(url + "?members=all").content.decode()
    assert "more members" not in everyone and "Old Timer" in everyone
    assert everyone.count('name="members" value="all"') == total + 1  # members and co-lead


def test_group_page_shows_the_first_deliverables_and_a_count(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.member1)
    url = reverse("workinggroups:detail", args=[1])
    client.get(url)  # warm caches (content types, the session's first save)
    with django_assert_max_num_queries(24) as small:
        client.get(url)
    later = wf.WorkplanFactory(working_group=world.wg1, year=2024)
    for _ in range(DELIVERABLES_SHOWN + 5):
        wf.DeliverableFactory(workplan=later)
    with django_assert_max_num_queries(24) as large:
        response = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    shown = response.context["deliverables"]
    assert len(shown) == DELIVERABLES_SHOWN and {d.workplan.year for d in shown} == {2024}
    assert response.context["hidden_deliverables"] == 6
    assert "And 6 more deliverables." in response.content.decode()
    response = client.get(url + "?deliverables=all")
    assert len(response.context["deliverables"]) == DELIVERABLES_SHOWN + 6
    assert world.deliverable.title in response.content.decode()


def test_group_page_shows_the_oldest_overdue_items_and_a_count(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.member1)
    url = reverse("workinggroups:detail", args=[1])
    client.get(url)  # warm caches (content types, the session's first save)
    with django_assert_max_num_queries(24) as small:
        client.get(url)
    long_ago = datetime.date.today() - datetime.timedelta(days=30)
    for days in range(OVERDUE_SHOWN + 3):
        due = long_ago + datetime.timedelta(days=days)
        wf.MilestoneFactory(deliverable=world.deliverable, date=due)
        wf.ActionItemFactory(meeting=world.meeting, due_date=due)
    with django_assert_max_num_queries(24) as large:
        response = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    milestones = response.context["overdue_milestones"]
    # Oldest first: the world's own (2023), then the new ones.
    assert len(milestones) == OVERDUE_SHOWN and milestones[0] == world.milestone
    assert milestones[1].date == long_ago
    assert len(response.context["overdue_actions"]) == OVERDUE_SHOWN
    body = response.content.decode()
    assert "And 4 more overdue milestones." in body and "And 4 more open action items." in body
    response = client.get(url + "?overdue=all")
    assert len(response.context["overdue_milestones"]) == OVERDUE_SHOWN + 4
    assert "more overdue" not in response.content.decode()


def test_all_members_with_htmx_is_the_members_section(client, world):
    for _ in range(MEMBERS_SHOWN + 2):
        wf.MembershipFactory(working_group=world.wg1)
    client.force_login(world.member1)
    url = reverse("workinggroups:members", args=[world.wg1.pk])
    response = client.get(url, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="members"' in body
    assert body.count(ROW) == MEMBERS_SHOWN + 4  # the co-lead, the world's member, the new ones
    # Without JavaScript: the group page with everyone.
    response = client.get(url)
    assert response["Location"] == world.wg1.get_absolute_url() + "?members=all#members"


def test_ending_a_membership_while_all_are_shown_keeps_them_shown(client, world):
    for _ in range(MEMBERS_SHOWN + 2):
        wf.MembershipFactory(working_group=world.wg1)
    client.force_login(world.colead1)
    url = reverse("workinggroups:membership-end", args=[world.membership.pk])
    response = client.post(url, {"members": "all"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "more members" not in body
    assert body.count(ROW) == MEMBERS_SHOWN + 3
    world.membership.refresh_from_db()
    assert world.membership.left_on is not None


# --- the add-member form, on demand ---------------------------------------------------------


def test_add_member_form_is_a_page_of_its_own_without_javascript(client, world):
    client.force_login(world.colead1)
    response = client.get(_add_url(world))
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert "Add a member" in body and world.wg1.label in body
    assert str(world.member1.pk) in _options(body, "person")
    assert str(world.ifrc.pk) in _options(body, "organisation")
    # The searches are a GET form of their own: Enter in a search box never adds anyone.
    assert 'id="membership-search" method="get"' in body
    assert body.count('form="membership-search"') == 4


def test_add_member_form_with_htmx_is_the_form_alone(client, world):
    client.force_login(world.admin)
    response = client.get(_add_url(world), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="membership-form"' in body and 'id="membership-search"' in body
    assert 'hx-target="#members"' in body


def test_add_member_form_is_refused_to_people_who_cannot_manage(client, world):
    for person in (world.member1, world.colead4, world.reader, world.focal):
        client.force_login(person)
        assert client.get(_add_url(world)).status_code == 403, person
        assert client.get(_add_url(world), **HTMX).status_code == 403, person


def test_search_as_you_type_returns_the_matches_only(client, world):
    nadia = f.UserFactory(full_name="Nadia Newcomer", email="nadia@example.org")
    f.UserFactory.create_batch(SEARCH_LIMIT + 5, full_name="Someone Else")
    client.force_login(world.colead1)
    response = client.get(
        _add_url(world) + "?person_q=newcomer", HTTP_HX_TRIGGER_NAME="person_q", **HTMX
    )
    body = response.content.decode()
    assert 'id="person-choices"' in body and "membership-form" not in body
    assert _options(body, "person") == ["", str(nadia.pk)]
    assert "Nadia Newcomer (nadia@example.org)" in body

    body = client.get(
        _add_url(world) + "?person_q=someone", HTTP_HX_TRIGGER_NAME="person_q", **HTMX
    ).content.decode()
    assert len(_options(body, "person")) == SEARCH_LIMIT + 1
    assert f"The first {SEARCH_LIMIT} matches" in body

    body = client.get(
        _add_url(world) + "?organisation_q=zzz", HTTP_HX_TRIGGER_NAME="organisation_q", **HTMX
    ).content.decode()
    assert _options(body, "organisation") == [""] and "No match." in body


def test_search_without_javascript_keeps_the_search_and_narrows_the_list(client, world):
    found = f.OrganisationFactory(name="Zanzibar Relief Partners")
    client.force_login(world.colead1)
    body = client.get(_add_url(world) + "?organisation_q=zanzibar").content.decode()
    assert "<html" in body and 'value="zanzibar"' in body
    assert _options(body, "organisation") == ["", str(found.pk)]
    assert str(world.ifrc.pk) not in _options(body, "organisation")
    assert len(_options(body, "person")) > 2  # the other list is whole


def test_add_member_form_queries_stay_flat_as_people_grow(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.colead1)
    url = _add_url(world) + "?person_q=person"
    client.get(url, **HTMX)  # warm caches (content types, the session's first save)
    with django_assert_max_num_queries(12) as small:
        client.get(url, **HTMX)
    f.UserFactory.create_batch(30)
    f.OrganisationFactory.create_batch(10)
    with django_assert_max_num_queries(12) as large:
        response = client.get(url, **HTMX)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(_options(response.content.decode(), "person")) == SEARCH_LIMIT + 1


def test_posting_the_form_adds_the_member(client, world):
    person = f.UserFactory(full_name="Nadia Newcomer")
    client.force_login(world.colead1)
    response = client.post(_add_url(world), {"role": "member", "person": person.pk})
    assert response.status_code == 302 and response["Location"] == world.wg1.get_absolute_url()
    membership = Membership.objects.get(working_group=world.wg1, person=person)
    assert membership.organisation == person.organisation and membership.is_active


def test_a_choice_outside_the_searched_matches_is_still_accepted(client, world):
    """The search narrows what is shown, never what is valid."""
    person = f.UserFactory(full_name="Zed Zebra")
    client.force_login(world.colead1)
    client.post(
        _add_url(world),
        {"role": "observer", "person": person.pk, "person_q": "nobody", "organisation_q": "x"},
    )
    assert Membership.objects.filter(working_group=world.wg1, person=person).exists()


def test_invalid_form_without_javascript_shows_its_errors(client, world):
    client.force_login(world.colead1)
    response = client.post(_add_url(world), {"role": "co_lead", "organisation": world.ifrc.pk})
    body = response.content.decode()
    assert response.status_code == 422 and "<html" in body
    assert "A co-lead is a person." in body
    assert f'<option value="{world.ifrc.pk}" selected>' in body


def test_invalid_form_with_htmx_reopens_the_form_in_the_members_section(client, world):
    client.force_login(world.colead1)
    response = client.post(_add_url(world), {"role": "member"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 422 and "<html" not in body
    assert 'id="members"' in body and 'id="membership-form"' in body
    assert "Choose an organisation, a person, or both." in body


def test_a_reader_or_inactive_person_is_not_a_valid_choice(world):
    inactive = f.UserFactory(is_active=False)
    for person in (world.reader, inactive):
        form = MembershipForm({"role": "member", "person": person.pk})
        assert not form.is_valid() and "person" in form.errors


def test_the_third_co_lead_is_still_refused_from_the_page(client, world):
    wf.CoLeadFactory(working_group=world.wg1, slot=2)
    client.force_login(world.colead1)
    response = client.post(_add_url(world), {"role": "co_lead", "person": f.UserFactory().pk})
    assert response.status_code == 422 and "two co-leads" in response.content.decode()
    assert Membership.objects.active().co_leads().filter(working_group=world.wg1).count() == 2


# --- one-pass selects ------------------------------------------------------------------------


def _normalise(html: str) -> str:
    return re.sub(r"\s*\n\s*", "", html)


def test_fast_select_writes_what_the_select_widget_writes(db):
    choices = [("", "All <kinds>"), ("a&b", "A & B"), ("x", 'Say "x"'), (3, "Three")]
    for value in (None, "", "a&b", 3):
        plain = forms.Select(choices=choices, attrs={"class": "form-select", "id": "id_k"})
        fast = FastSelect(choices=choices, attrs={"class": "form-select", "id": "id_k"})
        assert _normalise(fast.render("k", value)) == _normalise(plain.render("k", value))


def test_resource_filter_keeps_the_country_and_translates_the_labels(world):
    groups = WorkingGroup.objects.all()
    with translation.override("fr"):
        html = str(ResourceFilterForm({"country": "KE"}, groups=groups)["country"])
        assert '<option value="">Tous les pays</option>' in html
        assert '<option value="KE" selected>Kenya</option>' in html
        assert ">Allemagne</option>" in html
        assert html.count("<option") > 240
    with translation.override("ar"):
        html = str(ResourceFilterForm(None, groups=groups)["country"])
        assert '<option value="" selected>جميع البلدان</option>' in html
    html = str(ResourceFilterForm({"group": world.wg1.pk}, groups=groups)["group"])
    assert f'<option value="{world.wg1.pk}" selected>' in html


def test_resource_list_filters_by_country(client, world):
    world.resource.countries = ["KE"]
    world.resource.save()
    client.force_login(world.member1)
    response = client.get(reverse("workinggroups:resources") + "?country=KE")
    body = response.content.decode()
    assert '<option value="KE" selected>' in body
    assert response.context["page"].paginator.count == 1
    response = client.get(reverse("workinggroups:resources") + "?country=FR")
    assert response.context["page"].paginator.count == 0
