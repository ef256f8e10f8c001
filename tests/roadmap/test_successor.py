"""Creating the next roadmap from the last one (issue #21): the plan, the service, all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from roadmap import services
from roadmap.models import ExpectedResult, Indicator, PriorityActionArea, Roadmap
from tests import factories
from tests.workinggroups.factories import CoLeadFactory, MembershipFactory, WorkingGroupFactory
from workinggroups.models import Membership, WorkingGroup


@pytest.fixture
def first(db):
    """A 2020–2023 roadmap: two areas, results, three indicators with values, two groups."""
    roadmap = factories.RoadmapFactory(name="Roadmap 2020–2023", is_current=True)
    a1 = factories.AreaFactory(roadmap=roadmap, number=1, title="Basic support")
    a2 = factories.AreaFactory(roadmap=roadmap, number=2, title="Focal points")
    out = factories.OutputFactory(area=a1, code="1.1", title="Courses are mapped")
    factories.OutcomeFactory(area=a1, code="1.A", title="People get support")
    factories.OutputFactory(area=a2, code="2.1", title="Focal points named")
    pfa = factories.IndicatorFactory(area=a1, result=out, code="PFA", baseline_value=40)
    factories.IndicatorValueFactory(indicator=pfa, year=2021, value=55, source="2021 survey")
    factories.IndicatorValueFactory(indicator=pfa, year=2023, value=71, source="Endline 2023")
    factories.IndicatorValueFactory(indicator=pfa, year=2025, value=90, source="Too late")
    rfl = factories.IndicatorFactory(area=a1, code="RFL", baseline_value=10, baseline_year=2019)
    focal = factories.IndicatorFactory(area=a2, code="FOCAL")
    wg1 = WorkingGroupFactory(roadmap=roadmap, number=1, name="Basic support group")
    wg1.areas.set([a1, a2])
    lead = CoLeadFactory(working_group=wg1, slot=1)
    member = MembershipFactory(working_group=wg1)
    MembershipFactory(working_group=wg1, left_on=datetime.date(2022, 1, 1))  # left long ago
    sub = WorkingGroupFactory(roadmap=roadmap, number=1, parent=wg1, name="Digital subgroup")
    MembershipFactory(working_group=sub)
    wg2 = WorkingGroupFactory(roadmap=roadmap, number=2, name="Research group")
    MembershipFactory(working_group=wg2)
    return {
        "roadmap": roadmap, "a1": a1, "a2": a2, "out": out, "pfa": pfa, "rfl": rfl,
        "focal": focal, "wg1": wg1, "wg2": wg2, "sub": sub, "lead": lead, "member": member,
    }  # fmt: skip


def _kwargs(first, **extra):
    kwargs = {
        "source": first["roadmap"],
        "name": "Roadmap 2024–2027",
        "start_year": 2024,
        "end_year": 2027,
        "areas": [first["a1"]],
        "retire": [first["rfl"]],
        "groups": {first["wg1"].pk: "carry", first["wg2"].pk: "close"},
    }
    kwargs.update(extra)
    return kwargs


def test_the_plan_says_what_will_be_created_and_writes_nothing(first):
    plan = services.roadmap_successor_plan(**_kwargs(first))
    assert plan.ok, plan.errors
    assert [a.number for a in plan.areas] == [1]
    assert sorted(r.code for r in plan.results) == ["1.1", "1.A"]
    assert [p.source.code for p in plan.indicators] == ["PFA"]
    assert [i.code for i in plan.retired] == ["RFL"]
    # The baseline is the last counted value of the roadmap before (not the 2025 value).
    pfa = plan.indicators[0]
    assert (pfa.baseline_value, pfa.baseline_year, pfa.baseline_source) == (
        Decimal("71"),
        2023,
        "Endline 2023",
    )
    assert pfa.from_last_value
    assert plan.hooks["groups"] == [(first["wg1"], "carry"), (first["wg2"], "close")]
    assert plan.close_date == datetime.date(2023, 12, 31)
    assert Roadmap.objects.count() == 1
    assert WorkingGroup.objects.count() == 3


def test_the_plan_refuses_bad_choices_with_messages(first):
    other = factories.AreaFactory(number=9)  # of another roadmap
    roadmaps = Roadmap.objects.count()
    plan = services.roadmap_successor_plan(
        **_kwargs(
            first,
            name="Roadmap 2020–2023",
            start_year=2019,
            areas=[first["a1"], other],
            indicators=[first["focal"], first["rfl"]],
            groups={first["wg1"].pk: "carry"},
        )
    )
    text = " ".join(plan.errors)
    assert "exists already" in text
    assert "must start after 2020" in text
    assert "not areas of" in text
    assert "carried over and retired at once: RFL" in text
    assert "Indicator FOCAL belongs to area 2, which is not carried over" in text
    assert "WG2: Research group carries over or closes" in text
    with pytest.raises(ValidationError):
        services.roadmap_create_successor(**_kwargs(first, start_year=2019))
    assert Roadmap.objects.count() == roadmaps


def test_the_successor_carries_areas_results_indicators_and_groups(first, admin_user):
    successor = services.roadmap_create_successor(
        **_kwargs(
            first,
            new_areas=["Mental health of volunteers"],
            baselines={},
            by=admin_user,
        )
    )
    first["roadmap"].refresh_from_db()
    assert successor.is_current and not first["roadmap"].is_current
    assert Roadmap.objects.current() == successor
    assert successor.follows == first["roadmap"]
    areas = list(successor.areas.order_by("number"))
    assert [(a.number, a.title, a.carried_from_id) for a in areas] == [
        (1, "Basic support", first["a1"].pk),
        (2, "Mental health of volunteers", None),
    ]
    results = ExpectedResult.objects.filter(area__roadmap=successor)
    assert {(r.code, r.carried_from.code) for r in results} == {("1.1", "1.1"), ("1.A", "1.A")}
    new_pfa = Indicator.objects.get(area__roadmap=successor)
    assert new_pfa.code == "PFA" and new_pfa.carried_from == first["pfa"]
    assert new_pfa.result.area.roadmap == successor and new_pfa.result.code == "1.1"
    assert (new_pfa.baseline_value, new_pfa.baseline_year, new_pfa.baseline_source) == (
        Decimal("71"),
        2023,
        "Endline 2023",
    )
    assert new_pfa.target_year == 2027
    # The old roadmap keeps everything it had: the retired indicator and its values included.
    assert first["roadmap"].areas.count() == 2
    assert first["rfl"].area.roadmap == first["roadmap"]
    assert first["pfa"].values.count() == 3

    # Groups: WG1 (and its subgroup) carried over with its active people, WG2 closed.
    wg1_new = WorkingGroup.objects.get(roadmap=successor, number=1, parent__isnull=True)
    assert wg1_new.carried_from == first["wg1"]
    assert list(wg1_new.areas.all()) == [areas[0]]  # area 2 was not carried
    people = wg1_new.memberships.active()
    assert {(m.person_id, m.role, m.slot) for m in people} == {
        (first["lead"].person_id, Membership.Role.CO_LEAD, 1),
        (first["member"].person_id, Membership.Role.MEMBER, None),
    }
    assert {m.joined_on for m in people} == {datetime.date(2024, 1, 1)}
    sub_new = WorkingGroup.objects.get(roadmap=successor, parent=wg1_new)
    assert sub_new.carried_from == first["sub"] and sub_new.memberships.count() == 1
    assert not WorkingGroup.objects.filter(roadmap=successor, number=2).exists()
    # The carried group stays open in the roadmap before, its people too: they still report
    # against it. The closed group closes, its people leave on the close date.
    for old in (first["wg1"], first["sub"]):
        old.refresh_from_db()
        assert old.closed_on is None and old.memberships.active().exists()
    first["lead"].refresh_from_db()
    assert first["lead"].left_on is None
    first["wg2"].refresh_from_db()
    assert first["wg2"].closed_on == datetime.date(2023, 12, 31)
    assert not first["wg2"].memberships.active().exists()
    # The history stays whole: the old rows are kept with their dates and a reason.
    gone = first["wg2"].memberships.get()
    assert gone.left_on == datetime.date(2023, 12, 31)
    assert gone.joined_on == datetime.date(2021, 3, 1)
    last = gone.history.first()
    assert last.history_change_reason == "closed with Roadmap 2020–2023"
    assert last.history_user == admin_user
    assert wg1_new.history.first().history_change_reason == "carried over from Roadmap 2020–2023"
    assert new_pfa.history.first().history_user == admin_user
    assert first["roadmap"].history.first().history_change_reason == (
        "Roadmap 2024–2027 became the current roadmap"
    )


def test_a_baseline_given_by_the_admin_wins(first):
    successor = services.roadmap_create_successor(
        **_kwargs(
            first,
            baselines={first["pfa"].pk: {"value": Decimal("68"), "year": 2023, "source": "Audit"}},
        )
    )
    pfa = Indicator.objects.get(area__roadmap=successor)
    assert (pfa.baseline_value, pfa.baseline_source) == (Decimal("68"), "Audit")


def test_a_baseline_outside_the_unit_is_refused(first):
    plan = services.roadmap_successor_plan(
        **_kwargs(first, baselines={first["pfa"].pk: {"value": Decimal("140"), "year": 2023}})
    )
    assert any("PFA: A percentage must be between 0 and 100" in e for e in plan.errors)


def test_an_error_midway_leaves_nothing(first, monkeypatch):
    """The working groups are written last: a failure there undoes the roadmap, areas, results
    and indicators already written, and the old groups stay open."""
    hook = services.SUCCESSOR_HOOKS["groups"]

    def fail(*args, **kwargs):
        raise ValidationError("the disk is full")

    monkeypatch.setattr(hook, "apply", fail)
    before = (
        Roadmap.objects.count(),
        PriorityActionArea.objects.count(),
        ExpectedResult.objects.count(),
        Indicator.objects.count(),
        WorkingGroup.objects.count(),
        Membership.objects.count(),
    )
    with pytest.raises(ValidationError):
        services.roadmap_create_successor(**_kwargs(first))
    after = (
        Roadmap.objects.count(),
        PriorityActionArea.objects.count(),
        ExpectedResult.objects.count(),
        Indicator.objects.count(),
        WorkingGroup.objects.count(),
        Membership.objects.count(),
    )
    assert after == before
    first["roadmap"].refresh_from_db()
    assert first["roadmap"].is_current
    assert WorkingGroup.objects.filter(closed_on__isnull=False).count() == 0
