"""Three journeys in a real browser, with a screenshot of each step (test-artifacts/e2e/).

1. A co-lead updates a deliverable in place (htmx), attaches evidence, sees it in the history.
2. A focal point answers in Arabic, reloads, submits with a gap, fixes it, submits.
3. An admin opens a round, watches the tracker, generates the report and downloads the PDF.
"""

import datetime

from django.utils import formats, translation
from playwright.sync_api import expect

from tests.e2e.conftest import fill_required_answers, sign_in

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_colead_updates_a_deliverable_with_evidence(demo, page, shot, live_server, tmp_path):
    from workinggroups.models import Deliverable

    deliverable = Deliverable.objects.filter(working_group__number=1).order_by("pk").first()
    evidence = tmp_path / "workshop-report.pdf"
    evidence.write_bytes(PDF)

    sign_in(page, live_server, "colead-wg1@example.org")
    shot("signed in")
    page.goto(f"{live_server.url}/working-groups/deliverables/{deliverable.pk}/")
    expect(page.locator("h1")).to_contain_text(deliverable.title)
    shot("deliverable")

    form = page.locator("form.progress-update-form")
    if not form.is_visible():
        page.locator("summary", has_text="Post a progress update").click()
    form.locator("[name=date]").fill(datetime.date.today().isoformat())
    form.locator("[name=status]").select_option("on_track")
    form.locator("[name=percent_complete]").fill("65")
    form.locator("[name=narrative]").fill("Workshop held with five National Societies.")
    if form.locator("[name=reason]").count():
        form.locator("[name=reason]").fill("Workshop done")
    form.locator("[name=evidence_file]").set_input_files(str(evidence))
    form.locator("[name=evidence_file_title]").fill("Workshop report")
    shot("update filled in")
    with page.expect_response(lambda r: "/updates/add/" in r.url) as posted:
        form.locator("button[type=submit]").click()
    assert posted.value.request.headers.get("hx-request") == "true"  # sent by htmx, in place
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Workshop held with five National Societies.").first).to_be_visible()
    expect(page.get_by_role("link", name="Workshop report").first).to_be_visible()
    shot("update and evidence shown")

    history = page.locator("section[aria-labelledby=history-heading]")
    with translation.override("en"):  # the page is in English, whatever ran before in this process
        today = formats.date_format(datetime.date.today(), "DATE_FORMAT")
    expect(history).to_contain_text(f"Progress update {today}")
    expect(history).to_contain_text("Dana Colead")
    history.scroll_into_view_if_needed()
    shot("history")
    latest = deliverable.progress_updates.first()
    assert latest.percent_complete == 65
    assert latest.evidence.get().original_filename == "workshop-report.pdf"


def test_focal_point_answers_in_arabic_and_submits_after_fixing_a_gap(
    demo, page, shot, live_server, accept_dialogs
):
    from accounts.models import Organisation, User
    from surveys.models import Question, Response, SurveyRound

    survey_round = SurveyRound.objects.get(state=SurveyRound.State.OPEN)
    lebanon = Organisation.objects.national_societies().get(country="LB")
    focal = User.objects.get(email="focal-lebanon@example.org")
    questions = list(
        Question.objects.filter(questionnaire=survey_round.questionnaire).order_by(
            "section__order", "order", "pk"
        )
    )
    first_text = next(q for q in questions if q.kind == "text" and q.required and not q.relevant)
    gap = next(
        q
        for q in questions
        if q.required
        and q.kind == "yes_no"
        and not q.relevant
        and q.section_id != questions[0].section_id
    )
    form_url = f"{live_server.url}/surveys/rounds/{survey_round.pk}/societies/{lebanon.pk}/"

    sign_in(page, live_server, "focal-lebanon@example.org")
    page.goto(form_url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    shot("survey in Arabic")

    answer = "الصليب الأحمر اللبناني — فريق الدعم النفسي"
    field = page.locator(f"#id_q_{first_text.pk}")
    with page.expect_response(lambda r: f"/questions/{first_text.pk}/" in r.url):
        field.fill(answer)
        field.blur()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#q-{first_text.name} .survey-saved")).to_be_visible()
    shot("first answer saved")

    page.reload()
    expect(page.locator(f"#id_q_{first_text.pk}")).to_have_value(answer)
    shot("answer still there after reload")

    # The rest of the questionnaire was answered earlier, except one required question.
    fill_required_answers(survey_round, lebanon, focal, leave={gap.name})
    page.reload()
    page.locator("form[action$='/submit/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    problems = page.locator("#submit-problems")
    expect(problems).to_be_visible()
    expect(problems).to_contain_text(gap.label_ar or gap.label_en)
    shot("what is missing")

    problems.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    radio = page.locator(f"input[name=q_{gap.pk}]").last  # "no": reveals no follow-up
    with page.expect_response(lambda r: f"/questions/{gap.pk}/" in r.url):
        radio.check()
    page.wait_for_load_state("networkidle")
    shot("gap fixed")

    page.locator("form[action$='/submit/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".badge.text-bg-success").first).to_be_visible()
    expect(page.locator(f"#id_q_{first_text.pk}")).to_be_disabled()
    assert page.locator("form[action$='/submit/']").count() == 0
    shot("submitted and read-only")
    assert Response.objects.get(round=survey_round, society=lebanon).is_submitted


def test_admin_opens_a_round_watches_the_tracker_and_downloads_the_report(
    demo, page, shot, live_server, accept_dialogs
):
    from accounts.models import Organisation, User
    from reports.models import ReportEdition
    from surveys import services
    from surveys.models import Question, SurveyRound

    open_round = SurveyRound.objects.get(state=SurveyRound.State.OPEN)
    services.round_close(survey_round=open_round, reason="Replaced by the pulse survey")
    new_round = SurveyRound.objects.create(
        roadmap=open_round.roadmap,
        questionnaire=open_round.questionnaire,
        name="Pulse 2026",
        year=2026,
        state=SurveyRound.State.DRAFT,
    )
    closes = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/surveys/rounds/")
    shot("rounds")
    page.locator("tr", has_text="Pulse 2026").get_by_role("link", name="Pulse 2026").click()
    page.locator("#open-closes").fill(closes)
    page.get_by_role("button", name="Open and send the invitations").click()
    page.wait_for_load_state("networkidle")
    new_round.refresh_from_db()
    assert new_round.state == SurveyRound.State.OPEN
    shot("round opened")

    page.goto(f"{live_server.url}/surveys/rounds/{new_round.pk}/tracker/")
    senegal = Organisation.objects.national_societies().get(country="SN")
    senegal_row = page.locator("tr", has_text=senegal.name)
    expect(senegal_row).to_contain_text("Not started")
    shot("tracker before")

    # Meanwhile Senegal's focal point answers a question.
    question = Question.objects.filter(questionnaire=new_round.questionnaire, kind="text").first()
    services.answer_save(
        survey_round=new_round,
        society=senegal,
        question=question,
        raw="Réponse du Sénégal",
        expected_version=0,
        user=User.objects.get(email="focal-senegal@example.org"),
    )
    page.reload()
    expect(page.locator("tr", has_text=senegal.name)).to_contain_text("In progress")
    shot("tracker after Senegal answered")

    edition = ReportEdition.objects.first()
    page.goto(f"{live_server.url}/reports/{edition.pk}/")
    shot("edition")
    page.locator("form[action$='/generate/'] select[name=language]").select_option("en")
    page.locator("form[action$='/generate/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    link = page.get_by_role("link", name="Download PDF").first
    expect(link).to_be_visible(timeout=60_000)
    shot("report generated")
    download = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert download.status == 200
    assert download.body().startswith(b"%PDF")
    assert "attachment" in download.headers["content-disposition"]
