"""Feed URLs: every export answers a token (Basic or Bearer), without a session, GET only."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from api.middleware import is_feed
from api.models import ApiRequest, ApiToken
from api.services import token_revoke
from jobs.models import Job
from tests.api.conftest import basic, bearer
from tests.helpers import walk

pytestmark = pytest.mark.django_db


def test_every_export_url_is_a_feed():
    names = [name for name, _route, _kw in walk() if "export" in name.split(":")[-1]]
    assert "reports:export-kind" in names
    assert "workinggroups:resource-export" in names
    feeds = {
        "reports:export-kind": reverse("reports:export-kind", args=["areas", "csv"]),
        "reports:export-workbook": reverse("reports:export-workbook"),
        "workinggroups:resource-export": reverse("workinggroups:resource-export", args=["csv"]),
    }
    for path in feeds.values():
        assert is_feed(path)
    assert not is_feed(reverse("reports:export-index"))
    assert not is_feed(reverse("home"))


def test_csv_feed_with_basic_auth_equals_the_browser_download(client, world, token_for):
    secret = token_for(world["admin"])
    url = reverse("reports:export-kind", args=["areas", "csv"])
    feed = client.get(url, **basic(secret, user="anything"))
    assert feed.status_code == 200
    assert "sessionid" not in feed.cookies
    rows = list(csv.reader(io.StringIO(feed.content.decode("utf-8-sig"))))
    assert any("Basic psychosocial support" in cell for row in rows for cell in row)
    client.force_login(world["admin"])
    assert client.get(url).content == feed.content
    assert ApiRequest.objects.get().path == url


def test_xlsx_feed_with_a_bearer_header(client, world, token_for):
    secret = token_for(world["admin"])
    feed = client.get(reverse("reports:export-kind", args=["indicators", "xlsx"]), **bearer(secret))
    assert feed.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(feed.content))
    assert book.active.max_row >= 2


def test_a_feed_keeps_the_owners_permissions(client, world, token_for):
    # Only admins export the roadmap data: a focal point's token gets what they get (404).
    secret = token_for(world["focal_kenya"])
    answer = client.get(reverse("reports:export-kind", args=["areas", "csv"]), **bearer(secret))
    assert answer.status_code == 404


def test_revoked_token_on_a_feed_is_401_and_asks_for_basic(client, world, token_for):
    secret = token_for(world["admin"])
    token_revoke(token=ApiToken.objects.get(), by=world["admin"])
    answer = client.get(reverse("reports:export-kind", args=["areas", "csv"]), **basic(secret))
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Basic")


def test_a_token_opens_no_other_page(client, world, token_for):
    secret = token_for(world["admin"])
    answer = client.get(reverse("accounts:profile"), **bearer(secret))
    assert answer.status_code == 302  # to the sign-in page: tokens are for feeds and the API


def test_feed_etag_gives_304(client, world, token_for):
    secret = token_for(world["admin"])
    url = reverse("reports:export-kind", args=["areas", "csv"])
    first = client.get(url, **bearer(secret))
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **bearer(secret))
    assert again.status_code == 304


# ---------------------------------------------------------------- a large export, as a feed


@pytest.fixture
def large(settings, transactional_db):
    """Every round export is 'large': a browser gets the button, a feed the worker's file.

    Transactional, as in production: the job is queued when its transaction commits, and the
    immediate backend of the tests then runs it before the feed waits for it."""
    settings.EXPORT_INLINE_MAX_ROWS = -1
    settings.FEED_WAIT_SECONDS = 0
    return settings


def _round_feed(world):
    url = reverse("surveys:round-export", args=[world["round"].pk])
    return f"{url}?format=xlsx&layout=wide&language=en"


def test_a_large_export_gives_a_browser_the_button(client, world, large):
    client.force_login(world["admin"])
    page = client.get(_round_feed(world))
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert Job.objects.count() == 0  # nothing starts on GET


def test_a_large_export_gives_a_feed_the_file_from_the_worker(client, world, token_for, large):
    secret = token_for(world["admin"])
    feed = client.get(_round_feed(world), **bearer(secret))
    assert feed.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(feed.streaming_content)))
    cells = {str(cell) for row in book.active.iter_rows(values_only=True) for cell in row}
    assert {"Kenya Red Cross", "Lebanese Red Cross"} <= cells
    job = Job.objects.get()
    assert (job.owner, job.kind, job.status) == (world["admin"], "surveys.round_export", "done")
    assert feed["Last-Modified"]


def test_a_fresh_result_is_served_again_and_a_stale_one_is_remade(client, world, token_for, large):
    secret = token_for(world["admin"])
    client.get(_round_feed(world), **bearer(secret))
    again = client.get(_round_feed(world), **bearer(secret))
    assert again.status_code == 200
    assert Job.objects.count() == 1  # the dashboard's refresh reused the file
    unchanged = client.get(
        _round_feed(world), HTTP_IF_MODIFIED_SINCE=again["Last-Modified"], **bearer(secret)
    )
    assert unchanged.status_code == 304
    Job.objects.update(finished_at=timezone.now() - timedelta(seconds=large.FEED_FRESH_SECONDS + 1))
    later = client.get(_round_feed(world), **bearer(secret))
    assert later.status_code == 200
    assert Job.objects.count() == 2
    # Another export (other parameters) is its own job.
    client.get(_round_feed(world).replace("wide", "long"), **bearer(secret))
    assert Job.objects.count() == 3


def test_a_feed_the_worker_has_not_finished_answers_503_then_the_file(
    client, world, token_for, large, monkeypatch
):
    from jobs import services as job_services
    from jobs.services import job_execute

    monkeypatch.setattr(job_services, "_enqueue", lambda job_id: None)  # a busy worker
    secret = token_for(world["admin"])
    waiting = client.get(_round_feed(world), **bearer(secret))
    assert waiting.status_code == 503
    assert waiting["Retry-After"] == str(large.FEED_RETRY_AFTER_SECONDS)
    assert "background" in waiting.content.decode()
    # The next refresh joins the job already waiting rather than queueing another.
    assert client.get(_round_feed(world), **bearer(secret)).status_code == 503
    job = Job.objects.get()
    job_execute(job_id=job.pk)
    ready = client.get(_round_feed(world), **bearer(secret))
    assert ready.status_code == 200
    assert Job.objects.count() == 1


def test_a_large_export_feed_keeps_the_owners_permissions(client, world, token_for, large):
    secret = token_for(world["focal_kenya"])
    assert client.get(_round_feed(world), **bearer(secret)).status_code == 404
    assert Job.objects.count() == 0


def test_a_large_export_feed_gets_its_file_not_the_job_offer(client, world, token_for, large):
    url = reverse("reports:export-kind", args=["meetings", "xlsx"])
    feed = client.get(url, **bearer(token_for(world["admin"])))
    assert feed.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(feed.streaming_content)))
    assert book.sheetnames == ["Meetings", "Action items"]
    client.force_login(world["admin"])
    assert client.get(url)["Content-Type"].startswith("text/html")  # the browser: a job


def test_a_group_spreadsheet_is_a_feed_for_whoever_reads_the_group(client, world, token_for):
    from tests.workinggroups import factories as wg

    group = wg.WorkingGroupFactory(roadmap=world["roadmap"], number=1)
    wg.ActionItemFactory(meeting=wg.MeetingFactory(working_group=group))
    url = reverse("workinggroups:group-export", args=[group.pk, "action-items", "csv"])
    feed = client.get(url, **bearer(token_for(world["focal_kenya"])))
    assert feed.status_code == 200
    header, row = feed.content.decode("utf-8-sig").splitlines()
    assert header.startswith("ID,working group,meeting,date of the meeting,action")
