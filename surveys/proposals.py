"""Reads for reviewing the indicator values a survey round proposes (surveys.services.indicators_compute)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from accounts.models import Region
from roadmap.models import IndicatorValue

from .models import SurveyRound


@dataclass
class Proposal:
    """A proposed value with what the admin must see to decide on it."""

    value: IndicatorValue
    # Current typed-in values of the same indicator and year: publishing must not silently
    # replace them, so the admin chooses between them and the proposal.
    typed: list[IndicatorValue] = field(default_factory=list)
    # The published value from this same round (an earlier computation), which publishing
    # replaces.
    earlier: IndicatorValue | None = None
    regions: list[dict] = field(default_factory=list)
    form: object = None

    @property
    def share(self) -> float | None:
        v = self.value
        if v.numerator is None or not v.denominator:
            return None
        return 100 * v.numerator / v.denominator

    @property
    def coverage_percent(self) -> float | None:
        coverage = self.value.coverage
        return None if coverage is None else 100 * coverage


def _regions(value: IndicatorValue) -> list[dict]:
    labels = dict(Region.choices)
    rows = []
    for code, row in (value.coverage_by_region or {}).items():
        invited = row.get("invited") or 0
        submitted = row.get("submitted") or 0
        rows.append(
            {
                "label": labels.get(code, code),
                "submitted": submitted,
                "invited": invited,
                "percent": 100 * submitted / invited if invited else None,
            }
        )
    return rows


def proposals_for_round(survey_round: SurveyRound) -> list[Proposal]:
    """The round's open proposals, by indicator code. Two queries, whatever their number."""
    values = list(
        IndicatorValue.objects.proposed()
        .filter(year=survey_round.year, source=survey_round.name, is_computed=True)
        .select_related("indicator")
        .order_by("indicator__code")
    )
    others = IndicatorValue.objects.counted().filter(
        indicator_id__in=[v.indicator_id for v in values], year=survey_round.year
    )
    typed: dict[int, list[IndicatorValue]] = {}
    earlier: dict[int, IndicatorValue] = {}
    for other in others.order_by("id"):
        if not other.is_computed:
            typed.setdefault(other.indicator_id, []).append(other)
        elif other.source == survey_round.name:
            earlier[other.indicator_id] = other
    return [
        Proposal(
            value=v,
            typed=typed.get(v.indicator_id, []),
            earlier=earlier.get(v.indicator_id),
            regions=_regions(v),
        )
        for v in values
    ]


def coverage_threshold_percent() -> float:
    return 100 * settings.INDICATOR_COVERAGE_THRESHOLD
