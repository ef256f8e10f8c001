"""How text is searched: the one place that decides the engine.

On PostgreSQL, full-text search (``django.contrib.postgres.search``) with the text-search
configuration of the reader's language (stems: "webinars" finds "webinar"), accents ignored when
the ``unaccent`` extension is there, matches marked by ``ts_headline``. Elsewhere (SQLite), every
word must occur in one of the fields (``icontains``), and the words are marked in Python
(``search.highlight``). A kind costs one query, its page of rows with the count of all its
matches (a window), and on PostgreSQL a second one that marks that page.
"""

import functools
import operator
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Func, Q, QuerySet, TextField, Value, Window
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
    """One page of the kind's rows matching the query, with its count and the matches marked.

    The count comes with the page's rows (a window over the matches): the table is read once.
    """
    matching = _pg_matching if engine() == "postgres" else _simple_matching
    found, hits_of = matching(kind, queryset, query, language)
    counted = found.annotate(search_total=Window(Count("pk")))
    number = _page_number(page)
    rows = list(counted[(number - 1) * PER_KIND : number * PER_KIND])
    if rows:
        total = rows[0].search_total
    else:  # nothing at all, or a page past the last one: the last page, as Django's get_page
        total = found.count() if number > 1 else 0
        number = max(1, -(-total // PER_KIND))
        rows = list(counted[(number - 1) * PER_KIND : number * PER_KIND]) if total else []
    # The paginator counts a range of the total: it reads nothing more.
    result = KindResults(
        kind=kind, count=total, page=Paginator(range(total), PER_KIND).get_page(number)
    )
    result.hits = hits_of(rows) if rows else []
    return result


def _page_number(page: int | str) -> int:
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


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

    def hits_of(rows):
        hits = []
        for obj in rows:
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

    return found, hits_of


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
        queryset.alias(search_vector=vector)
        .filter(search_vector=wanted)
        .annotate(search_rank=SearchRank(vector, wanted))
        .select_related(*kind.related)
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

    def hits_of(rows):
        # The page's rows marked by a second query: ts_headline runs on those rows only.
        marked = {
            pk: (title, body)
            for pk, title, body in queryset.model._default_manager.filter(
                pk__in=[obj.pk for obj in rows]
            )
            .annotate(
                title_marked=headlines.get("title_marked", Value("")),
                body_marked=headlines.get("body_marked", Value("")),
            )
            .values_list("pk", "title_marked", "body_marked")
        }
        return [
            _hit(
                kind,
                obj,
                highlight.from_headline(marked[obj.pk][0]),
                highlight.from_headline(marked[obj.pk][1]),
            )
            for obj in rows
        ]

    return found, hits_of
