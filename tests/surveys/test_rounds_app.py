"""Running a round in the app: create, open (invitations), close, reopen and extend with a reason;
the society sees it (e-mail, banner, date in force); focal points managed from the tracker;
the tracker's filters, search in every language and export; names in the reader's language."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from openpyxl import load_workbook

from accounts.models import User
from surveys.models import MessageLog, Response, SurveyRound
from tests import factories
from tests.surveys import factories as f

TODAY = datetime.date.today()
SITE = "https://tracker.example.org"


@pytest.fixture(autouse=True)
def _site(settings, client):
    settings.SITE_URL = SITE
    client.cookies["django_language"] = "en"


@pytest.fixture
def roadmap(db):
    return factories.RoadmapFactory(is_current=True)


@pytest.fixture
def senegal(db):
    """A French-speaking society with an official French name and one focal point."""
    return factories.NationalSocietyFactory(
        name="Senegalese Red Cross Society",
        name_fr="Croix-Rouge sénégalaise",
        country="SN",
        region="africa",
        default_language="fr",
    )


@pytest.fixture
def focal_senegal(senegal):
    return factories.FocalPointFactory(email="focal-senegal@example.org", organisation=senegal)


def _date(day: datetime.date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def _in(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


def _form(questionnaire, **over):
    data = {
        "questionnaire": questionnaire.pk,
        "name": "Endline 2026",
        "name_fr": "Enquête finale 2026",
        "name_es": "Encuesta final 2026",
        "name_ar": "المسح النهائي 2026",
        "year": "2026",
        "opens": "",
        "closes": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "invitation": "region",
        "invited_region": "africa",
    }
    data.update(over)
    return data


# ---------------------------------------------------------------- create


def test_admin_creates_a_draft_round_for_one_region(client, admin_user, roadmap, questionnaire):
    client.force_login(admin_user)
    page = client.post(reverse("surveys:round-create"), _form(questionnaire))
    survey_round = SurveyRound.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:round-detail", args=[survey_round.pk])
    assert survey_round.state == "draft" and survey_round.roadmap == roadmap
    assert (survey_round.name_fr, survey_round.name_ar) == (
        "Enquête finale 2026",
        "المسح النهائي 2026",
    )
    assert (survey_round.invitation, survey_round.invited_region) == ("region", "africa")
    assert survey_round.history.first().history_change_reason == "Created"
    assert not mail.outbox  # a draft tells nobody


@pytest.mark.parametrize(
    "over, message",
    [
        ({"closes": (TODAY - datetime.timedelta(days=1)).isoformat()}, "must not be in the past"),
        (
            {"opens": (TODAY + datetime.timedelta(days=40)).isoformat()},
            "must close after it opens",
        ),
        ({"invited_region": ""}, "Choose the region invited."),
        ({"invitation": "list"}, "Choose the National Societies invited."),
    ],
)
def test_bad_round_input_is_refused_and_nothing_created(
    client, admin_user, roadmap, questionnaire, over, message
):
    client.force_login(admin_user)
    page = client.post(reverse("surveys:round-create"), _form(questionnaire, **over))
    assert page.status_code == 422
    assert message in page.content.decode()
    assert not SurveyRound.objects.exists()


def test_questionnaire_with_errors_is_refused(client, admin_user, roadmap):
    broken = f.QuestionnaireFactory(name="Broken")
    section = f.SectionFactory(questionnaire=broken)
    f.QuestionFactory(section=section, name="which", kind="single", label_en="Which?")
    f.QuestionFactory(section=section, name="why", relevant="${missing} = 'yes'")
    client.force_login(admin_user)
    page = client.post(reverse("surveys:round-create"), _form(broken))
    html = page.content.decode()
    assert page.status_code == 422
    assert "The questionnaire has errors; fix them first." in html
    assert "which: a choice question without choices." in html
    assert "why: its condition refers to unknown questions: missing." in html
    assert not SurveyRound.objects.exists()


def test_a_list_of_societies_is_invited(client, admin_user, roadmap, questionnaire, kenya, lebanon):
    client.force_login(admin_user)
    client.post(
        reverse("surveys:round-create"),
        _form(questionnaire, invitation="list", invited_region="", invited_societies=[lebanon.pk]),
    )
    survey_round = SurveyRound.objects.get()
    assert list(survey_round.invited()) == [lebanon]


# ---------------------------------------------------------------- open


@pytest.fixture
def draft(survey_round):
    survey_round.state = SurveyRound.State.DRAFT
    survey_round.invitation = SurveyRound.Invitation.REGION
    survey_round.invited_region = "africa"
    survey_round.name_fr = "Enquête finale 2023"
    survey_round.save()
    return survey_round


def test_opening_invites_each_focal_point_in_their_language_with_the_link(
    client, admin_user, draft, focal_senegal, focal_kenya, focal_lebanon, senegal, kenya
):
    factories.FocalPointFactory(
        email="colleague-senegal@example.org", organisation=senegal, language="en"
    )
    empty = factories.NationalSocietyFactory(name="No Focal Point Society", region="africa")
    client.force_login(admin_user)
    closes = TODAY + datetime.timedelta(days=20)
    page = client.post(reverse("surveys:round-open", args=[draft.pk]), {"closes": closes})
    draft.refresh_from_db()
    assert page.status_code == 302 and draft.state == "open" and draft.closes == closes
    # Africa only (Lebanon is in MENA), one message per language of the recipients.
    by_to = {tuple(m.to): m for m in mail.outbox}
    assert set(by_to) == {
        ("focal-kenya@example.org",),
        ("colleague-senegal@example.org",),
        ("focal-senegal@example.org",),
    }
    french = by_to[("focal-senegal@example.org",)]
    link = SITE + reverse("surveys:response-form", args=[draft.pk, senegal.pk])
    # The subject in French (the catalogue's words), the date as French writes it.
    assert french.subject == _in("fr", "Survey open: %(round)s") % {"round": "Enquête finale 2023"}
    assert "Croix-Rouge sénégalaise" in french.body
    assert link in french.body
    assert _date(closes, "fr") in french.body
    english = by_to[("colleague-senegal@example.org",)]
    assert english.subject == "Survey open: Endline 2023"
    assert link in english.body and _date(closes, "en") in english.body
    kenya_mail = by_to[("focal-kenya@example.org",)]
    assert SITE + reverse("surveys:response-form", args=[draft.pk, kenya.pk]) in kenya_mail.body
    logs = MessageLog.objects.filter(kind="invitation")
    assert logs.count() == 3 and {log.status for log in logs} == {"sent"}
    assert not logs.filter(society=empty).exists()
    assert logs.get(recipients="focal-senegal@example.org").language == "fr"


def test_opening_with_a_past_closing_date_is_refused(client, admin_user, draft, focal_kenya):
    client.force_login(admin_user)
    past = TODAY - datetime.timedelta(days=1)
    page = client.post(
        reverse("surveys:round-open", args=[draft.pk]), {"closes": past}, follow=True
    )
    draft.refresh_from_db()
    assert draft.state == "draft" and not mail.outbox
    assert "The closing date must not be in the past." in page.content.decode()


def test_an_undelivered_invitation_is_logged_and_the_others_still_go(
    client, admin_user, draft, focal_senegal, focal_kenya, monkeypatch
):
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send

    def send(message, fail_silently=False):
        if "focal-kenya@example.org" in message.to:
            raise OSError("mailbox unavailable")
        return real_send(message, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", send)
    client.force_login(admin_user)
    client.post(reverse("surveys:round-open", args=[draft.pk]))
    assert [m.to for m in mail.outbox] == [["focal-senegal@example.org"]]
    failed = MessageLog.objects.get(recipients="focal-kenya@example.org")
    assert failed.status == "failed" and "mailbox unavailable" in failed.error
    tracker = client.get(reverse("surveys:round-tracker", args=[draft.pk])).content.decode()
    assert "Not delivered" in tracker


# ---------------------------------------------------------------- close, reopen, extend


def test_close_needs_a_reason_kept_in_the_history(client, admin_user, survey_round):
    client.force_login(admin_user)
    client.post(reverse("surveys:round-close", args=[survey_round.pk]), {"reason": ""})
    survey_round.refresh_from_db()
    assert survey_round.state == "open"
    client.post(reverse("surveys:round-close", args=[survey_round.pk]), {"reason": "Deadline"})
    survey_round.refresh_from_db()
    assert survey_round.state == "closed"
    assert survey_round.history.first().history_change_reason == "Deadline"


def test_reopen_tells_the_societies_that_have_not_submitted_why(
    client, admin_user, survey_round, focal_senegal, focal_kenya, senegal, kenya
):
    Response.objects.create(round=survey_round, society=kenya, state="submitted")
    survey_round.state = SurveyRound.State.CLOSED
    survey_round.save()
    client.force_login(admin_user)
    closes = TODAY + datetime.timedelta(days=14)
    client.post(
        reverse("surveys:round-reopen", args=[survey_round.pk]),
        {"closes": closes, "reason": "Élections reportées"},
    )
    survey_round.refresh_from_db()
    assert survey_round.state == "open" and survey_round.closes == closes
    assert survey_round.notice == "Élections reportées"
    assert [m.to for m in mail.outbox] == [["focal-senegal@example.org"]]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == _in("fr", "Survey reopened: %(round)s") % {
        "round": "Endline 2023"
    }
    assert "Élections reportées" in body and _date(closes, "fr") in body
    assert SITE + reverse("surveys:response-form", args=[survey_round.pk, senegal.pk]) in body
    assert MessageLog.objects.get().kind == "reopened"


def test_extend_round_reaches_the_society_by_mail_banner_and_survey_list(
    client, admin_user, survey_round, focal_senegal, senegal
):
    client.force_login(admin_user)
    later = survey_round.closes + datetime.timedelta(days=10)
    client.post(
        reverse("surveys:round-extend", args=[survey_round.pk]),
        {"closes": later, "reason": "Floods in the region"},
    )
    survey_round.refresh_from_db()
    assert survey_round.closes == later
    (message,) = mail.outbox
    assert message.to == ["focal-senegal@example.org"]
    assert "Floods in the region" in message.body and _date(later, "fr") in message.body
    client.force_login(focal_senegal)
    client.cookies["django_language"] = "fr"
    form = client.get(reverse("surveys:response-form", args=[survey_round.pk, senegal.pk]))
    banner = re.search(
        r'<div class="alert alert-info" role="status" id="round-notice">(.*?)</div>',
        form.content.decode(),
        re.S,
    ).group(1)
    assert "Floods in the region" in banner and _date(later, "fr") in banner
    listing = client.get(reverse("surveys:index")).content.decode()
    assert _date(later, "fr") in listing
    assert "Croix-Rouge sénégalaise" in listing


def test_an_earlier_or_equal_extension_is_refused(client, admin_user, survey_round, focal_senegal):
    client.force_login(admin_user)
    page = client.post(
        reverse("surveys:round-extend", args=[survey_round.pk]),
        {"closes": survey_round.closes, "reason": "x"},
        follow=True,
    )
    assert "must be later than the current one" in page.content.decode()
    assert not mail.outbox


def test_one_society_extended_and_reopened_is_told_and_sees_its_own_date(
    client, admin_user, survey_round, focal_senegal, senegal, focal_kenya
):
    response = Response.objects.create(round=survey_round, society=senegal, state="submitted")
    client.force_login(admin_user)
    society_url = [survey_round.pk, senegal.pk]
    client.post(reverse("surveys:response-reopen", args=society_url), {"reason": "Une erreur"})
    own = survey_round.closes + datetime.timedelta(days=5)
    client.post(
        reverse("surveys:response-extend", args=society_url),
        {"deadline": own, "reason": "Nouvelle équipe"},
    )
    assert [m.to for m in mail.outbox] == [["focal-senegal@example.org"]] * 2
    reopened, extended = mail.outbox
    assert "Une erreur" in reopened.body and "Nouvelle équipe" in extended.body
    assert _date(own, "fr") in extended.body
    response.refresh_from_db()
    assert response.reopened_at is not None and response.notice == "Nouvelle équipe"
    # The tracker says "reopened" for this society.
    html = client.get(
        reverse("surveys:round-tracker", args=[survey_round.pk]), {"status": "reopened"}
    ).content.decode()
    assert "Senegalese Red Cross Society" in html and "Kenya" not in html
    client.force_login(focal_senegal)
    listing = client.get(reverse("surveys:index")).content.decode()
    assert _date(own, "en") in listing


# ---------------------------------------------------------------- focal points


def test_tracker_shows_focal_points_and_admin_adds_an_existing_person(
    client, admin_user, survey_round, senegal
):
    person = factories.UserFactory(email="amadou@example.org", organisation=senegal)
    client.force_login(admin_user)
    url = reverse("surveys:society-focal-points", args=[survey_round.pk, senegal.pk])
    assert "has no focal point" in client.get(url).content.decode()
    page = client.post(url, {"action": "add", "add-email": "AMADOU@example.org"})
    assert page.status_code == 302
    person.refresh_from_db()
    assert person.focal_point_society_id == senegal.pk
    page = client.get(url).content.decode()
    assert "amadou@example.org" in page


def test_a_person_of_another_organisation_is_not_taken(
    client, admin_user, survey_round, senegal, focal_kenya
):
    client.force_login(admin_user)
    url = reverse("surveys:society-focal-points", args=[survey_round.pk, senegal.pk])
    page = client.post(url, {"action": "add", "add-email": focal_kenya.email})
    assert page.status_code == 422
    assert "works for Kenya Red Cross Society" in page.content.decode()
    focal_kenya.refresh_from_db()
    assert focal_kenya.organisation.name == "Kenya Red Cross Society"


def test_invited_focal_point_sets_a_password_from_the_email_and_answers(
    client, admin_user, survey_round, senegal, focal_senegal
):
    client.force_login(admin_user)
    url = reverse("surveys:society-focal-points", args=[survey_round.pk, senegal.pk])
    page = client.post(
        url,
        {
            "action": "invite",
            "invite-email": "Fatou@example.org",
            "invite-full_name": "Fatou Diop",
            "invite-language": "fr",
        },
    )
    assert page.status_code == 302
    person = User.objects.get(email="fatou@example.org")
    assert person.focal_point_society_id == senegal.pk and not person.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["fatou@example.org"]
    assert message.subject == _in("fr", "You are a focal point of %(society)s for the survey") % {
        "society": "Croix-Rouge sénégalaise"
    }
    link = re.search(re.escape(SITE) + r"(/accounts/reset/\S+/)", message.body).group(1)
    assert (
        SITE + reverse("surveys:response-form", args=[survey_round.pk, senegal.pk]) in message.body
    )
    assert MessageLog.objects.get().kind == "focal_point"
    # Several focal points are normal: both are listed.
    listing = client.get(url).content.decode()
    assert "fatou@example.org" in listing and "focal-senegal@example.org" in listing
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "A long new pass 42!", "new_password2": "A long new pass 42!"}
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("A long new pass 42!")
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "fatou@example.org", "password": "A long new pass 42!"},
    )
    assert signed_in.status_code == 302
    survey = client.get(reverse("surveys:response-form", args=[survey_round.pk, senegal.pk]))
    assert survey.status_code == 200 and survey.context["editable"]


def test_inviting_an_existing_account_is_refused(
    client, admin_user, survey_round, senegal, focal_kenya
):
    client.force_login(admin_user)
    url = reverse("surveys:society-focal-points", args=[survey_round.pk, senegal.pk])
    page = client.post(
        url,
        {
            "action": "invite",
            "invite-email": focal_kenya.email,
            "invite-full_name": "X",
            "invite-language": "fr",
        },
    )
    assert page.status_code == 422 and not mail.outbox
    assert "already has an account" in page.content.decode()


# ---------------------------------------------------------------- tracker


@pytest.fixture
def chase(survey_round, question, senegal, focal_senegal, kenya, lebanon):
    """Senegal not started (focal point), Kenya in progress (none), Lebanon submitted."""
    progress = Response.objects.create(round=survey_round, society=kenya, state="in_progress")
    progress.answers.create(question=question("provides"), value="yes")
    progress.last_activity_at = timezone.now()
    progress.save()
    done = Response.objects.create(round=survey_round, society=lebanon, state="submitted")
    done.answers.create(question=question("provides"), value="no")
    lebanon.name_ar = "الصليب الأحمر اللبناني"
    lebanon.save()
    return survey_round


def _names(html: str) -> list[str]:
    return re.findall(r'<tr><td><a href="[^"]+"><bdi>([^<]+)</bdi></a>', html)


def test_tracker_filters_by_status_and_searches_every_language(client, reader, chase):
    client.force_login(reader)
    url = reverse("surveys:round-tracker", args=[chase.pk])
    everyone = {"region": "all"}
    assert _names(client.get(url, {**everyone, "status": "not_started"}).content.decode()) == [
        "Senegalese Red Cross Society"
    ]
    assert _names(client.get(url, {**everyone, "status": "in_progress"}).content.decode()) == [
        "Kenya Red Cross Society"
    ]
    assert _names(client.get(url, {**everyone, "status": "submitted"}).content.decode()) == [
        "Lebanese Red Cross"
    ]
    assert _names(client.get(url, {"q": "sénégalaise"}).content.decode()) == [
        "Senegalese Red Cross Society"
    ]
    assert _names(client.get(url, {"q": "اللبناني"}).content.decode()) == ["Lebanese Red Cross"]
    # Shown in the reader's language where the name is known, English otherwise.
    client.cookies["django_language"] = "fr"
    names = _names(client.get(url, everyone).content.decode())
    assert "Croix-Rouge sénégalaise" in names and "Kenya Red Cross Society" in names


def test_tracker_rows_show_completion_activity_focal_points_and_last_message(
    client, admin_user, chase, senegal, kenya
):
    client.force_login(admin_user)
    client.post(reverse("surveys:round-remind", args=[chase.pk]))
    html = client.get(reverse("surveys:round-tracker", args=[chase.pk]), {"region": "africa"})
    rows = re.findall(r"<tr><td><a .*?</tr>", html.content.decode())
    kenya_row = next(r for r in rows if "Kenya" in r)
    senegal_row = next(r for r in rows if "Senegal" in r)
    assert "25%" in kenya_row  # one of four questions
    assert "None: assign" in kenya_row and "—" != kenya_row
    assert "Reminder ·" in senegal_row and ">1</a>" in senegal_row
    focal_url = reverse("surveys:society-focal-points", args=[chase.pk, kenya.pk])
    assert f'href="{focal_url}"' in kenya_row


@pytest.mark.parametrize("n", [2, 8])
def test_tracker_and_round_pages_query_counts_are_fixed(
    client, admin_user, reader, chase, django_assert_max_num_queries, n
):
    for i in range(n):
        society = factories.NationalSocietyFactory(name=f"Extra {i}", region="africa", is_demo=True)
        factories.FocalPointFactory(organisation=society)
        MessageLog.objects.create(
            round=chase,
            society=society,
            kind="reminder",
            language="en",
            recipients="x",
            subject="s",
            status="sent",
        )
    client.force_login(admin_user)
    client.get(reverse("surveys:index"))  # the session's daily refresh happens here, not below
    # session, user, round, totals per region, question count, the rows counted (pages),
    # the page's rows (with their subqueries).
    with django_assert_max_num_queries(7):
        client.get(reverse("surveys:round-tracker", args=[chase.pk]), {"region": "all"})
    # session, user, round, invited count, message log, history records.
    with django_assert_max_num_queries(6):
        client.get(reverse("surveys:round-detail", args=[chase.pk]))
    # session, user, round, question count, rows.
    with django_assert_max_num_queries(5):
        client.get(reverse("surveys:round-tracker-export", args=[chase.pk]))
    # session, user, round, the targets, their focal points, (savepoint) and the round lock.
    with django_assert_max_num_queries(6):
        client.get(reverse("surveys:round-remind", args=[chase.pk]))
    # A reader, for whom the admin-only rule is false, costs no permission-table reads.
    client.force_login(reader)
    client.get(reverse("surveys:index"))
    with django_assert_max_num_queries(7):
        client.get(reverse("surveys:round-tracker", args=[chase.pk]), {"region": "all"})


def test_tracker_export_reads_back(client, reader, chase):
    client.force_login(reader)
    page = client.get(reverse("surveys:round-tracker-export", args=[chase.pk]))
    assert page["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(page.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("National Society", "Region", "Status", "Answered (%)")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {
        "Senegalese Red Cross Society",
        "Kenya Red Cross Society",
        "Lebanese Red Cross",
    }
    assert by_name["Kenya Red Cross Society"][1:4] == ("Africa", "In progress", 25)
    assert by_name["Kenya Red Cross Society"][4] is not None  # last activity
    assert by_name["Lebanese Red Cross"][2] == "Submitted"
    assert by_name["Senegalese Red Cross Society"][6] == 1  # focal points
    # Filters apply to the export too.
    page = client.get(
        reverse("surveys:round-tracker-export", args=[chase.pk]), {"status": "submitted"}
    )
    rows = list(load_workbook(io.BytesIO(page.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Lebanese Red Cross"]


# ---------------------------------------------------------------- names in the reader's language


def test_focal_point_reads_the_society_name_in_their_language(
    client, survey_round, senegal, focal_senegal, kenya, focal_kenya
):
    client.force_login(focal_senegal)
    client.cookies["django_language"] = "fr"
    form = client.get(reverse("surveys:response-form", args=[survey_round.pk, senegal.pk]))
    # The round has no French name: its English is marked as English.
    title = '<h1 class="h3"><span lang="en" dir="ltr">Endline 2023</span> — Croix-Rouge sénégalaise'
    assert title + "</h1>" in form.content.decode()
    # No official French name: the English stays.
    client.force_login(focal_kenya)
    listing = client.get(reverse("surveys:index")).content.decode()
    assert "Kenya Red Cross Society" in listing


# ---------------------------------------------------------------- who is invited


@pytest.mark.parametrize(
    "invitation, region, listed, sees",
    [
        ("all", "", [], {"kenya", "lebanon"}),
        ("region", "mena", [], {"lebanon"}),
        ("list", "", ["kenya"], {"kenya"}),
    ],
)
def test_a_focal_point_sees_only_the_rounds_their_society_is_invited_to(
    client,
    survey_round,
    kenya,
    lebanon,
    focal_kenya,
    focal_lebanon,
    invitation,
    region,
    listed,
    sees,
):
    societies = {"kenya": kenya, "lebanon": lebanon}
    survey_round.invitation = invitation
    survey_round.invited_region = region
    survey_round.save()
    survey_round.invited_societies.set([societies[name] for name in listed])
    for name, person in (("kenya", focal_kenya), ("lebanon", focal_lebanon)):
        client.force_login(person)
        listing = client.get(reverse("surveys:index")).content.decode()
        form = client.get(
            reverse("surveys:response-form", args=[survey_round.pk, societies[name].pk])
        )
        assert ("Endline 2023" in listing) == (name in sees), name
        assert form.status_code == (200 if name in sees else 404), name


def test_an_empty_round_form_says_what_is_required(client, admin_user, roadmap):
    client.force_login(admin_user)
    page = client.post(reverse("surveys:round-create"), {})
    assert page.status_code == 422
    assert page.content.decode().count("This field is required.") >= 3
    assert not SurveyRound.objects.exists()


def test_the_later_date_is_in_force_when_round_and_society_are_both_extended(
    client, admin_user, survey_round, focal_senegal, senegal
):
    own = survey_round.closes + datetime.timedelta(days=3)
    Response.objects.create(round=survey_round, society=senegal, deadline=own)
    later = survey_round.closes + datetime.timedelta(days=20)
    client.force_login(admin_user)
    client.post(
        reverse("surveys:round-extend", args=[survey_round.pk]),
        {"closes": later, "reason": "Everyone needs more time"},
    )
    # The round's new date beats the society's shorter extension, in the e-mail and the list.
    assert _date(later, "fr") in mail.outbox[0].body
    client.force_login(focal_senegal)
    listing = client.get(reverse("surveys:index")).content.decode()
    assert _date(later, "en") in listing and _date(own, "en") not in listing
