"""Feed URLs: every export answers a token (Basic or Bearer), without a session, GET only."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from api.middleware import is_feed
from api.models import ApiRequest, ApiToken
from api.services import token_revoke
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


def test_a_large_export_feed_gets_its_file_not_the_job_offer(client, world, token_for, settings):
    settings.EXPORT_INLINE_MAX_ROWS = -1  # every export counts as large
    url = reverse("reports:export-kind", args=["meetings", "xlsx"])
    feed = client.get(url, **bearer(token_for(world["admin"])))
    assert feed.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(feed.content))
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
