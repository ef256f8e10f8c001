"""Work each new server process would otherwise do on its first requests, done once before the
workers start.

gunicorn imports the application in its master process (``preload_app``) and forks the workers
from it, so whatever is loaded here is shared by every worker from its first request: the
compiled templates (Django's cached loader keeps them per process), the URL resolver and the
four languages' message catalogues. Without it, the first requests after a start or a restart
each compiled the templates they use: at a deadline, with 50 focal points signing in at once,
the first ten seconds' autosaves took up to 0.8 s at the 95th percentile against 30-70 ms after
(loadtest, docs/performance.md). Nothing here touches the database: a connection opened before
the fork would be shared by every worker.
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
    get_resolver().url_patterns  # noqa: B018 - builds the resolver's patterns
    get_resolver()._populate()
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
