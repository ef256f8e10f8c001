"""Every page a person reaches by following links from the home page (the HTML checker and the
accessibility sweep both walk it).

The walk follows `<a href>` links inside the site, breadth first, and keeps at most a few pages of
each view (an area page stands for all areas), so the page count does not grow with the data.
"""

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# People of the demo data (accounts/demo.py), one per role.
DEMO_PEOPLE = [
    "admin@example.org",
    "reader@example.org",
    "colead-wg1@example.org",
    "member-wg1@example.org",
    "colead-wg4@example.org",
    "focal-lebanon@example.org",
]
# Signed in: the home page, and a search (a form, not a link) whose results link on.
SIGNED_IN_START = ["/", "/search/?q=webinar"]
# Anonymous pages the walk cannot reach from a link of a signed-in page.
ANONYMOUS_START = ["/accounts/login/", "/accounts/password-reset/", "/public/"]
# Not ours (Django's admin and django-ninja's Swagger UI have their own markup) or not pages.
THIRD_PARTY_PAGES = ("/admin/", "/api/v1/docs")
SKIP_PREFIXES = (*THIRD_PARTY_PAGES, "/static/", "/media/", "/__debug__/")
# Downloads (spreadsheets, PDFs): not pages, slow to make, and rate-limited.
DOWNLOAD = re.compile(r"(\.(xlsx|xls|csv|pdf|zip|json|ics)|/(xlsx|xls|csv|pdf)/?|/download/.*)$")
PER_VIEW = 2


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str, here: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")) or not href:
            continue
        if href.startswith("?"):
            href = urlsplit(here).path + href
        elif not href.startswith("/"):
            continue
        if not href.startswith(SKIP_PREFIXES) and not DOWNLOAD.search(urlsplit(href).path):
            found.append(href)
    return found


def _view_key(url: str) -> str | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    # Query strings that only filter or page a list are the same page; keep their names apart
    # from the bare page so a filtered list is seen once.
    names = ",".join(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return f"{match.view_name}?{names}"


def crawl(
    client: Client, start: list[str] | None = None, max_pages: int = 300, per_view: int = PER_VIEW
) -> dict[str, str]:
    """{url: html} of the HTML pages `client` reaches from `start` (the home page by default)."""
    queue = list(start or ["/"])
    seen_urls: set[str] = set(queue)
    counts: Counter = Counter()
    pages: dict[str, str] = {}
    while queue and len(pages) < max_pages:
        url = queue.pop(0)
        key = _view_key(url)
        if key is None or counts[key] >= per_view:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        counts[key] += 1
        html = response.content.decode()
        pages[url] = html
        for link in _links(html, url):
            if link not in seen_urls:
                seen_urls.add(link)
                queue.append(link)
    return pages


def crawl_as(email: str | None, language: str = "en", per_view: int = PER_VIEW) -> dict[str, str]:
    """The pages one demo person (None: somebody not signed in) reaches, in `language`."""
    from accounts.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if email is None:
        client.cookies.load({"django_language": language})
        return crawl(client, ANONYMOUS_START, per_view=per_view)
    user = User.objects.get(email=email)
    User.objects.filter(pk=user.pk).update(language=language)
    client.force_login(user)
    return crawl(client, SIGNED_IN_START, per_view=per_view)
