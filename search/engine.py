"""How text is searched: the one place that decides the engine.

On PostgreSQL, full-text search (``django.contrib.postgres.search``) with the text-search
configuration of the reader's language (stems: "webinars" finds "webinar"), accents ignored when
the ``unaccent`` extension is there, matches marked by ``ts_headline``. Elsewhere (SQLite), every
word must occur in one of the fields (``icontains``), and the words are marked in Python
(``search.highlight``). Either way a kind costs two queries: its count and one page of rows.
"""

import functools
import operator
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, NullIf

from core.translated import TRANSLATION_LANGUAGES, english_value, in_language

from . import highlight
from .highlight import Segments
from .kinds import Kind

PER_KIND = 20
MAX_TERMS = 8  # words of a query that count; the rest are ignored
# PostgreSQL's configurations (``SELECT cfgname FROM pg_ts_config``; 'arabic' since 12).
PG_CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic"}
SEPARATOR = " · "


def engine() -> str:
    """'postgres' (full text) on PostgreSQL, else 'simple'."""
    return "postgres" if connection.vendor == "postgresql" else "simple"


@functools.cache
def _has_unaccent(database: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        return cursor.fetchone() is not None


def has_unaccent() -> bool:
    """Whether PostgreSQL's ``unaccent`` is installed here (search/migrations/0001 tries)."""
    return engine() == "postgres" and _has_unaccent(str(connection.settings_dict["NAME"]))


def terms_of(query: str) -> list[str]:
    """The words of a query, each once, at most ``MAX_TERMS``."""
    return list(dict.fromkeys(query.split()))[:MAX_TERMS]


@dataclass
class Hit:
    url: str
    heading: str  # the title when the kind marks none
    title: Segments
    snippet: Segments
    context: str


@dataclass
class KindResults:
    kind: Kind
    count: int
    page: Page
    hits: list[Hit] = field(default_factory=list)


def search_kind(
    kind: Kind, queryset: QuerySet, query: str, *, language: str, page: int | str = 1
) -> KindResults:
    """One page of the kind's rows matching the query, with its count and the matches marked."""
    matching = _pg_matching if engine() == "postgres" else _simple_matching
    found, rows_of = matching(kind, queryset, query, language)
    paginator = Paginator(found, PER_KIND)
    result = KindResults(kind=kind, count=paginator.count, page=paginator.get_page(page))
    if result.count:
        start = result.page.start_index() - 1
        result.hits = rows_of(found, start, start + PER_KIND)
    return result


def _hit(kind: Kind, obj, title: Segments, snippet: Segments) -> Hit:
    return Hit(
        url=kind.url(obj),
        heading="" if title else kind.heading(obj),
        title=title,
        snippet=snippet if highlight.has_match(snippet) else [],
        context=kind.context(obj),
    )


def _body_fields(kind: Kind, language: str) -> list[str]:
    """Searched fields shown around the match: the body, and a translated title's other
    languages (a French title found from the English page)."""
    shown = f"{kind.title_field}_{language}" if language in TRANSLATION_LANGUAGES else None
    others = [f for f in kind.title_fields if kind.translated and f != shown]
    if shown is None and others:
        others = others[1:]  # the English title is the one shown
    return others + list(kind.body_fields)


# --- the simple engine ------------------------------------------------------------------


def _simple_matching(kind: Kind, queryset: QuerySet, query: str, language: str):
    terms = terms_of(query)
    condition = Q()
    for term in terms:
        condition &= functools.reduce(
            operator.or_, (Q(**{f"{name}__icontains": term}) for name in kind.fields)
        )
    found = queryset.filter(condition).select_related(*kind.related).order_by(*kind.order)
    body = _body_fields(kind, language)

    def rows_of(found, start, end):
        hits = []
        for obj in found[start:end]:
            title: Segments = []
            if kind.title_field:
                text = (
                    in_language(obj, kind.title_field, language)
                    if kind.translated
                    else english_value(obj, kind.title_field)
                )
                title = highlight.marked(str(text), terms)
            text = SEPARATOR.join(v for v in (getattr(obj, f) for f in body) if v)
            hits.append(_hit(kind, obj, title, highlight.snippet(text, terms)))
        return hits

    return found, rows_of


# --- PostgreSQL ---------------------------------------------------------------------------


def _unaccent(expression):
    return Func(expression, function="unaccent", output_field=TextField())


def _pg_matching(kind: Kind, queryset: QuerySet, query: str, language: str):
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    config = PG_CONFIGS.get(language, "simple")
    unaccent = has_unaccent()

    def plain(expression):
        return _unaccent(expression) if unaccent else expression

    vector = SearchVector(*(plain(F(name)) for name in kind.fields), config=config)
    wanted = SearchQuery(plain(Value(query)), config=config)
    found = (
        queryset.annotate(search_vector=vector, search_rank=SearchRank(vector, wanted))
        .filter(search_vector=wanted)
        .order_by("-search_rank", *kind.order)
    )

    # The headline marks the words as written, so its query is the words as typed.
    typed = SearchQuery(query, config=config)

    def headline(expression, **options) -> SearchHeadline:
        return SearchHeadline(
            expression,
            typed,
            config=config,
            start_sel=highlight.START,
            stop_sel=highlight.STOP,
            **options,
        )

    headlines = {}
    if kind.title_field:
        title: F | Coalesce = F(kind.title_field)
        if kind.translated and language in TRANSLATION_LANGUAGES:
            title = Coalesce(NullIf(F(f"{kind.title_field}_{language}"), Value("")), title)
        headlines["title_marked"] = headline(title, highlight_all=True)
    body = _body_fields(kind, language)
    if body:
        text = Func(
            Value(SEPARATOR),
            *(NullIf(F(name), Value("")) for name in body),
            function="CONCAT_WS",
            output_field=TextField(),
        )
        headlines["body_marked"] = headline(
            text, max_fragments=2, max_words=30, min_words=12, fragment_delimiter=" … "
        )

    def rows_of(found, start, end):
        rows = found.annotate(**headlines).select_related(*kind.related)[start:end]
        return [
            _hit(
                kind,
                obj,
                highlight.from_headline(getattr(obj, "title_marked", "")),
                highlight.from_headline(getattr(obj, "body_marked", "")),
            )
            for obj in rows
        ]

    return found, rows_of
