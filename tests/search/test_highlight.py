"""The segments the template marks: case and accents ignored, snippets cut on words."""

from search.highlight import START, STOP, from_headline, marked, snippet


def test_marked_ignores_case_and_accents_and_keeps_the_text_as_written():
    assert marked("Évaluation des webinaires", ["evaluation", "WEBIN"]) == [
        ("Évaluation", True),
        (" des ", False),
        ("webin", True),
        ("aires", False),
    ]
    assert marked("nothing here", ["zebra"]) == [("nothing here", False)]


def test_snippet_is_a_window_around_the_first_match():
    text = "word " * 40 + "the webinar itself " + "tail " * 40
    segments = snippet(text, ["webinar"], context=20)
    joined = "".join(t for t, _ in segments)
    assert joined.startswith("… ") and joined.endswith(" …")
    assert ("webinar", True) in segments and len(joined) < 70
    assert snippet("no match", ["webinar"]) == []


def test_headline_marks_become_segments():
    assert from_headline(f"a {START}b{STOP} c {START}d{STOP}") == [
        ("a ", False),
        ("b", True),
        (" c ", False),
        ("d", True),
    ]
    assert from_headline(None) == []
