"""The chart of each question of a round's results, drawn by the one SVG module of the pages
and the PDF (`roadmap.charts`): bars of the count per option for yes/no, single and multiple
choice, bars of the distribution for numbers. Text answers have no chart: they are read on
their own page, with their society.

Every figure states its base: the answers it counts, out of the submitted responses that were
asked the question.
"""

import math
from decimal import Decimal

from django.utils.translation import gettext as _

from core.formatting import format_number
from roadmap import charts

# Up to this many distinct values, a number question's chart has a bar per value; above, the
# values are grouped in this many ranges of equal width.
DISTINCT_VALUES_SHOWN = 8
RANGES = 6


def number_summary(values: dict[Decimal, int]) -> dict | None:
    """Answers, smallest, median, average and largest of {value: answers}; None if empty."""
    n = sum(values.values())
    if not n:
        return None
    ordered = sorted(values.items())

    def at(position: int) -> Decimal:  # the value at 0-based rank `position`
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                return value
        return ordered[-1][0]

    middle = n // 2
    median = at(middle) if n % 2 else (at(middle - 1) + at(middle)) / 2
    total = sum((value * count for value, count in ordered), Decimal(0))
    return {
        "n": n,
        "min": ordered[0][0],
        "median": median,
        "mean": total / n,
        "max": ordered[-1][0],
    }


def number_ranges(values: dict[Decimal, int], *, integer: bool) -> list[tuple[str, int]]:
    """[(label, answers)]: a bar per value when there are few, else at most RANGES ranges of
    equal width from the smallest to the largest value ("0 to 9", "10 to 19"… for whole
    numbers; decimals' ranges include their start, the last one its end too)."""
    if not values:
        return []
    ordered = sorted(values.items())
    if len(ordered) <= DISTINCT_VALUES_SHOWN:
        return [(format_number(value, -2), count) for value, count in ordered]
    low, high = ordered[0][0], ordered[-1][0]
    if integer:
        width = Decimal(math.ceil((high - low + 1) / RANGES))  # whole widths, rounded up
        ranges = math.ceil((high - low + 1) / width)
        ends = [(low + width * i, low + width * (i + 1) - 1) for i in range(ranges)]
    else:
        width = (high - low) / RANGES
        ranges = RANGES
        ends = [(low + width * i, low + width * (i + 1)) for i in range(ranges)]
    counts = [0] * ranges
    for value, count in ordered:
        counts[min(int((value - low) / width), ranges - 1)] += count
    return [
        (
            _("%(start)s to %(end)s") % {"start": format_number(a), "end": format_number(b)},
            count,
        )
        for (a, b), count in zip(ends, counts, strict=True)
    ]


def question_chart(item: dict) -> charts.Chart | None:
    """The chart of one question of `surveys.selectors.results`, or None (text, no answers)."""
    question = item["question"]
    base = item["answered"]
    if not base:
        return None
    if item["rows"]:
        rows = [(row["label"], row["count"]) for row in item["rows"]]
        return charts.count_bars(
            question.label, rows, base=base, headers=[_("Answer"), _("Count (share)")]
        )
    if item["values"]:
        integer = question.kind == question.Kind.INTEGER
        return charts.count_bars(
            question.label,
            number_ranges(item["values"], integer=integer),
            base=base,
            headers=[_("Value"), _("Count (share)")],
        )
    return None


def with_charts(data: dict) -> dict:
    """`surveys.selectors.results` with each question's chart (`chart`), a number question's
    summary (`summary`), and its base per region as text ("12 of 15"), for the results page."""
    cells: dict[tuple[int, int], str] = {}
    for item in data["questions"]:
        item["chart"] = question_chart(item)
        item["summary"] = number_summary(item["values"]) if item["values"] else None
        texts = []
        for answered, submitted in item["region_bases"]:
            if (answered, submitted) not in cells:
                cells[answered, submitted] = _("%(n)s of %(total)s") % {
                    "n": format_number(answered),
                    "total": format_number(submitted),
                }
            texts.append(cells[answered, submitted])
        item["region_base_texts"] = texts
        item["region_mean_texts"] = [format_number(mean, -2) for mean in item["region_means"]]
    return data
