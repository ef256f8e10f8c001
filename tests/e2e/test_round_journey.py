"""A survey round end to end in a real browser, with a screenshot of each step.

The admin creates a round for one region and opens it (invitations go out), invites a new
French-speaking focal point for Senegal from the tracker, reminds the societies that have not
started, extends Senegal's deadline with a reason; the focal point follows the e-mailed link,
chooses a password, sees the date in force and the reason, answers and submits. Every e-mail
is read: recipients, language, link and date.
"""

import datetime
import re

from django.core import mail
from django.utils import formats, translation
from playwright.sync_api import expect

from tests.e2e.conftest import fill_required_answers, sign_in

PASSWORD = "Une phrase de passe 2026!"


def _date(day, language):
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def _mails_to(email):
    return [m for m in mail.outbox if email in m.to]


def test_round_end_to_end(demo, browser, page, shot, live_server, settings, accept_dialogs):
    from accounts.models import Organisation, User
    from surveys.models import MessageLog, Question, Questionnaire, Response, SurveyRound

    settings.SITE_URL = live_server.url
    for survey_round in SurveyRound.objects.filter(state=SurveyRound.State.OPEN):
        survey_round.state = SurveyRound.State.CLOSED  # one open round at a time in this story
        survey_round.save()
    questionnaire = Questionnaire.objects.filter(rounds__isnull=False).first()
    senegal = Organisation.objects.national_societies().get(country="SN")
    senegal.name_fr = "Croix-Rouge sénégalaise"
    senegal.default_language = "fr"
    senegal.save()
    closes = datetime.date.today() + datetime.timedelta(days=21)

    # ---- the admin creates the round for Africa and opens it
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/surveys/rounds/")
    page.get_by_role("link", name="New round").click()
    page.locator("#id_questionnaire").select_option(str(questionnaire.pk))
    page.locator("#id_name").fill("Endline Africa 2026")
    page.locator("#id_name_fr").fill("Enquête finale Afrique 2026")
    page.locator("#id_name_es").fill("Encuesta final África 2026")
    page.locator("#id_name_ar").fill("المسح النهائي أفريقيا 2026")
    page.locator("#id_year").fill("2026")
    page.locator("#id_closes").fill(closes.isoformat())
    page.get_by_label("The National Societies of one region").check()
    page.locator("#id_invited_region").select_option("africa")
    shot("new round")
    page.get_by_role("button", name="Create the round").click()
    expect(page.locator("h1")).to_contain_text("Endline Africa 2026")
    survey_round = SurveyRound.objects.get(name="Endline Africa 2026")
    assert survey_round.state == "draft" and survey_round.invited_region == "africa"
    page.get_by_role("button", name="Open and send the invitations").click()
    expect(page.locator(".alert-success").first).to_contain_text("The round is open")
    shot("round opened")
    invited = {m.to[0] for m in mail.outbox}
    assert "focal-senegal@example.org" in invited
    assert "focal-kenya@example.org" in invited
    assert "focal-lebanon@example.org" not in invited  # MENA is not invited
    (invitation,) = _mails_to("focal-senegal@example.org")
    form_link = f"{live_server.url}/surveys/rounds/{survey_round.pk}/societies/{senegal.pk}/"
    assert form_link in invitation.body and _date(closes, "fr") in invitation.body
    assert "Enquête finale Afrique 2026" in invitation.subject  # the round's French title

    # ---- from the tracker, the admin invites a new French-speaking focal point
    page.goto(f"{live_server.url}/surveys/rounds/{survey_round.pk}/tracker/?region=africa")
    row = page.locator("tr", has_text=senegal.name)
    expect(row).to_contain_text("Not started")
    row.locator("a[href$='/focal-points/']").click()
    expect(page.locator("#focal-points")).to_contain_text("focal-senegal@example.org")
    page.locator("#id_invite-email").fill("aminata@example.org")
    page.locator("#id_invite-full_name").fill("Aminata Ndiaye")
    page.locator("#id_invite-language").select_option("fr")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("#focal-points")).to_contain_text("aminata@example.org")
    shot("focal points of Senegal")
    (welcome,) = _mails_to("aminata@example.org")
    password_link = re.search(r"(http\S+/accounts/reset/\S+/)", welcome.body).group(1)
    assert form_link in welcome.body

    # ---- reminders: preview of the not started, then send
    page.goto(f"{live_server.url}/surveys/rounds/{survey_round.pk}/tracker/?region=africa")
    page.get_by_role("link", name="Send reminders").click()
    page.get_by_label("Not started").check()
    page.get_by_role("button", name="Update the preview").click()
    receive = page.locator("h2#will-receive + table")
    expect(receive).to_contain_text(senegal.name)
    expect(receive).to_contain_text("aminata@example.org")
    shot("reminder preview")
    before = len(mail.outbox)
    page.locator("#send-reminders").click()
    expect(page.locator(".alert-success").first).to_contain_text("Reminders sent to")
    reminder = next(m for m in mail.outbox[before:] if "aminata@example.org" in m.to)
    assert form_link in reminder.body and _date(closes, "fr") in reminder.body
    # A second click sends nothing twice.
    page.goto(f"{live_server.url}/surveys/rounds/{survey_round.pk}/remind/?region=africa")
    expect(page.locator("h2#will-not-receive + table")).to_contain_text("hours ago")
    shot("second reminder held back")

    # ---- the admin extends Senegal's deadline with a reason
    extended = closes + datetime.timedelta(days=10)
    page.goto(form_link)
    page.locator("#extend-date").fill(extended.isoformat())
    page.locator("#extend-reason").fill("Inondations à Saint-Louis")
    page.get_by_role("button", name="Extend deadline").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    notice = _mails_to("aminata@example.org")[-1]
    assert "Inondations à Saint-Louis" in notice.body
    assert _date(extended, "fr") in notice.body and form_link in notice.body
    assert MessageLog.objects.filter(society=senegal, kind="extended").exists()

    # ---- the French-speaking focal point chooses a password from the e-mail and answers
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    focal = context.new_page()
    focal.set_default_timeout(15_000)
    focal.on("dialog", lambda dialog: dialog.accept())
    focal.goto(password_link)
    focal.locator("input[name=new_password1]").fill(PASSWORD)
    focal.locator("input[name=new_password2]").fill(PASSWORD)
    with focal.expect_navigation():
        focal.locator("input[name=new_password2]").press("Enter")
    focal.wait_for_load_state("networkidle")
    assert "/accounts/reset/done/" in focal.url
    sign_in(focal, live_server, "aminata@example.org", PASSWORD)
    focal.goto(f"{live_server.url}/surveys/")
    expect(focal.locator("html")).to_have_attribute("lang", "fr")
    expect(focal.locator("main")).to_contain_text("Croix-Rouge sénégalaise")
    listing = focal.locator("tr", has_text="Enquête finale Afrique 2026")
    expect(listing).to_contain_text(_date(extended, "fr"))  # the date in force
    Shots = type(shot)
    focal_shot = Shots(focal, "test_round_end_to_end-focal")
    focal_shot("survey list in French")
    listing.get_by_role("link").click()
    banner = focal.locator("#round-notice")
    expect(banner).to_contain_text("Inondations à Saint-Louis")
    expect(banner).to_contain_text(_date(extended, "fr"))
    focal_shot("banner with the reason and the new date")

    # A text answer typed in the form (saved as it is left), the rest answered earlier.
    first_text = next(
        q
        for q in Question.objects.filter(questionnaire=survey_round.questionnaire).order_by(
            "section__order", "order", "pk"
        )
        if q.kind == "text" and q.required and not q.relevant
    )
    written = "Équipes de soutien psychosocial à Saint-Louis"
    field = focal.locator(f"#id_q_{first_text.pk}")
    with focal.expect_response(lambda r: f"/questions/{first_text.pk}/" in r.url):
        field.fill(written)
        field.blur()
    focal.wait_for_load_state("networkidle")
    person = User.objects.get(email="aminata@example.org")
    survey_round.refresh_from_db()  # open now
    fill_required_answers(survey_round, senegal, person)
    focal.reload()
    focal.locator("form[action$='/submit/'] button[type=submit]").click()
    focal.wait_for_load_state("networkidle")
    expect(focal.locator(".badge.text-bg-success").first).to_be_visible()
    focal_shot("submitted")
    assert Response.objects.get(round=survey_round, society=senegal).is_submitted
    context.close()

    # ---- the tracker shows it, and the export agrees
    page.goto(
        f"{live_server.url}/surveys/rounds/{survey_round.pk}/tracker/?region=africa&status=submitted"
    )
    expect(page.locator("tr", has_text=senegal.name)).to_contain_text("Submitted")
    shot("tracker: submitted")

    # ---- the admin reads the charts, then the text answers of the region
    page.goto(f"{live_server.url}/surveys/rounds/{survey_round.pk}/results/")
    expect(page.locator("#results-base")).to_contain_text("1 submitted response of")
    charted = page.locator("section.result-question", has=page.locator("figure.chart-figure"))
    expect(charted.first).to_be_visible()
    assert charted.count() > 5
    first_chart = charted.first
    expect(first_chart.locator(".result-base")).to_contain_text("answered by 1 of 1")
    expect(first_chart.locator("table.chart-bars svg title").first).to_contain_text("(100%)")
    expect(first_chart.locator("tr.result-region-base")).to_contain_text("1 of 1")
    assert not _axe(page), _axe(page)
    shot("results with charts")
    texts = page.locator(f"#result-{first_text.name}")
    texts.get_by_role("link", name=re.compile("Read the 1 answer")).click()
    page.locator("#id_region").select_option("africa")
    page.get_by_role("button", name="Show").click()
    row = page.locator("#text-answers tr", has_text=senegal.name)
    expect(row).to_contain_text(written)
    expect(page.locator("#text-answers-count")).to_contain_text("1 answer")
    assert not _axe(page), _axe(page)
    shot("text answers of Africa")
    page.locator("#id_region").select_option("mena")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_contain_text("No answer to this question in this region yet.")

    # ---- the same charts right to left, in Arabic
    arabic = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    reader_page = arabic.new_page()
    reader_page.set_default_timeout(15_000)
    sign_in(reader_page, live_server, "reader@example.org")
    arabic.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    reader_page.goto(f"{live_server.url}/surveys/rounds/{survey_round.pk}/results/")
    expect(reader_page.locator("html")).to_have_attribute("dir", "rtl")
    bar = reader_page.locator("table.chart-bars").first
    label_box = bar.locator("th").first.bounding_box()
    svg_box = bar.locator("svg").first.bounding_box()
    assert label_box["x"] > svg_box["x"]  # the option's name on the right, its bar on its left
    assert not _axe(reader_page), _axe(reader_page)
    Shots(reader_page, "test_round_end_to_end-arabic")("results in Arabic")
    arabic.close()


def _axe(page) -> list[str]:
    """axe-core's violations on the page (WCAG 2.2 A and AA, and best practices)."""
    from axe_playwright_python.sync_playwright import Axe

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    return [
        f"{v['id']} at {[', '.join(n['target']) for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]
