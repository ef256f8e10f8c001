"""Search everything a person may see: each kind's scope (``search.kinds``) searched by the
engine of the database (``search.engine``)."""

from .engine import KindResults, search_kind
from .kinds import KINDS, KINDS_BY_KEY, readable_group_ids


def search_everything(
    user, query: str, *, language: str, only: str | None = None, page: int = 1
) -> list[KindResults]:
    """Each kind's first page (or, with ``only``, that kind's ``page``), kinds without a match
    left out. One query for the groups the person reads, then two per kind."""
    group_ids = readable_group_ids(user)
    kinds = [KINDS_BY_KEY[only]] if only else list(KINDS)
    found = []
    for kind in kinds:
        result = search_kind(
            kind,
            kind.scope(user, group_ids),
            query,
            language=language,
            page=page if only else 1,
        )
        if result.count:
            found.append(result)
    return found
