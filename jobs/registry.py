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


KINDS: dict[str, JobKind] = {}


def register(name: str, *, result_template: str = ""):
    """Decorator: `@register("resources.check")` over `def run(job, progress): ...`."""

    def decorate(run: Callable) -> Callable:
        KINDS[name] = JobKind(name=name, run=run, result_template=result_template)
        return run

    return decorate


def kind_of(name: str) -> JobKind:
    return KINDS[name]
