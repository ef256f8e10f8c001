"""Indicator values you can trust: unit limits, one current value, withdraw/restore, the rule."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from roadmap import figures, services
from roadmap.forms import IndicatorValueForm
from roadmap.models import Indicator, IndicatorValue
from tests import factories
from tests.workinggroups import factories as wf

AS_OF = datetime.date(2023, 12, 31)
SESSION_SAVE = 3


@pytest.fixture
def count_indicator(area):
    return factories.IndicatorFactory(
        area=area, code="TRAINED", unit=Indicator.Unit.COUNT, baseline_value=0, target_value=900
    )


@pytest.fixture
def people(db, admin_user, reader, staff, area):
    """Every role: admin, a co-lead and a member of a group on the area, a reader, no role."""
    group = wf.WorkingGroupFactory(roadmap=area.roadmap, number=1)
    group.areas.set([area])
    colead = factories.UserFactory(email="colead@example.org")
    member = factories.UserFactory(email="member@example.org")
    wf.CoLeadFactory(working_group=group, person=colead, slot=1)
    wf.MembershipFactory(working_group=group, person=member)
    return {
        "admin": admin_user,
        "colead": colead,
        "member": member,
        "reader": reader,
        "staff": staff,
    }


# ---- unit limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit, value, ok",
    [
        ("percent", "0", True),
        ("percent", "100", True),
        ("percent", "-5", False),
        ("percent", "150", False),
        ("percent", "100.01", False),
        ("count", "0", True),
        ("count", "12", True),
        ("count", "-1", False),
        ("count", "2.5", False),
        ("number", "-5", True),
    ],
)
def test_service_and_model_check_the_unit(indicator, admin_user, unit, value, ok):
    indicator.unit = unit
    indicator.save()
    add = lambda: services.indicator_value_add(  # noqa: E731
        indicator=indicator, added_by=admin_user, year=2021, value=Decimal(value), source="s"
    )
    if ok:
        assert add().value == Decimal(value)
        return
    with pytest.raises(ValidationError) as refused:
        add()
    message = refused.value.message_dict["value"][0]
    assert ("between 0 and 100" in message) if unit == "percent" else ("0 or more" in message)
    assert IndicatorValue.objects.count() == 0


@pytest.mark.parametrize("value", ["-5", "150"])
def test_the_form_refuses_a_percent_outside_0_100(client, admin_user, indicator, value):
    client.force_login(admin_user)
    url = reverse("roadmap:indicator", args=[indicator.pk])
    page = client.post(url, {"year": "2021", "value": value, "source": "Typo"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "A percentage must be between 0 and 100" in html and value in html
    assert IndicatorValue.objects.count() == 0
    # Never on the home page as "Latest" either.
    assert figures.latest_values([indicator], AS_OF) == {indicator.pk: None}


def test_the_form_refuses_a_fractional_count(count_indicator):
    form = IndicatorValueForm(
        {"year": "2021", "value": "2.5", "source": "s"}, indicator=count_indicator
    )
    assert not form.is_valid()
    assert "not a whole number" in form.errors["value"][0]


@pytest.mark.parametrize(
    "language, typed, stored",
    [("es", "12.500", Decimal(12500)), ("fr", "12 500", Decimal(12500)), ("en", "12,500", 12500)],
)
def test_values_are_read_as_people_of_the_language_type_them(
    count_indicator, language, typed, stored
):
    with translation.override(language):
        form = IndicatorValueForm(
            {"year": "2021", "value": typed, "source": "s"}, indicator=count_indicator
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == stored


def test_an_ambiguous_value_is_refused_with_how_to_write_it(indicator):
    with translation.override("es"):
        form = IndicatorValueForm(
            {"year": "2021", "value": "12,500", "source": "s"}, indicator=indicator
        )
        assert not form.is_valid()
    assert "12,5" in form.errors["value"][0]


def test_the_correction_form_shows_the_kept_value_in_the_language(indicator_value):
    indicator_value.value = Decimal("74.5")
    indicator_value.save()
    with translation.override("fr"):
        form = IndicatorValueForm(instance=indicator_value)
        assert 'value="74,5"' in str(form["value"])


# ---- one current value per indicator, year and source ------------------------------------


def test_a_second_value_for_the_same_year_and_source_is_a_correction(
    client, admin_user, indicator_value
):
    client.force_login(admin_user)
    url = reverse("roadmap:indicator", args=[indicator_value.indicator_id])
    data = {"year": "2021", "value": "81", "source": indicator_value.source}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "say why you correct it" in page.content.decode()
    indicator_value.refresh_from_db()
    assert indicator_value.value == 79
    page = client.post(url, data | {"reason": "Report erratum p. 12"})
    assert page.status_code == 302
    assert IndicatorValue.objects.count() == 1
    indicator_value.refresh_from_db()
    assert indicator_value.value == 81
    assert indicator_value.history.first().history_change_reason == "Report erratum p. 12"
    assert "Report erratum p. 12" in client.get(url).content.decode()


def test_the_database_keeps_one_current_value_per_source(indicator_value):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.IndicatorValueFactory(
            indicator=indicator_value.indicator, year=2021, source=indicator_value.source
        )
    # Beside a withdrawn one, a new current value is fine.
    factories.IndicatorValueFactory(
        indicator=indicator_value.indicator,
        year=2021,
        source=indicator_value.source,
        status=IndicatorValue.Status.WITHDRAWN,
    )
    assert IndicatorValue.objects.count() == 2


# ---- withdraw and restore -----------------------------------------------------------------


def test_admin_withdraws_and_restores_with_a_reason(client, admin_user, indicator, indicator_value):
    client.force_login(admin_user)
    withdraw = reverse("roadmap:indicator-value-withdraw", args=[indicator_value.pk])
    page = client.post(withdraw, {"reason": ""})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    assert client.post(withdraw, {"reason": "Wrong survey"}).status_code == 302
    indicator_value.refresh_from_db()
    assert indicator_value.status == IndicatorValue.Status.WITHDRAWN
    assert indicator_value.history.first().history_change_reason == "Wrong survey"
    assert figures.latest_values([indicator], AS_OF)[indicator.pk] is None
    html = client.get(reverse("roadmap:indicator", args=[indicator.pk])).content.decode()
    assert "text-decoration-line-through" in html and "withdrawn" in html and "Wrong survey" in html
    assert reverse("roadmap:indicator-value-restore", args=[indicator_value.pk]) in html

    restore = reverse("roadmap:indicator-value-restore", args=[indicator_value.pk])
    assert client.post(restore, {"reason": "It was right"}).status_code == 302
    indicator_value.refresh_from_db()
    assert indicator_value.status == IndicatorValue.Status.PUBLISHED
    assert figures.latest_values([indicator], AS_OF)[indicator.pk] == indicator_value
    assert IndicatorValue.objects.count() == 1  # never deleted


def test_restore_refused_when_another_value_took_its_place(admin_user, indicator_value):
    services.indicator_value_withdraw(indicator_value=indicator_value, by=admin_user, reason="x")
    services.indicator_value_add(
        indicator=indicator_value.indicator,
        added_by=admin_user,
        year=2021,
        value=70,
        source=indicator_value.source,
    )
    with pytest.raises(ValidationError) as refused:
        services.indicator_value_restore(indicator_value=indicator_value, by=admin_user, reason="y")
    assert "correct that value instead" in " ".join(refused.value.messages)
    indicator_value.refresh_from_db()
    assert indicator_value.status == IndicatorValue.Status.WITHDRAWN


def test_a_withdrawn_value_cannot_be_corrected(admin_user, indicator_value):
    services.indicator_value_withdraw(indicator_value=indicator_value, by=admin_user, reason="x")
    with pytest.raises(ValidationError):
        services.indicator_value_edit(
            indicator_value=indicator_value, editor=admin_user, reason="r", value=1
        )


@pytest.mark.parametrize(
    "role, status",
    [("admin", 200), ("colead", 403), ("member", 403), ("reader", 403), ("staff", 403)],
)
def test_only_admins_withdraw(client, people, indicator_value, role, status):
    client.force_login(people[role])
    for name in ("roadmap:indicator-value-withdraw", "roadmap:indicator-value-restore"):
        url = reverse(name, args=[indicator_value.pk])
        assert client.get(url).status_code == status
    url = reverse("roadmap:indicator-value-withdraw", args=[indicator_value.pk])
    response = client.post(url, {"reason": "because"})
    assert response.status_code == (302 if role == "admin" else 403)
    indicator_value.refresh_from_db()
    withdrawn = indicator_value.status == IndicatorValue.Status.WITHDRAWN
    assert withdrawn == (role == "admin")
    # Everybody signed in reads the indicator; only admins see the buttons.
    html = client.get(reverse("roadmap:indicator", args=[indicator_value.indicator_id]))
    assert html.status_code == 200
    assert ("btn-outline-danger" in html.content.decode()) == (role == "admin" and not withdrawn)


# ---- the rule: counted values, series and latest ----------------------------------------


def test_series_rule(indicator, admin_user):
    def value(year, number, **kw):
        return factories.IndicatorValueFactory(
            indicator=indicator,
            year=year,
            value=number,
            source=kw.pop("source", f"s{number}"),
            **kw,
        )

    value(2019, 74)
    computed_2021 = value(2021, 20, is_computed=True)
    typed_2021 = value(2021, 79)
    value(2022, 81, is_computed=True)
    later_typed_2022 = value(2022, 82)
    value(2022, 83, is_computed=True)  # computed after: typed still wins its year
    value(2023, 90, status=IndicatorValue.Status.PROPOSED, is_computed=True)
    value(2023, 91, status=IndicatorValue.Status.WITHDRAWN)
    value(2024, 95)  # after the as-of year

    series = figures.indicator_series(indicator, AS_OF)[indicator.pk]
    assert [(v.year, v.value) for v in series] == [(2019, 74), (2021, 79), (2022, 82)]
    assert figures.latest_values([indicator.pk], AS_OF) == {indicator.pk: later_typed_2022}
    assert figures.latest_values(indicator, datetime.date(2021, 6, 30)) == {
        indicator.pk: typed_2021
    }
    # Once the typed-in 2021 value is withdrawn, the computed one counts for 2021.
    services.indicator_value_withdraw(indicator_value=typed_2021, by=admin_user, reason="x")
    assert figures.latest_values([indicator], datetime.date(2021, 1, 1))[indicator.pk] == (
        computed_2021
    )
    # Among typed-in values of one year, the one recorded last counts.
    newer = value(2019, 75, source="Regional report")
    assert figures.indicator_series([indicator], AS_OF)[indicator.pk][0] == newer


def test_latest_values_is_one_query_for_many_indicators(area, django_assert_num_queries):
    indicators = [factories.IndicatorFactory(area=area) for _ in range(5)]
    for ind in indicators:
        for year in (2019, 2021, 2023):
            factories.IndicatorValueFactory(indicator=ind, year=year, value=year - 1970)
    with django_assert_num_queries(1):
        latest = figures.latest_values(indicators, AS_OF)
    assert {v.value for v in latest.values()} == {53}


def test_home_page_latest_skips_withdrawn_and_marks_provisional(
    client, reader, admin_user, indicator, indicator_value
):
    wrong = factories.IndicatorValueFactory(indicator=indicator, year=2023, value=22, source="E")
    services.indicator_value_withdraw(indicator_value=wrong, by=admin_user, reason="9 of 193")
    provisional = factories.IndicatorValueFactory(
        indicator=indicator, year=2022, value=41, source="P", is_provisional=True
    )
    client.force_login(reader)
    html = client.get(reverse("home")).content.decode()
    assert "22%" not in html
    assert "41%" in html and "provisional" in html
    assert provisional.pk


@pytest.mark.parametrize("role", ["admin_user", "reader"])
def test_indicator_page_query_count_does_not_grow(client, request, admin_user, indicator, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(request.getfixturevalue(role))
    url = reverse("roadmap:indicator", args=[indicator.pk])
    client.get(url)  # the first request of a session may save it
    counts = []
    for n in (2, 12):
        for year in range(2000 + len(counts) * 20, 2000 + len(counts) * 20 + n):
            value = factories.IndicatorValueFactory(indicator=indicator, year=year, value=50)
            if year % 2:
                services.indicator_value_withdraw(indicator_value=value, by=admin_user, reason="x")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        counts.append(len(queries))
    assert page.content.decode().count("text-decoration-line-through") == 7
    # session, user, indicator (with area and result), values, counted values (the rule),
    # history of the indicator and of its values, translation hint; a reader's denied
    # permissions add the permission look-ups. The same with 2 values or 14.
    assert counts[0] == counts[1] <= 12, counts


def test_a_sheet_row_corrects_the_current_value_not_a_withdrawn_one(admin_user, indicator):
    import tablib

    from roadmap.resources import IndicatorValueResource

    old = factories.IndicatorValueFactory(indicator=indicator, year=2021, value=22, source="S")
    services.indicator_value_withdraw(indicator_value=old, by=admin_user, reason="wrong")
    current = factories.IndicatorValueFactory(indicator=indicator, year=2021, value=79, source="S")
    dataset = IndicatorValueResource().export()
    assert dataset.headers[-2:] == ["status", "is_provisional"]
    assert sorted(row[6] for row in dataset) == ["published", "withdrawn"]
    sheet = tablib.Dataset(headers=dataset.headers)
    sheet.append([indicator.code, 2021, "81", "S", "", "0", "published", "0"])
    result = IndicatorValueResource().import_data(sheet)
    assert not result.has_errors() and not result.has_validation_errors()
    current.refresh_from_db()
    old.refresh_from_db()
    assert (current.value, old.value, old.status) == (81, 22, IndicatorValue.Status.WITHDRAWN)


def test_admin_list_shows_status_and_provisional(client, admin_user, indicator_value):
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    html = client.get(reverse("admin:roadmap_indicatorvalue_changelist")).content.decode()
    assert "column-status" in html and "column-is_provisional" in html
    assert "Published" in html


def test_a_second_admin_acting_on_a_stale_page_is_refused(admin_user, indicator_value):
    stale = IndicatorValue.objects.get(pk=indicator_value.pk)
    services.indicator_value_withdraw(indicator_value=indicator_value, by=admin_user, reason="a")
    with pytest.raises(ValidationError):
        services.indicator_value_withdraw(indicator_value=stale, by=admin_user, reason="b")
    assert indicator_value.history.count() == 2  # created, withdrawn once


def test_the_kept_value_is_said_back_formatted(client, admin_user, count_indicator):
    from django.conf import settings

    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    url = reverse("roadmap:indicator", args=[count_indicator.pk])
    page = client.post(url, {"year": "2021", "value": "12.500", "source": "s"}, follow=True)
    assert IndicatorValue.objects.get().value == 12500
    said = [str(m) for m in page.context["messages"]]
    assert len(said) == 1 and "12500" in said[0] and "2021" in said[0]
