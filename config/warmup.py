"""Work each new server process would otherwise do on its first requests, done before it takes
one.

gunicorn calls `warm_up` in each worker before its first request (``post_worker_init`` in
deploy/gunicorn.conf.py and loadtest/gunicorn.conf.py): the project's templates are compiled
(Django's cached loader keeps them per process), the URL resolver is built and the four
languages' message catalogues are loaded. Measured on a fresh worker (docs/performance.md,
"Issue 14, fourth pass"): the first sign-in page 58-79 ms without it, 14-19 ms with it. Nothing
here touches the database.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt", ".ics", ".svg", ".xml")


def _template_names(directory: Path) -> list[str]:
    return sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.is_file() and path.suffix in TEMPLATE_SUFFIXES
    )


def project_template_names() -> list[str]:
    """The templates of the project folder (TEMPLATES' DIRS), as `get_template` names them."""
    names: list[str] = []
    for config in settings.TEMPLATES:
        for directory in config.get("DIRS", []):
            names += _template_names(Path(directory))
    return names


def warm_up() -> int:
    """Compile the project's templates, build the URL resolver and load every language's
    catalogue in this process; returns how many templates were compiled."""
    get_resolver().reverse_dict  # noqa: B018 - reading it builds the resolver's lookups
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Save")
    engine = engines["django"]
    compiled = 0
    for name in project_template_names():
        try:
            engine.get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError) as error:
            # A template that does not compile fails when a page uses it, with its own error;
            # starting the server is not the place to stop for it.
            logger.warning("warm-up: template %s not compiled: %s", name, error)
            continue
        compiled += 1
    return compiled
