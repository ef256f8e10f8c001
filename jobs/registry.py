"""The kinds of job: each app registers what a kind runs and, if any, a template for its result."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    name: str
    # run(job, progress) does the work; progress(done, total=None) records how far it got.
    run: Callable
    # Included on the job page when it is done (e.g. the "import these rows" button).
    result_template: str = ""
    # prepare(request, data) -> (title, params, total): checks who asks and what, for
    # jobs:start; raises PermissionDenied, Http404 or ValidationError. None: not startable there.
    prepare: Callable | None = None


KINDS: dict[str, JobKind] = {}


def register(name: str, *, result_template: str = "", prepare: Callable | None = None):
    """Decorator: `@register("resources.check")` over `def run(job, progress): ...`."""

    def decorate(run: Callable) -> Callable:
        KINDS[name] = JobKind(name=name, run=run, result_template=result_template, prepare=prepare)
        return run

    return decorate


def kind_of(name: str) -> JobKind:
    return KINDS[name]
