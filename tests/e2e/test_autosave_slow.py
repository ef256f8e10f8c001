"""Survey autosave on a slow link (600 ms added latency, as many National Societies have):
ticking boxes quickly and typing during a save lose nothing, on screen or in the database;
offline saves say so and go through when the connection is back; leaving asks first."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

LATENCY_MS = 600


@pytest.fixture
def survey(transactional_db):
    """An open round with, in one section, a multiple choice of five services and a long text."""
    from surveys.models import Question
    from tests.factories import PASSWORD, FocalPointFactory, NationalSocietyFactory
    from tests.surveys import factories as f

    society = NationalSocietyFactory(name="Kenya Red Cross", country="KE")
    focal = FocalPointFactory(email="focal-slow@example.org", organisation=society, language="en")
    questionnaire = f.QuestionnaireFactory(name="Slow link")
    section = f.SectionFactory(questionnaire=questionnaire, name="s", title_en="Services")
    services = f.QuestionFactory(
        section=section,
        name="services",
        kind=Question.Kind.MULTIPLE,
        order=0,
        label_en="Which services?",
    )
    for i, name in enumerate(["pfa", "rfl", "counselling", "groups", "referral"]):
        f.ChoiceFactory(question=services, name=name, label_en=name.upper(), order=i)
    notes = f.QuestionFactory(
        section=section, name="notes", kind=Question.Kind.LONG_TEXT, order=1, label_en="Notes"
    )
    survey_round = f.RoundFactory(questionnaire=questionnaire)
    return {
        "round": survey_round,
        "society": society,
        "focal": focal,
        "password": PASSWORD,
        "services": services,
        "notes": notes,
        "url": f"/surveys/rounds/{survey_round.pk}/societies/{society.pk}/",
    }


def _slow(page, *, offline: bool = False):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": offline,
            "latency": LATENCY_MS,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        },
    )
    return cdp


def _wait_until_saved(page, timeout=20_000):
    page.wait_for_function(
        "() => document.querySelector('form[data-autosave]').autosaveIdle()", timeout=timeout
    )


def _stored(survey, name):
    from surveys.models import Answer

    answer = Answer.objects.filter(
        response__round=survey["round"],
        response__society=survey["society"],
        question=survey[name],
    ).first()
    return answer.value if answer else None


def _open(page, live_server, survey):
    sign_in(page, live_server, survey["focal"].email, survey["password"])
    page.goto(live_server.url + survey["url"])
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("gap_ms", [700, 150])  # as in the report; and faster than one save
def test_four_boxes_ticked_quickly_are_all_saved(survey, page, shot, live_server, gap_ms):
    _open(page, live_server, survey)
    _slow(page)
    pk = survey["services"].pk
    saves = []
    page.on("request", lambda r: saves.append(r) if "/questions/" in r.url else None)
    for n in range(1, 5):
        page.locator(f"#id_q_{pk}_{n}").check()
        page.wait_for_timeout(gap_ms)
    shot("four ticked on a slow link")
    _wait_until_saved(page)
    assert _stored(survey, "services") == "pfa rfl counselling groups"
    for n in range(1, 5):
        expect(page.locator(f"#id_q_{pk}_{n}")).to_be_checked()
    expect(page.locator(f"#id_q_{pk}_5")).not_to_be_checked()
    expect(page.locator("#q-services .survey-saved")).to_have_text("Saved")
    # Every save carried the whole set ticked at the time it left: never fewer than before.
    sent = [r.post_data_buffer.count(f"q_{pk}".encode()) for r in saves]
    assert sent == sorted(sent) and sent[-1] == 4, sent
    shot("saved")


def test_text_typed_during_a_save_is_kept_and_saved(survey, page, shot, live_server):
    _open(page, live_server, survey)
    _slow(page)
    box = page.locator(f"#id_q_{survey['notes'].pk}")
    box.fill("First thoughts.")
    box.dispatch_event("change")  # what leaving the field does: the save leaves now
    with page.expect_response(lambda r: "/questions/" in r.url):
        # The first save is on its way (600 ms): keep typing.
        box.press("End")
        page.keyboard.type(" Typed while saving.", delay=40)
    # The echo of "First thoughts." came back and did not take the typing away.
    expect(box).to_have_value("First thoughts. Typed while saving.")
    expect(page.locator("#q-notes .survey-saved")).to_have_count(0)
    shot("typed while saving")
    _wait_until_saved(page)
    expect(box).to_have_value("First thoughts. Typed while saving.")
    expect(page.locator("#q-notes .survey-saved")).to_be_visible()
    assert _stored(survey, "notes") == "First thoughts. Typed while saving."
    shot("saved")


def test_offline_answer_is_kept_said_and_sent_when_back_online(survey, page, shot, live_server):
    _open(page, live_server, survey)
    cdp = _slow(page, offline=True)
    pk = survey["services"].pk
    page.locator(f"#id_q_{pk}_2").check()
    expect(page.locator("#q-services .survey-offline")).to_be_visible()
    shot("offline")
    assert _stored(survey, "services") is None
    assert (
        page.evaluate("() => document.querySelector('form[data-autosave]').autosaveIdle()") is False
    )
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": LATENCY_MS, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    _wait_until_saved(page, timeout=40_000)  # the retry, or the browser's "online" event
    expect(page.locator("#q-services .survey-offline")).to_have_count(0)
    expect(page.locator("#q-services .survey-saved")).to_be_visible()
    assert _stored(survey, "services") == "rfl"
    shot("back online and saved")


def test_leaving_with_an_unsaved_answer_asks_first(survey, page, live_server):
    _open(page, live_server, survey)
    _slow(page, offline=True)
    page.locator(f"#id_q_{survey['notes'].pk}").fill("Not sent yet")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
