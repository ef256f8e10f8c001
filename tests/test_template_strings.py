"""No template holds user-facing English outside {% translate %} or {% blocktranslate %}.

Template tags, variables and comments are removed; what is left is read as HTML, and any text or
user-facing attribute (title, placeholder, aria-label, alt) with words in it is reported.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Names and codes that read the same in every language.
ALLOWED = {
    "MHPSS",
    "IFRC",
    "ICRC",
    "PDF",
    "CSV",
    "XLSX",
    "XLSForm",
    "WG",
    "ID",
    "URL",
    "HTML",
    "English",
    "Français",
    "Español",
    "العربية",
}
# Rendered with no template engine when the server fails, so it carries all four languages itself.
EXEMPT = {"500.html"}
# Attribute fragments written inside a tag: ids and aria references, no words for people.
ATTRIBUTE_FRAGMENTS = {"includes/survey_described_by.html"}
USER_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
REMOVED = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{{.*?}}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"<(script|style)\b.*?</\1>", re.S),
]
WORD = re.compile(r"[A-Za-z]{2,}")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_data(self, data):
        self.found.append(data)

    def handle_starttag(self, tag, attrs):
        self.found.extend(value or "" for name, value in attrs if name in USER_ATTRIBUTES)


def unmarked_strings(source: str) -> list[str]:
    for pattern in REMOVED:
        source = pattern.sub(" ", source)
    parser = _Text()
    parser.feed(source)
    leftovers = []
    for text in parser.found:
        words = [w for w in WORD.findall(text) if w not in ALLOWED]
        if words:
            leftovers.append(" ".join(text.split()))
    return leftovers


def test_the_check_catches_an_unmarked_string():
    assert unmarked_strings('<p>{% translate "Saved" %}</p><p>Saved</p>') == ["Saved"]
    assert unmarked_strings('<input placeholder="Search">') == ["Search"]
    assert (
        unmarked_strings("<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>") == []
    )
    assert unmarked_strings("<p>{{ area.title }} · MHPSS</p>") == []


def test_every_template_string_is_marked_for_translation():
    problems = {}
    for template in sorted(TEMPLATES.rglob("*.html")):
        name = str(template.relative_to(TEMPLATES))
        if name in EXEMPT:
            continue
        source = template.read_text(encoding="utf-8")
        if name in ATTRIBUTE_FRAGMENTS:
            source = f"<input {source}>"  # read as the attributes they are
        found = unmarked_strings(source)
        if found:
            problems[str(template.relative_to(TEMPLATES))] = found
    assert not problems, problems
