"""Running a round: tracker, results, indicator computation, reminders, exports.

Query counts are pinned and checked with few and with many societies.
"""

import csv
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from surveys.answers import MAX_LONG_TEXT
from surveys.models import MessageLog, Response
from tests import factories

SESSION_SAVE = 3


def _respond(survey_round, society, values, question, state="submitted"):
    response = Response.objects.create(round=survey_round, society=society, state=state)
    for name, value in values.items():
        response.answers.create(question=question(name), value=value)
    return response


def _societies(n, region="africa"):
    return [
        factories.NationalSocietyFactory(region=region, name=f"Society {region} {i}")
        for i in range(n)
    ]


def _populate(survey_round, question, n):
    for i, society in enumerate(_societies(n, region="americas" if n % 2 else "africa")):
        factories.FocalPointFactory(organisation=society)
        if i % 3 == 0:
            continue
        _respond(
            survey_round,
            society,
            {"provides": "yes", "services": "pfa rfl", "staff": str(i), "notes": "=1+1"},
            question,
            state="submitted" if i % 3 == 1 else "in_progress",
        )


@pytest.mark.parametrize("n", [3, 12])
def test_tracker_query_count_is_fixed(
    client, admin_user, survey_round, question, django_assert_num_queries, n
):
    _populate(survey_round, question, n)
    client.force_login(admin_user)
    # session + user, round, question count, responses with answer counts, the societies
    # counted (pages), the page's societies; plus the session save (savepoint, update,
    # release: SESSION_SAVE_EVERY_REQUEST).
    with django_assert_num_queries(7 + SESSION_SAVE):
        page = client.get(reverse("surveys:round-tracker", args=[survey_round.pk]))
    assert page.status_code == 200


def test_tracker_shows_states_and_rates(client, admin_user, survey_round, question, kenya, lebanon):
    _respond(survey_round, kenya, {"provides": "no"}, question)
    _respond(survey_round, lebanon, {"staff": "2"}, question, state="in_progress")
    client.force_login(admin_user)
    page = client.get(reverse("surveys:round-tracker", args=[survey_round.pk])).content.decode()
    assert "1 of 2 National Societies submitted (50%); 1 in progress; 0 not started." in page
    assert "Middle East and North Africa" in page and "1/1 submitted (100%)" in page


@pytest.mark.parametrize("n", [3, 12])
def test_results_query_count_is_fixed(
    client, reader, survey_round, question, django_assert_num_queries, n
):
    _populate(survey_round, question, n)
    client.force_login(reader)
    # session + user, round, sections, questions, choices, the round's fingerprint (before
    # and after counting: the counts are not cached yet), respondents, answers of the
    # conditional question and of what its condition reads, the other answers (no indicator
    # linked here, so no indicator-value query), the invited societies, the user's and
    # groups' permissions (ModelBackend, once, when the rules deny a permission).
    with django_assert_num_queries(14 + SESSION_SAVE):
        page = client.get(reverse("surveys:round-results", args=[survey_round.pk]))
    assert page.status_code == 200


def test_results_counts_and_earlier_values(client, reader, survey_round, question, kenya, lebanon):
    indicator = factories.IndicatorFactory(code="PFA")
    factories.IndicatorValueFactory(
        indicator=indicator, year=2019, value=74, source="Baseline 2019"
    )
    pfa = question("services").choices.get(name="pfa")
    pfa.indicator = indicator
    pfa.save()
    _respond(survey_round, kenya, {"provides": "yes", "services": "pfa"}, question)
    _respond(survey_round, lebanon, {"provides": "yes", "services": "rfl"}, question)
    client.force_login(reader)
    page = client.get(reverse("surveys:round-results", args=[survey_round.pk])).content.decode()
    assert "2019: 74%" in page
    assert "<td>1</td>\n      <td>50%</td>" in page


def test_reminders_button_and_command_log_each(
    client, admin_user, survey_round, question, focal_kenya, focal_lebanon, kenya, lebanon
):
    _respond(survey_round, kenya, {"provides": "no"}, question)
    client.force_login(admin_user)
    client.post(reverse("surveys:round-remind", args=[survey_round.pk]))
    assert [m.to for m in mail.outbox] == [["focal-lebanon@example.org"]]
    # The command keeps the same rule: no second reminder within the interval.
    call_command("send_survey_reminders", "--round", str(survey_round.pk), stdout=io.StringIO())
    assert len(mail.outbox) == 1
    reminders = MessageLog.objects.filter(kind=MessageLog.Kind.REMINDER)
    assert [(m.society, m.status) for m in reminders] == [(lebanon, "sent")]


def test_round_open_and_close(client, admin_user, survey_round):
    survey_round.state = "draft"
    survey_round.save()
    client.force_login(admin_user)
    client.post(reverse("surveys:round-open", args=[survey_round.pk]), {"closes": "2999-12-31"})
    survey_round.refresh_from_db()
    assert survey_round.state == "open" and str(survey_round.closes) == "2999-12-31"
    client.post(reverse("surveys:round-close", args=[survey_round.pk]), {"reason": "Done"})
    survey_round.refresh_from_db()
    assert survey_round.state == "closed"


def _export(client, survey_round, fmt, layout, language="en"):
    url = reverse("surveys:round-export", args=[survey_round.pk])
    result = client.get(url, {"format": fmt, "layout": layout, "language": language})
    body = b"".join(result.streaming_content)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return [list(r) for r in load_workbook(io.BytesIO(body)).active.values]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wide_export_neutralises_formulas_and_keeps_everything(
    client, reader, survey_round, question, fmt
):
    long_text = "-" + "x" * (MAX_LONG_TEXT - 1)
    _populate(survey_round, question, 5)
    lebanon = factories.NationalSocietyFactory(name="@Lebanon", region="mena")
    _respond(
        survey_round, lebanon, {"notes": long_text, "provides": "yes", "services": "pfa"}, question
    )
    client.force_login(reader)
    rows = _export(client, survey_round, fmt, "wide")
    header = rows[0]
    assert header[:5] == ["National Society", "Country", "Region", "State", "Submitted"]
    assert "notes: Notes" in header
    assert len(rows) == 1 + Response.objects.count()
    by_name = {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    row = by_name["'@Lebanon"]
    assert row["notes: Notes"] == "'" + long_text  # neutralised, not truncated
    assert row["services: Which services?"] == "PFA"
    assert all(r["notes: Notes"] in ("'=1+1", "'" + long_text) for r in by_name.values())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_long_export_in_chosen_language(client, admin_user, survey_round, question, kenya, fmt):
    _respond(survey_round, kenya, {"provides": "yes", "staff": "12"}, question)
    client.force_login(admin_user)
    rows = _export(client, survey_round, fmt, "long", language="ar")
    assert len(rows) == 3
    provides = next(r for r in rows if r[4] == "provides")
    assert provides[5] == "هل تقدمون خدمات الصحة النفسية؟" and provides[7] == "نعم"
    staff = next(r for r in rows if r[4] == "staff")
    assert staff[6] in (12, "12")


@pytest.mark.parametrize("layout", ["wide", "long"])
@pytest.mark.parametrize("n", [3, 12])
def test_export_query_count_is_fixed(
    client, reader, survey_round, question, django_assert_num_queries, layout, n
):
    _populate(survey_round, question, n)
    client.force_login(reader)
    # session + user, round, the answer count (large exports become a job), sections,
    # questions, choices, responses, answers (read by response id: one query per 200 responses).
    expected = 9 + SESSION_SAVE
    with django_assert_num_queries(expected):
        result = client.get(
            reverse("surveys:round-export", args=[survey_round.pk]),
            {"format": "csv", "layout": layout, "language": "en"},
        )
        b"".join(result.streaming_content)


def test_xlsx_export_of_a_round_whose_name_excel_forbids_in_sheet_titles(
    client, admin_user, survey_round, question, kenya
):
    survey_round.name = "Round 1/2 [pilot]: who?"
    survey_round.save()
    _respond(survey_round, kenya, {"provides": "yes"}, question)
    client.force_login(admin_user)
    rows = _export(client, survey_round, "xlsx", "long")
    assert len(rows) == 2
