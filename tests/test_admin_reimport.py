"""Imports that can be repeated, in the admin (issue 13): every import-export resource the
admin offers, given its own export twice, updates rows by their key and never duplicates one;
the totals the admin's preview shows say new 0, every row unchanged."""

import pytest

from roadmap.resources import (
    ExpectedResultResource,
    IndicatorResource,
    IndicatorValueResource,
    PriorityActionAreaResource,
)
from tests import factories as f
from tests.workinggroups import factories as wf
from workinggroups.resources import WorkingGroupResource

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "resource_class",
    [
        PriorityActionAreaResource,
        ExpectedResultResource,
        IndicatorResource,
        IndicatorValueResource,
        WorkingGroupResource,
    ],
)
def test_the_admin_export_imported_twice_changes_and_duplicates_nothing(resource_class):
    roadmap = f.RoadmapFactory(is_current=True)
    for number in (1, 2):
        area = f.AreaFactory(roadmap=roadmap, number=number)
        f.OutputFactory(area=area, code=f"{number}.1")
        indicator = f.IndicatorFactory(area=area)
        f.IndicatorValueFactory(indicator=indicator, year=2021)
        f.IndicatorValueFactory(indicator=indicator, year=2022, source="2022 survey")
        wf.WorkingGroupFactory(roadmap=roadmap, number=number)
    model = resource_class._meta.model
    count = model.objects.count()
    dataset = resource_class().export()
    assert len(dataset) == count > 0
    for _ in range(2):
        result = resource_class().import_data(dataset)
        assert not result.has_errors() and not result.has_validation_errors()
        assert result.totals["new"] == 0
        assert result.totals["skip"] == count  # the preview's "unchanged"
        assert model.objects.count() == count
