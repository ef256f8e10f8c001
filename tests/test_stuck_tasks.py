"""Tasks that cannot get stuck (issue 13): a report run or a job left "running" by a worker that
died is detected (started longer ago than TASK_TIME_LIMIT_MINUTES), /health/ fails with the
reason, the page stops waiting and offers to try again, and trying again makes a new one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.registry import register
from reports.models import ReportRun
from tests import factories as f
from tests.reports.factories import EditionFactory

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(hours=2)


@register("tests.stuck")
def _quick(job, progress):
    progress(1, 1)


@pytest.fixture
def pdf(monkeypatch):
    # Laying out the real report takes seconds; what is tested here is the run's life cycle.
    monkeypatch.setattr("reports.rendering.report_pdf", lambda *a, **k: b"%PDF-1.4 test")


def _left_running(edition, *, ago=LONG_AGO) -> ReportRun:
    return ReportRun.objects.create(
        edition=edition,
        language="en",
        version=1,
        status=ReportRun.Status.RUNNING,
        started_at=timezone.now() - ago,
        created_by=edition.created_by,
    )


def test_a_run_whose_worker_died_fails_health_and_offers_a_retry(
    client, pdf, django_capture_on_commit_callbacks
):
    admin = f.AdminFactory()
    edition = EditionFactory(created_by=admin)
    run = _left_running(edition)
    client.force_login(admin)

    health = client.get(reverse("health"))
    assert health.status_code == 503
    worker = health.json()["worker"]
    assert worker["status"] == "stuck" and worker["stuck"]["report_runs"] == 1
    assert "worker died" in worker["reasons"][0] and "1 report_runs" in worker["reasons"][0]

    page = client.get(reverse("reports:edition-detail", args=[edition.pk]))
    body = page.content.decode()
    assert page.context["pending"] is False  # the page stops polling
    assert "data-hx-trigger" not in body
    assert "The worker stopped before this version was finished" in body
    assert reverse("reports:run-retry", args=[run.pk]) in body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:run-retry", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert "The worker stopped" in run.error and not run.file
    again = edition.runs.get(version=2)
    assert again.language == "en" and again.status == ReportRun.Status.DONE
    assert client.get(reverse("health")).status_code == 200


def test_a_run_still_within_the_time_limit_is_left_alone(client, settings, pdf):
    settings.TASK_TIME_LIMIT_MINUTES = 30
    admin = f.AdminFactory()
    edition = EditionFactory(created_by=admin)
    run = _left_running(edition, ago=datetime.timedelta(minutes=5))
    client.force_login(admin)
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("reports:edition-detail", args=[edition.pk])).context["pending"]
    response = client.post(reverse("reports:run-retry", args=[run.pk]), follow=True)
    assert "Only a failed version can be tried again." in response.content.decode()
    run.refresh_from_db()
    assert run.status == ReportRun.Status.RUNNING and edition.runs.count() == 1


def test_the_next_worker_marks_dead_runs_failed(pdf, django_capture_on_commit_callbacks):
    from reports import services

    admin = f.AdminFactory()
    edition = EditionFactory(created_by=admin)
    dead = _left_running(edition)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once in tests
        services.report_generate(edition=edition, language="fr", user=admin)
    dead.refresh_from_db()
    assert dead.status == ReportRun.Status.FAILED and dead.finished_at is not None


def test_someone_who_cannot_generate_cannot_retry(client, pdf):
    # Retrying follows reports.generate_edition (issue 13 item 9 decides who that is).
    edition = EditionFactory()
    run = _left_running(edition)
    client.force_login(f.FocalPointFactory())
    assert client.post(reverse("reports:run-retry", args=[run.pk])).status_code == 404
    assert edition.runs.count() == 1


def test_a_job_whose_worker_died_fails_health_and_its_owner_retries(
    client, django_capture_on_commit_callbacks
):
    owner = f.UserFactory()
    job = Job.objects.create(
        owner=owner,
        kind="tests.stuck",
        title="A job",
        params={"x": 1},
        status=Job.Status.RUNNING,
        started_at=timezone.now() - LONG_AGO,
    )
    health = client.get(reverse("health"))
    assert health.status_code == 503 and health.json()["worker"]["stuck"]["jobs"] == 1

    other = f.AdminFactory()
    client.force_login(other)  # an admin sees it but does not run it as theirs
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 403

    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "The worker stopped before this job was finished" in page
    assert "data-hx-trigger" not in page  # no more polling
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:retry", args=[job.pk]))
    again = Job.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("jobs:detail", args=[again.pk])
    assert again.params == {"x": 1} and again.status == Job.Status.DONE
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "The worker stopped" in job.message
    assert client.get(reverse("health")).status_code == 200


def test_health_fails_on_a_worker_task_left_running(client):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reports.tasks.nothing",
        backend_name="default",
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - LONG_AGO,
    )
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["worker"]["stuck"]["worker_tasks"] == 1
