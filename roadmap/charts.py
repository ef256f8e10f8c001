"""Server-drawn SVG charts: the one chart code path for the HTML preview and the PDF.

Each chart carries a <title> and <desc> for screen readers and a plain table with the same
numbers (the text alternative), so nothing is conveyed by the picture alone.

Right to left (Arabic) the charts are mirrored: bars and legends start on the right, the value
axis stands on the right, and years run from right to left, like the tables beside them. Words
never go inside the SVG: WeasyPrint draws SVG text letter by letter, without the joining and
ordering Arabic needs, so legends and region names are HTML around the picture (figures, which
need neither, stay in it).

An indicator's trend marks its baseline (a grey bar), its target (a dashed line) and its
provisional values (a pale, outlined bar with its figure starred); each mark is said in the
legend, the description and the data table as well, never by colour alone.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi, gettext

from core.formatting import format_number, format_percent
from roadmap import figures

# The status colours of the web app's badges, from the one table (roadmap.figures).
STATUS_COLOURS = {str(status): colour for status, colour in figures.STATUS_COLOURS.items()}
BAR_COLOURS = ["#8c1c2c", "#c8102e", "#e5707f", "#f2b8c0", "#5a6270", "#9aa1ab"]
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
BOUNDARY = "#0a58ca"  # where a new roadmap starts in a series across roadmaps
BASELINE = "#5a6270"  # the baseline's bar, apart from the values measured since


@dataclass
class Chart:
    """A drawn chart plus its text alternative."""

    svg: SafeString
    title: str
    desc: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    # (colour, text) keys shown under the picture, in HTML (see the module's docstring).
    legend: list[tuple[str, str]] = field(default_factory=list)


def _fmt(value, unit: str) -> str:
    """A label for people in the active language ("74,5 %" in French). Only the text of the
    chart goes through here: SVG geometry is written with plain dot decimals."""
    if unit == "%":
        return format_percent(value, None)
    return format_number(value)


def _open_svg(width: int, height: int, title: str, desc: str) -> str:
    # No ids: the same chart may appear twice in a report (area chapter and survey findings);
    # <title> as first child is the accessible name anyway. It states the figures too: the
    # tagged PDF's alternative text is the <title> alone (WeasyPrint ignores <desc>).
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'direction="ltr" font-size="11">'
        f"<title>{escape(title)}: {escape(desc)}</title>"
    )


def indicator_bars(
    title: str,
    points: Sequence[tuple[str, float | Decimal | None]],
    *,
    unit: str = "%",
    target: float | Decimal | None = None,
    max_value: float | None = None,
    boundaries: Sequence[int] = (),
    notes: Sequence[str] = (),
    marks: Sequence[str] = (),
) -> Chart:
    """Vertical bars of one indicator across years or rounds, with an optional target line.

    ``boundaries``: indexes of the points where a new roadmap starts; a dashed upright line
    stands before each (its meaning is said in the legend and the description).
    ``marks``: per point, ``"baseline"`` (a grey bar), ``"provisional"`` (a pale bar with its
    outline, its figure starred) or ``""``; each is said in the description and the table too.
    """
    marks = list(marks) + [""] * (len(points) - len(marks))
    said = {"baseline": gettext("baseline"), "provisional": gettext("provisional")}

    def cell(value, mark: str) -> str:
        text = _fmt(value, unit)
        return f"{text} ({said[mark]})" if mark else text

    width, height = 360, 180
    left, right, top, bottom = 40, 10, 14, 30
    values = [float(v) for _, v in points if v is not None]
    top_value = max_value or (100.0 if unit == "%" else max([*values, float(target or 0), 1.0]))
    plot_w, plot_h = width - left - right, height - top - bottom
    desc = "; ".join(
        f"{label}: {cell(v, mark)}" for (label, v), mark in zip(points, marks, strict=True)
    )
    if target is not None:
        desc += "; " + gettext("target %(value)s") % {"value": _fmt(target, unit)}
    for note in notes:
        desc += "; " + note
    head = _open_svg(width, height, title, desc)
    parts = [head]
    rtl = get_language_bidi()
    if rtl:  # the value axis on the right, the plot on its left
        left, right = right, left
    tick_x, tick_anchor = (width - right + 4, "start") if rtl else (left - 4, "end")
    for i in range(5):
        tick = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" '
            'stroke-width="0.6"/>'
            f'<text x="{tick_x}" y="{y + 4:.1f}" text-anchor="{tick_anchor}" fill="{MUTED}" '
            f'font-size="11">{escape(_fmt(tick, unit))}</text>'
        )
    n = max(len(points), 1)
    slot = plot_w / n
    bar_w = min(56.0, slot * 0.6)
    for i, (label, value) in enumerate(points):
        cx = left + slot * (n - 1 - i if rtl else i) + slot / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
            f'fill="{TEXT}">{escape(str(label))}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h - 4}" text-anchor="middle" '
                f'fill="{MUTED}">—</text>'
            )
            continue
        h = plot_h * min(float(value), top_value) / top_value
        y = top + plot_h - h
        mark = marks[i]
        colour = BASELINE if mark == "baseline" else BAR_COLOURS[i % len(BAR_COLOURS)]
        # A provisional bar is pale inside its full-colour outline (3:1 against white kept).
        style = (
            f'fill="{colour}" fill-opacity="0.35" stroke="{colour}" stroke-width="1.5" '
            'stroke-dasharray="3 2" class="provisional"'
            if mark == "provisional"
            else f'fill="{colour}"' + (' class="baseline"' if mark == "baseline" else "")
        )
        star = "*" if mark == "provisional" else ""
        parts.append(
            f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f"{style}/>"
            f'<text x="{cx:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-weight="bold" '
            f'fill="{TEXT}">{escape(_fmt(value, unit))}{star}</text>'
        )
    for index in boundaries:
        bx = left + slot * (n - index if rtl else index)
        parts.append(
            f'<line x1="{bx:.1f}" y1="{top - 6}" x2="{bx:.1f}" y2="{top + plot_h}" '
            f'stroke="{BOUNDARY}" stroke-width="1.6" stroke-dasharray="5 3" class="boundary"/>'
        )
    if target is not None:
        ty = top + plot_h - plot_h * min(float(target), top_value) / top_value
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" '
            f'stroke="{TEXT}" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="{TEXT}" stroke-width="0.8"/></svg>'
    )
    return Chart(
        svg=mark_safe("".join(parts)),  # noqa: S308 - every label is escaped above
        title=title,
        desc=desc,
        headers=[str(label) for label, _ in points],
        rows=[[cell(v, mark) for (_, v), mark in zip(points, marks, strict=True)]],
    )


def status_bar(title: str, counts: list[tuple[str, str, int]], *, width: int = 520) -> Chart:
    """One horizontal bar split by status: counts is [(status key, label, count)]; ``width``
    in pixels (narrower in a card of a web page, so its figures keep their size)."""
    height = 30
    total = sum(n for _, _, n in counts)
    desc = "; ".join(f"{label}: {n}" for _, label, n in counts)
    head = _open_svg(width, height, title, desc)
    parts = [head]
    rtl = get_language_bidi()
    x = 0.0
    if total == 0:
        parts.append(f'<rect x="0" y="4" width="{width}" height="22" fill="{GRID}"/>')
    for key, _label, n in counts:
        if not n:
            continue
        w = width * n / total
        left = width - x - w if rtl else x
        parts.append(
            f'<rect x="{left:.1f}" y="4" width="{w:.1f}" height="22" '
            f'fill="{STATUS_COLOURS.get(key, MUTED)}"/>'
        )
        if w > 16:
            parts.append(
                f'<text x="{left + w / 2:.1f}" y="19" text-anchor="middle" fill="#fff" '
                f'font-weight="bold">{n}</text>'
            )
        x += w
    parts.append("</svg>")
    return Chart(
        svg=mark_safe("".join(parts)),  # noqa: S308 - every label is escaped above
        title=title,
        desc=desc,
        headers=[label for _, label, _ in counts],
        rows=[[str(n) for _, _, n in counts]],
        # The colours' key, so they can be read in black and white print too.
        legend=[(STATUS_COLOURS.get(key, MUTED), f"{label} ({n})") for key, label, n in counts],
    )


def region_bars(title: str, rows: list[tuple[str, int, int]], *, headers: list[str]) -> Chart:
    """Horizontal bars of a share per region: rows is [(region label, part, whole)].

    A table of one row per region: the name in HTML (see the module's docstring), then a small
    picture of the bar and its percentage. The chart-data table under it is the text alternative.
    """
    bar_h, plot_w, width = 16, 300, 350
    desc = "; ".join(
        f"{label}: {part}/{whole} ({_fmt(_pct(part, whole), '%')})" for label, part, whole in rows
    )
    rtl = get_language_bidi()
    plot_x = width - plot_w if rtl else 0  # the percentage goes after the bar
    html = ['<table class="chart-bars" aria-hidden="true">']
    for label, part, whole in rows:
        share = _pct(part, whole)
        w = plot_w * float(share or 0) / 100
        fill_x = plot_x + plot_w - w if rtl else plot_x
        text_x, anchor = (plot_x - 6, "end") if rtl else (plot_w + 6, "start")
        html.append(
            f'<tr><th scope="row">{escape(label)}</th><td>'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {bar_h}" '
            f'width="{width}" height="{bar_h}" direction="ltr" font-size="11" focusable="false">'
            f'<rect x="{plot_x}" y="0" width="{plot_w}" height="{bar_h}" fill="{GRID}"/>'
            f'<rect x="{fill_x:.1f}" y="0" width="{w:.1f}" height="{bar_h}" fill="#c8102e"/>'
            f'<text x="{text_x}" y="12" text-anchor="{anchor}" fill="{TEXT}" font-weight="bold">'
            f"{escape(_fmt(share, '%'))}</text></svg></td></tr>"
        )
    html.append("</table>")
    return Chart(
        svg=mark_safe("".join(html)),  # noqa: S308 - every label is escaped above
        title=title,
        desc=desc,
        headers=headers,
        rows=[
            [label, str(part), str(whole), _fmt(_pct(part, whole), "%")]
            for label, part, whole in rows
        ],
    )


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def indicator_trend(indicator, values, lineage=None) -> Chart | None:
    """An indicator's bars from its baseline through the values that count, with its target.

    One chart for the report and the web pages alike; `values` are the indicator's counted
    values, one per year (roadmap.figures.indicator_series). None when there is nothing to draw.
    With a `lineage` (roadmap.figures.series_across_roadmaps) the bars run from the first
    roadmap's baseline through every roadmap's values, each roadmap's start marked.
    """
    first = indicator
    boundaries: list[tuple[int, object]] = []
    if lineage is not None:
        first, values, boundaries = lineage.first, lineage.values, lineage.boundaries
    years = {v.year for v in values}
    points: list[tuple[str, float | Decimal | None]] = []
    point_years: list[int] = []
    kinds: list[str] = []
    if first.baseline_value is not None and first.baseline_year not in years:
        points.append((str(first.baseline_year or gettext("Baseline")), first.baseline_value))
        point_years.append(first.baseline_year or 0)
        kinds.append("baseline")
    points += [(str(v.year), v.value) for v in values]
    point_years += [v.year for v in values]
    # The baseline's bar: its own, or the value counted for the baseline year.
    kinds += [
        "provisional"
        if getattr(v, "is_provisional", False)
        else "baseline"
        if v.year == first.baseline_year and "baseline" not in kinds
        else ""
        for v in values
    ]
    if not points:
        return None
    unit = "%" if indicator.unit == "percent" else ""
    marks, legend = [], []
    # The keys of the picture (the baseline's colour, the target's line, the starred values),
    # in HTML under it; the boundaries' follow.
    keys: list[tuple[str, str]] = []
    if "baseline" in kinds:
        when = points[kinds.index("baseline")][0]
        keys.append((BASELINE, gettext("Grey bar: the baseline (%(year)s)") % {"year": when}))
    if indicator.target_value is not None:
        keys.append(
            (
                TEXT,
                gettext("Dashed line: the target, %(value)s")
                % {"value": _fmt(indicator.target_value, unit)},
            )
        )
    if "provisional" in kinds:
        keys.append(
            (
                BAR_COLOURS[2],
                gettext("* Pale bar: provisional (too few societies answered)"),
            )
        )
    for year, roadmap in boundaries:
        index = next((i for i, y in enumerate(point_years) if y >= year), None)
        if index:  # a roadmap whose values come after at least one earlier point
            marks.append(index)
            legend.append(
                (
                    BOUNDARY,
                    gettext("From %(year)s: %(roadmap)s") % {"year": year, "roadmap": roadmap},
                )
            )
    chart = indicator_bars(
        f"{indicator.code} {indicator.display_name}",
        points,
        unit=unit,
        target=indicator.target_value,
        boundaries=marks,
        notes=[text for _colour, text in legend],
        marks=kinds,
    )
    chart.legend = keys + legend
    return chart


def count_bars(
    title: str, rows: Sequence[tuple[str, int]], *, base: int, headers: list[str]
) -> Chart:
    """Horizontal bars of counts out of one base: rows is [(label, count)], each bar's length
    its share of `base` (the answers the figure counts), written "12 (40 %)" after the bar.

    The chart of a survey question (an option's count among the answers; a range of numbers
    for a number question), the same on the results page and wherever a report shows it. As
    `region_bars`: the labels are HTML beside each bar (see the module's docstring), mirrored
    right to left; every text at 12 px at least, dark on white (contrast above 4.5:1).
    """
    bar_h, plot_w, width = 18, 260, 360
    texts = [
        f"{_fmt(count, '')} ({_fmt(_pct(count, base), '%')})" if base else _fmt(count, "")
        for _label, count in rows
    ]
    desc = "; ".join(f"{label}: {text}" for (label, _count), text in zip(rows, texts, strict=True))
    rtl = get_language_bidi()
    plot_x = width - plot_w if rtl else 0  # the figure goes after the bar
    html = ['<table class="chart-bars" aria-hidden="true">']
    for (label, count), text in zip(rows, texts, strict=True):
        w = plot_w * float(_pct(count, base) or 0) / 100
        fill_x = plot_x + plot_w - w if rtl else plot_x
        text_x, anchor = (plot_x - 6, "end") if rtl else (plot_w + 6, "start")
        html.append(
            f'<tr><th scope="row">{escape(label)}</th><td>'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {bar_h}" '
            f'width="{width}" height="{bar_h}" direction="ltr" font-size="12" focusable="false">'
            f"<title>{escape(label)}: {escape(text)}</title>"
            f'<rect x="{plot_x}" y="0" width="{plot_w}" height="{bar_h}" fill="{GRID}"/>'
            f'<rect x="{fill_x:.1f}" y="0" width="{w:.1f}" height="{bar_h}" fill="#c8102e"/>'
            f'<text x="{text_x}" y="13" text-anchor="{anchor}" fill="{TEXT}" font-size="12" '
            f'font-weight="bold">{escape(text)}</text></svg></td></tr>'
        )
    html.append("</table>")
    return Chart(
        svg=mark_safe("".join(html)),  # noqa: S308 - every label is escaped above
        title=title,
        desc=desc,
        headers=headers,
        rows=[[label, text] for (label, _count), text in zip(rows, texts, strict=True)],
    )
