"""The matching words of a result, as segments the template marks: [(text, is_match), ...].

No HTML is built here: the template escapes every segment and wraps the matches in ``<mark>``,
so a title holding ``<script>`` shows as text. PostgreSQL's ``ts_headline`` marks matches with
two control characters (``START``/``STOP``, which text hygiene never lets into the database);
the simple engine finds the words itself, ignoring case and accents.
"""

import unicodedata

START, STOP = "\x02", "\x03"
# Around the first match of a long text: this many characters either side.
SNIPPET_CONTEXT = 80

Segments = list[tuple[str, bool]]


def _fold(text: str) -> tuple[str, list[int]]:
    """The text without case or accents, and for each folded character its index in ``text``."""
    folded: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char).casefold():
            if unicodedata.combining(part):
                continue
            folded.append(part)
            where.append(index)
    return "".join(folded), where


def fold(text: str) -> str:
    return _fold(text)[0]


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` where a term occurs, case and accents ignored."""
    folded, where = _fold(text)
    spans = []
    for term in {fold(t) for t in terms if t}:
        if not term:
            continue
        start = folded.find(term)
        while start != -1:
            end = start + len(term) - 1
            spans.append((where[start], where[end] + 1))
            start = folded.find(term, start + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def marked(text: str, terms: list[str]) -> Segments:
    """The whole text, its matches marked."""
    segments: Segments = []
    position = 0
    for start, end in _spans(text, terms):
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], True))
        position = end
    if position < len(text):
        segments.append((text[position:], False))
    return segments


def snippet(text: str, terms: list[str], context: int = SNIPPET_CONTEXT) -> Segments:
    """A window of the text around its first match, marked; nothing when no term occurs."""
    spans = _spans(text, terms)
    if not spans:
        return []
    first = spans[0][0]
    start = max(0, first - context)
    end = min(len(text), spans[0][1] + context)
    if start > 0:  # begin on a word
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space != -1 else end
    segments = marked(text[start:end], terms)
    if start > 0:
        segments.insert(0, ("… ", False))
    if end < len(text):
        segments.append((" …", False))
    return segments


def from_headline(headline: str | None) -> Segments:
    """The segments of a ``ts_headline`` made with ``START``/``STOP`` as its marks."""
    segments: Segments = []
    for index, part in enumerate((headline or "").split(START)):
        text, sep, rest = part.partition(STOP) if index else ("", "", part)
        if sep:
            segments.append((text, True))
        elif text:
            rest = text + rest
        if rest:
            segments.append((rest, False))
    return segments


def has_match(segments: Segments) -> bool:
    return any(is_match for _text, is_match in segments)
