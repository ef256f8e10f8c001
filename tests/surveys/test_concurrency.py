"""Concurrent edits of one response on PostgreSQL (row locks; SQLite serialises anyway)."""

import threading

import pytest
from django.db import connection

from surveys import services
from surveys.models import Answer, Response

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_together(jobs):
    """Start every job at the same moment in its own thread; collect results or errors."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got.
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _save(survey_round, society, question, raw, version, user):
    return lambda: services.answer_save(
        survey_round=survey_round,
        society=society,
        question=question,
        raw=raw,
        expected_version=version,
        user=user,
    )


def test_first_answers_by_two_colleagues_at_once(survey_round, lebanon, focal_lebanon, question):
    """Both create the shared response at the same moment: one response, both answers."""
    from tests.factories import FocalPointFactory

    colleague = FocalPointFactory(organisation=lebanon)
    results = _run_together(
        [
            _save(survey_round, lebanon, question("staff"), "5", 0, focal_lebanon),
            _save(survey_round, lebanon, question("notes"), "hi", 0, colleague),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Response.objects.count() == 1
    assert dict(Answer.objects.values_list("question__name", "value")) == {
        "staff": "5",
        "notes": "hi",
    }


def test_same_question_at_once_one_wins_one_conflict(
    survey_round, lebanon, focal_lebanon, question
):
    from tests.factories import FocalPointFactory

    colleague = FocalPointFactory(organisation=lebanon)
    staff = question("staff")
    services.answer_save(
        survey_round=survey_round,
        society=lebanon,
        question=staff,
        raw="1",
        expected_version=0,
        user=focal_lebanon,
    )
    for attempt in range(3):
        version = Answer.objects.get(question=staff).version
        results = _run_together(
            [
                _save(
                    survey_round, lebanon, staff, str(101 + attempt * 10), version, focal_lebanon
                ),
                _save(survey_round, lebanon, staff, str(102 + attempt * 10), version, colleague),
            ]
        )
        conflicts = [r for r in results if isinstance(r, services.AnswerConflict)]
        saved = [r for r in results if isinstance(r, Answer)]
        assert len(conflicts) == 1 and len(saved) == 1, results
        answer = Answer.objects.get(question=staff)
        assert answer.version == version + 1
        assert answer.value == saved[0].value
        assert conflicts[0].answer.value == answer.value
