"""The answers export reads only the exported round's answers, through the response index."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Response
from tests import factories
from tests.surveys import factories as f

pytestmark = pytest.mark.django_db


def _answers_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if 'FROM "surveys_answer"' in q["sql"]]


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_the_export_reads_answers_by_response_id_without_joining_rounds(
    client, admin_user, survey_round, question, layout
):
    other_round = f.RoundFactory(questionnaire=survey_round.questionnaire, name="Baseline 2019")
    for n, target in enumerate([survey_round, other_round, other_round]):
        society = factories.NationalSocietyFactory(name=f"Society {n}")
        response = Response.objects.create(round=target, society=society, state="submitted")
        response.answers.create(question=question("provides"), value="yes")
        response.answers.create(question=question("staff"), value=str(10 + n))
    ours = list(survey_round.responses.values_list("pk", flat=True))
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as ctx:
        result = client.get(
            reverse("surveys:round-export", args=[survey_round.pk]),
            {"format": "csv", "layout": layout, "language": "en"},
        )
        body = b"".join(result.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert "Society 0" in body and "Society 1" not in body and "Society 2" not in body
    assert len(rows) == (2 if layout == "wide" else 3)  # header + our society's rows
    reads = _answers_queries(ctx)
    listing = [sql for sql in reads if "COUNT(" not in sql]
    assert listing, reads
    for sql in listing:
        # Filtered on the response ids of this round (index one_answer_per_question): no join
        # through the responses to the round, and no ORDER BY over the whole table.
        assert '"surveys_answer"."response_id" IN' in sql, sql
        assert "JOIN" not in sql and "ORDER BY" not in sql, sql
        assert f"({ours[0]})" in sql.replace(" ", ""), sql
