"""A dashboard's token, as a focal point makes, uses and revokes it in a real browser.

The Kenya focal point creates a token on their profile's token page, reads the secret once,
then a dashboard (urllib here, as curl or Power BI would) reads the at-a-glance figures as JSON
and the CSV feed of a page's export with it; the Lebanese response is a 404. Revoked on the
page, the token gets 401, and the admin sees it, and what it read, on the admins' pages.
"""

import base64
import datetime
import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in

pytestmark = pytest.mark.e2e


def _get(url: str, secret: str, *, basic: bool = False) -> tuple[int, bytes]:
    if basic:
        credentials = base64.b64encode(f"powerbi:{secret}".encode()).decode()
        header = f"Basic {credentials}"
    else:
        header = f"Bearer {secret}"
    request = urllib.request.Request(url, headers={"Authorization": header})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_focal_point_makes_uses_and_revokes_a_token(page, live_server, demo, shot):
    from accounts.models import User
    from roadmap import selectors
    from roadmap.models import Roadmap
    from surveys.models import Response

    sign_in(page, live_server, "focal-kenya@example.org")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_role("link", name="Your API tokens").click()
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("Kenya dashboard")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").input_value()
    assert len(secret) > 20
    shot("token created, shown once")
    assert axe_violations(page) == []
    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)  # shown once only
    expect(page.get_by_role("cell", name="Kenya dashboard", exact=True)).to_be_visible()

    # The at-a-glance figures, as JSON, are the page's.
    status, body = _get(f"{live_server.url}/api/v1/areas", secret)
    assert status == 200
    areas = json.loads(body)
    current = Roadmap.objects.current()
    expected = selectors.areas_at_a_glance(current, datetime.date.fromisoformat(areas[0]["as_of"]))
    assert [(a["number"], a["status"]) for a in areas] == [
        (s.area.number, s.status) for s in expected
    ]
    page.goto(f"{live_server.url}/")
    main = page.locator("main").inner_text()
    for area in areas:
        assert area["status_label"] in main

    # Its own society's response, never another's.
    kenya = User.objects.get(email="focal-kenya@example.org").organisation
    other = Response.objects.filter(round__name="Endline 2023").first()
    own, _new = Response.objects.get_or_create(round=other.round, society=kenya)  # started
    base = f"{live_server.url}/api/v1/survey-rounds/{own.round_id}/responses"
    own, other = f"{base}/{kenya.pk}", f"{base}/{other.society_id}"
    assert _get(own, secret)[0] == 200
    assert _get(other, secret)[0] == 404

    # Revoked on the page: 401 at once.
    page.goto(f"{live_server.url}/api/tokens/")
    page.get_by_role("button", name="Revoke Kenya dashboard").click()
    expect(page.get_by_role("cell", name="Revoked", exact=True)).to_be_visible()
    shot("token revoked")
    assert _get(f"{live_server.url}/api/v1/areas", secret)[0] == 401

    # The admin sees the token and what it read.
    page.context.clear_cookies()
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/api/admin/tokens/")
    expect(page.get_by_role("cell", name="Kenya dashboard", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/api/admin/requests/")
    expect(page.get_by_text("/api/v1/areas").first).to_be_visible()
    assert axe_violations(page) == []


def test_an_admin_feeds_a_csv_export_to_a_spreadsheet(page, live_server, demo):
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/api/tokens/")
    page.get_by_label("Name").fill("Excel")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").input_value()
    status, body = _get(f"{live_server.url}/reports/exports/areas.csv", secret, basic=True)
    assert status == 200
    assert body.decode("utf-8-sig").splitlines()[0].startswith("ID,")
    assert _get(f"{live_server.url}/reports/exports/areas.csv", "wrong", basic=True)[0] == 401
