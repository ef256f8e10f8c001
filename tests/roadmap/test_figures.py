"""The rules of roadmap.figures, each once: roll-ups, overdue, segments and the as-of date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from roadmap import figures

D = datetime.date


@pytest.mark.parametrize(
    "statuses, expected",
    [
        ([], None),
        ([None], "not_started"),
        ([None, None], "not_started"),
        (["completed", "completed"], "completed"),
        # One output completed and one not started: work has started, nothing is in trouble.
        (["completed", None], "on_track"),
        (["completed", "not_started"], "on_track"),
        (["on_track", None, "completed"], "on_track"),
        (["on_track", "at_risk"], "at_risk"),
        (["at_risk", "off_track", "completed"], "off_track"),
        # An overdue deliverable counts as off track in a group's roll-up.
        (["overdue", "at_risk"], "off_track"),
        (["overdue", "completed"], "off_track"),
    ],
)
def test_roll_up(statuses, expected):
    assert figures.roll_up(statuses) == expected


@pytest.mark.parametrize(
    "latest, due, as_of, expected",
    [
        (None, None, D(2024, 1, 1), "not_started"),
        ("on_track", D(2023, 6, 30), D(2023, 6, 30), "on_track"),  # due today: not yet
        ("on_track", D(2023, 6, 30), D(2023, 7, 1), "overdue"),
        (None, D(2022, 1, 1), D(2023, 1, 1), "overdue"),
        ("completed", D(2022, 1, 1), D(2026, 1, 1), "completed"),
        ("at_risk", None, D(2030, 1, 1), "at_risk"),  # no due date: never overdue
    ],
)
def test_deliverable_status(latest, due, as_of, expected):
    assert figures.deliverable_status(latest, due, as_of) == expected


def test_overdue_milestones_and_actions():
    assert figures.is_overdue(D(2023, 1, 1), done=False, as_of=D(2023, 1, 2))
    assert not figures.is_overdue(D(2023, 1, 1), done=True, as_of=D(2023, 1, 2))
    assert not figures.is_overdue(D(2023, 1, 1), done=False, as_of=D(2023, 1, 1))
    assert not figures.is_overdue(None, done=False, as_of=D(2023, 1, 2))


def test_segments_cover_every_status_in_bar_order():
    segments = figures.status_segments(["completed", None, "overdue", "completed"])
    assert [s.status for s in segments] == [s.value for s in figures.BAR_ORDER]
    counts = {s.status: s.count for s in segments}
    assert counts == {
        "completed": 2,
        "on_track": 0,
        "at_risk": 0,
        "off_track": 0,
        "overdue": 1,
        "not_started": 1,
    }
    assert sum(s.percent for s in segments) == pytest.approx(100)
    assert figures.share_completed(["completed", None, "overdue", "completed"]) == 50


def test_as_of_is_parsed_and_checked():
    assert figures.parse_as_of(None) == figures.today()
    assert figures.parse_as_of("") == figures.today()
    assert figures.parse_as_of("2023-12-31") == D(2023, 12, 31)
    for bad in ("31/12/2023", "2023-02-30", "tomorrow"):
        with pytest.raises(ValidationError, match="YYYY-MM-DD"):
            figures.parse_as_of(bad)
    with pytest.raises(ValidationError, match="future"):
        figures.parse_as_of((figures.today() + datetime.timedelta(days=1)).isoformat())


def test_overdue_label_is_translated(settings):
    from django.utils import translation

    with translation.override("fr"):
        assert figures.status_label("overdue") == "Échéance dépassée"
        assert figures.status_label("off_track") != figures.status_label("overdue")
    assert figures.status_label("nonsense") == ""


def test_rules_page_and_annex_share_one_text():
    html = figures.rules_html()
    assert "<h2>As of a date</h2>" in html
    assert "overdue deliverable counts as off track" in html


@pytest.mark.parametrize(
    "language,heading",
    [("en", "As of a date"), ("fr", "À une date donnée"), ("ar", "كيفية حساب")],
)
def test_rules_are_read_in_the_reader_language(language, heading):
    """Each language reads its own translation of docs/figures.md, with the same sections."""
    text = figures.rules_text(language)
    assert heading in text
    sections = [line for line in text.splitlines() if line.startswith("#")]
    assert len(sections) == len([x for x in figures.rules_text("en").splitlines() if x[:1] == "#"])
    assert figures.rules_language(language) == language
    assert figures.rules_language("de") == "en"  # no translation: the English reference


def test_rules_page_marks_english_only_where_untranslated(client, reader):
    client.force_login(reader)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("roadmap:figures")).content.decode()
    assert "À une date donnée" in page
    assert 'class="figures-rules" lang="en"' not in page
