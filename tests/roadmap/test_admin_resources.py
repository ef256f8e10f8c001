"""Spreadsheet round trips of expected results, indicators and indicator values."""

import tablib

from roadmap.models import IndicatorValue
from roadmap.resources import ExpectedResultResource, IndicatorResource, IndicatorValueResource


def test_indicator_values_by_indicator_code(indicator, indicator_value):
    dataset = IndicatorValueResource().export()
    assert dataset.headers[:3] == ["indicator", "year", "value"]
    assert dataset[0][0] == indicator.code
    new = tablib.Dataset(headers=dataset.headers)
    # status and is_provisional are exported, never imported (read-only columns).
    new.append([indicator.code, 2023, "93", "2023 endline", "", "0", "withdrawn", "1"])
    new.append(list(dataset[0][:2]) + ["80", dataset[0][3], "corrected", "0", "published", "0"])
    result = IndicatorValueResource().import_data(new)
    assert not result.has_errors() and not result.has_validation_errors()
    assert IndicatorValue.objects.count() == 2
    indicator_value.refresh_from_db()
    assert indicator_value.value == 80
    assert indicator_value.history.first().history_change_reason == "spreadsheet import"
    added = IndicatorValue.objects.get(year=2023)
    assert (added.status, added.is_provisional) == (IndicatorValue.Status.PUBLISHED, False)


def test_unknown_indicator_code_is_an_error(indicator):
    dataset = tablib.Dataset(
        headers=["indicator", "year", "value", "source", "note", "is_computed"]
    )
    dataset.append(["NOPE", 2023, "1", "x", "", "0"])
    result = IndicatorValueResource().import_data(dataset)
    assert result.has_errors() or result.has_validation_errors()
    assert IndicatorValue.objects.count() == 0


def test_results_and_indicators_round_trip(output, indicator):
    for resource in (ExpectedResultResource(), IndicatorResource()):
        dataset = resource.export()
        result = resource.import_data(dataset, dry_run=True)
        assert not result.has_errors() and not result.has_validation_errors()
        assert result.totals["new"] == 0
