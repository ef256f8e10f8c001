"""The next roadmap, in a real browser (issue #21), with a screenshot of each step.

An admin creates 2024–2027 from the first roadmap, carrying four areas over and retiring one
indicator; a co-lead of a carried-over group updates a deliverable in the new roadmap; a reader
switches between the two roadmaps; the 2025 report shows the successor's figures and the trend
of a carried-over indicator across both.
"""

import datetime
import importlib

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


@pytest.fixture
def first_roadmap_only(transactional_db):
    """The demo as it stood before a successor: the first roadmap with its groups and rounds."""
    from django.core.management import call_command

    from accounts import demo
    from accounts.management.commands.load_demo import APP_DEMOS

    call_command("load_roadmap", verbosity=0)
    demo.load()
    for name in APP_DEMOS:
        if name != "workinggroups.demo_successor":
            importlib.import_module(name).load()


def test_the_next_roadmap_journey(first_roadmap_only, page, shot, live_server):
    from reports.models import ReportEdition
    from roadmap.models import Indicator, Roadmap
    from workinggroups.models import Deliverable, WorkingGroup

    first = Roadmap.objects.get()
    retired = Indicator.objects.get(area__roadmap=first, code="OBSTACLE-INTERNAL")
    wg5 = WorkingGroup.objects.get(roadmap=first, number=5, parent__isnull=True)

    # 1. The admin starts 2024–2027 from the first roadmap.
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Start the next roadmap from this one").click()
    expect(page.locator("h1")).to_contain_text("Start the roadmap after")
    page.fill("[name=name]", "Roadmap 2024–2027")
    page.fill("[name=start_year]", "2024")
    page.fill("[name=end_year]", "2027")
    for area in first.areas.filter(number__in=[5, 6]):
        page.locator(f"input[name=areas][value='{area.pk}']").uncheck()
        for result in area.expected_results.all():
            page.locator(f"input[name=results][value='{result.pk}']").uncheck()
        for indicator in area.indicators.all():
            page.locator(f"input[name=indicators][value='{indicator.pk}']").uncheck()
    page.locator(f"input[name=indicators][value='{retired.pk}']").uncheck()
    page.locator(f"input[name=groups_{wg5.pk}][value=close]").check()
    shot("choices")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section[aria-labelledby=preview-title]")
    expect(preview).to_contain_text("4 areas carried over")
    expect(preview).to_contain_text("OBSTACLE-INTERNAL")
    expect(preview).to_contain_text("last value of the roadmap before")
    expect(preview).to_contain_text("closed on 31 December 2023")
    assert Roadmap.objects.count() == 1  # the preview writes nothing
    shot("preview")
    preview.get_by_role("button", name="Create the roadmap").click()
    expect(page.locator(".alert-success")).to_contain_text("it is now the current roadmap")
    shot("created")
    successor = Roadmap.objects.get(name="Roadmap 2024–2027")
    assert successor.is_current and successor.areas.count() == 4
    assert not Indicator.objects.filter(area__roadmap=successor, code="OBSTACLE-INTERNAL").exists()
    # The admin records the 2025 value of a carried-over indicator in the new roadmap.
    pfa = Indicator.objects.get(area__roadmap=successor, code="PFA")
    page.goto(f"{live_server.url}/roadmap/indicators/{pfa.pk}/")
    page.fill("[name=year]", "2025")
    page.fill("[name=value]", "83")
    page.fill("[name=source]", "2025 follow-up survey")
    page.locator("form", has=page.locator("[name=year]")).locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Recorded")
    expect(page.locator("body")).to_contain_text("From 2024: Roadmap 2024–2027")
    shot("trend across both roadmaps")
    page.context.clear_cookies()

    # 2. A co-lead of a carried-over group plans and updates a deliverable in the new roadmap.
    sign_in(page, live_server, "colead-wg1@example.org")
    page.goto(f"{live_server.url}/working-groups/mine/")
    expect(page.locator("main header")).to_contain_text("Roadmap 2024–2027")
    expect(page.locator("main header")).to_contain_text("carried over from")
    new_wg1 = WorkingGroup.objects.get(roadmap=successor, number=1, parent__isnull=True)
    page.goto(f"{live_server.url}/working-groups/1/")
    page.locator("summary", has_text="Add a workplan").click()
    page.locator("form[action$='/workplans/add/'] [name=year]").fill("2026")
    page.locator("form[action$='/workplans/add/'] [name=summary]").fill("First plan of 2024–2027")
    page.locator("form[action$='/workplans/add/'] button[type=submit]").click()
    page.get_by_role("link", name="Add a deliverable").click()
    page.fill("[name=title]", "Refresher training package")
    page.locator("[name=workplan]").select_option(index=1)  # the 2026 workplan just added
    page.fill("[name=due_date]", f"{datetime.date.today().year + 1}-06-30")
    page.locator("main form button[type=submit]").last.click()
    shot("deliverable added")
    expect(page.locator("h1")).to_contain_text("Refresher training package")
    form = page.locator("form.progress-update-form")
    if not form.is_visible():
        page.locator("summary", has_text="Post a progress update").click()
    form.locator("[name=date]").fill(datetime.date.today().isoformat())
    form.locator("[name=status]").select_option("on_track")
    form.locator("[name=percent_complete]").fill("20")
    form.locator("[name=narrative]").fill("Outline agreed with three National Societies.")
    if form.locator("[name=reason]").count():
        form.locator("[name=reason]").fill("Started")
    form.locator("button[type=submit]").click()
    expect(page.get_by_text("Outline agreed with three National Societies.").first).to_be_visible()
    shot("deliverable updated in the new roadmap")
    deliverable = Deliverable.objects.get(title="Refresher training package")
    assert deliverable.working_group == new_wg1
    assert deliverable.progress_updates.get().percent_complete == 20
    page.context.clear_cookies()

    # 3. A reader switches between the two roadmaps.
    sign_in(page, live_server, "reader@example.org")
    page.goto(f"{live_server.url}/")
    expect(page.locator("h1 + span")).to_contain_text("Roadmap 2024–2027")
    assert page.locator(".area-card").count() == 4
    page.select_option("#id_roadmap", str(first.pk))
    page.get_by_role("button", name="Switch").click()
    expect(page.locator(".roadmap-switcher")).to_contain_text("not the current roadmap")
    assert page.locator(".area-card").count() == 6
    shot("reader on the first roadmap")
    page.goto(f"{live_server.url}/working-groups/")  # the choice is remembered
    expect(page.locator("h1")).to_contain_text("2020–2023")
    expect(page.locator("main")).to_contain_text("Closed on 31 December 2023")
    page.select_option("#id_roadmap", str(successor.pk))
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("h1")).to_contain_text("Roadmap 2024–2027")
    shot("reader back on the new roadmap")
    page.context.clear_cookies()

    # 4. The 2025 report covers the successor: its figures, the comparison, the trend.
    edition = ReportEdition.objects.get(title="Progress report to the Council of Delegates 2025")
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/reports/{edition.pk}/edit/")
    page.select_option("[name=roadmap]", str(successor.pk))
    page.fill("[name=reason]", "The 2025 report covers the roadmap that followed")
    page.locator("main form button[type=submit]").last.click()
    edition.refresh_from_db()
    assert edition.roadmap == successor
    page.goto(f"{live_server.url}/reports/{edition.pk}/preview/")
    body = page.locator("body")
    expect(body).to_contain_text("The roadmap: Roadmap 2024–2027")
    expect(body).to_contain_text(
        "Indicators carried over: Roadmap for implementation 2020–2023 and Roadmap 2024–2027"
    )
    expect(body).to_contain_text("From 2024: Roadmap 2024–2027")
    shot("report on the successor")
