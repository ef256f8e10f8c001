"""Nothing lost under concurrency, through the real views, on PostgreSQL.

tests/surveys/test_concurrency.py covers the answer service (two first answers at once, one
winner and one conflict on the same question). This module goes through HTTP, each thread with
its own client and database connection: two focal points of one society answering many
questions of the same response at once, a double-clicked submit, and two co-leads posting
progress updates on one deliverable at the same moment. Every acknowledged write (a redirect
after POST) must be in the database afterwards.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.e2e.conftest import fill_required_answers
from tests.helpers import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(jobs, timeout=60):
    """Start every job at the same moment in its own thread; return results or exceptions."""
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
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_two_focal_points_answer_the_same_response_at_once():
    from accounts.models import User
    from surveys.models import Answer, Question, Response

    world = build_world()
    o = world.objects
    survey_round, lebanon = o["round"], o["lebanon"]
    colleague = User.objects.create_user(
        email="focal2-lebanon@example.org",
        password="unused-pass-123",
        full_name="Second Focal",
        organisation=lebanon,
        is_focal_point=True,
    )
    texts = list(
        Question.objects.filter(
            questionnaire=survey_round.questionnaire, kind__in=["text", "long_text"]
        ).order_by("pk")
    )
    assert len(texts) >= 6
    # Each person answers their own half; both also answer the last two (the same questions).
    mine, theirs, shared = texts[0:-2:2], texts[1:-2:2], texts[-2:]
    people = [(world.users["focal_lebanon"], mine), (colleague, theirs)]

    def answer_all(user, questions, tag):
        client = signed_in(user)
        acknowledged = {}
        for question in [*questions, *shared]:
            value = f"{tag} answer to {question.name}"
            url = reverse("surveys:answer-save", args=[survey_round.pk, lebanon.pk, question.pk])
            current = Answer.objects.filter(
                response__round=survey_round, response__society=lebanon, question=question
            ).first()
            version = current.version if current else 0
            response = client.post(url, {f"q_{question.pk}": value, f"v_{question.pk}": version})
            assert response.status_code in (200, 302), response.status_code
            if response.status_code == 302:  # saved: the person was told so
                acknowledged[question.pk] = value
        return acknowledged

    results = run_together(
        [lambda u=u, q=q, t=t: answer_all(u, q, t) for t, (u, q) in zip("AB", people, strict=True)]
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    assert Response.objects.filter(round=survey_round, society=lebanon).count() == 1
    stored = dict(
        Answer.objects.filter(response__round=survey_round, response__society=lebanon).values_list(
            "question_id", "value"
        )
    )
    own = {q.pk for q in mine + theirs}
    for acknowledged in results:
        for question_pk, value in acknowledged.items():
            if question_pk in own:
                assert stored[question_pk] == value, "an acknowledged answer was lost"
    for question in shared:
        # Both may be told "saved" only if the later one replaced the earlier on purpose
        # (same version read after the first save); the stored value is one of theirs.
        told = [a[question.pk] for a in results if question.pk in a]
        assert told, "nobody's answer to a shared question was saved"
        assert stored[question.pk] in told
    assert all(q.pk in stored for q in mine + theirs)


def test_double_clicked_submit_submits_once():
    from surveys.models import Response

    world = build_world()
    o = world.objects
    survey_round, kenya = o["round"], o["kenya"]
    focal = world.users["focal_kenya"]
    fill_required_answers(survey_round, kenya, focal)
    url = reverse("surveys:response-submit", args=[survey_round.pk, kenya.pk])
    clients = [signed_in(focal), signed_in(focal)]
    results = run_together([lambda c=c: c.post(url).status_code for c in clients])
    assert results == [302, 302], results
    response = Response.objects.get(round=survey_round, society=kenya)
    assert response.is_submitted
    assert response.history.filter(history_change_reason="Submitted").count() == 1


def test_two_coleads_post_updates_on_one_deliverable_at_once():
    from accounts.models import User
    from roadmap.models import ProgressUpdate

    world = build_world()
    deliverable = world.objects["deliverable"]
    second = User.objects.get(email="colead2-wg1@example.org")
    url = reverse("workinggroups:progress-add", args=[deliverable.pk])

    def post(user, n):
        client = signed_in(user)
        told = []
        for i in range(n):
            narrative = f"{user.email} update {i}"
            response = client.post(
                url,
                {
                    "date": timezone.localdate().isoformat(),
                    "status": "on_track",
                    "percent_complete": str(10 + i),
                    "narrative": narrative,
                    "reason": "Concurrent",
                },
            )
            if response.status_code == 302:
                told.append(narrative)
        return told

    results = run_together([lambda: post(world.users["colead_wg1"], 5), lambda: post(second, 5)])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    stored = set(
        ProgressUpdate.objects.filter(object_id=deliverable.pk).values_list("narrative", flat=True)
    )
    told = [n for r in results for n in r]
    assert len(told) == 10
    assert set(told) <= stored
