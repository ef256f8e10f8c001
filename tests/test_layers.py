"""The apps form layers: an app imports only from the apps below it, never from one above.

    core  <  accounts  <  jobs  <  roadmap  <  workinggroups  <  surveys  <  reports  <  public
    <  search  (config on top)

``core`` holds the helpers every app shares (numbers and dates as people write them, text
hygiene, fields per language, uploads, backup) and imports no app.

``roadmap`` is the base of the domain: it does not know the working groups, the survey or the
reports. Where a lower app needs something from a higher one, the higher app registers it
(``roadmap.rules.register_subject_scope``, each app's ``seed`` and ``synthetic`` modules found by
``load_roadmap`` and ``roadmap.synthetic``). Every import statement is read from the source
(also those inside functions), so a lazy import does not hide a dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "core": -1,
    "accounts": 0,
    "jobs": 1,  # background jobs: people's own queue, used by the apps above
    "roadmap": 2,
    "workinggroups": 3,
    "surveys": 4,
    "reports": 5,
    "public": 6,  # the public pages: show what the apps below publish
    "search": 7,  # one search box over everything a person may see: reads the apps below
    "api": 8,  # the read-only API and feed URLs: reads every app below
    "config": 9,  # settings and the root URLs see every app
}
# (importing app, imported module) allowed against the layers, each with its reason. The test
# fails on an entry that is no longer needed, so the list only shrinks.
EXCEPTIONS: set[tuple[str, str]] = set()


def _app_packages() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py")) + ["config"]


def _imports(app: str) -> list[tuple[str, str, int]]:
    """(module imported, file, line) of every absolute import of a project app in ``app``."""
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                if name.split(".")[0] in LAYERS:
                    found.append((name, str(path.relative_to(ROOT)), node.lineno))
    return found


def test_every_app_has_a_layer():
    missing = [app for app in _app_packages() if app not in LAYERS]
    assert not missing, f"Give these apps a place in LAYERS (tests/test_layers.py): {missing}"


@pytest.mark.parametrize("app", [a for a in LAYERS if (ROOT / a).is_dir()])
def test_app_imports_only_from_below(app):
    upward = []
    for module, path, line in _imports(app):
        target = module.split(".")[0]
        if target == app or LAYERS[target] < LAYERS[app]:
            continue
        if (app, module) in EXCEPTIONS:
            continue
        upward.append(f"{path}:{line} imports {module} ({target} is above {app})")
    assert not upward, "\n".join(upward)


def test_the_exceptions_are_still_needed():
    used = {
        (app, module) for app in LAYERS if (ROOT / app).is_dir() for module, *_ in _imports(app)
    }
    stale = sorted(EXCEPTIONS - used)
    assert not stale, f"Remove these from EXCEPTIONS in tests/test_layers.py: {stale}"


def _test_module_imports(source: str) -> list[tuple[str, int]]:
    """(module, line) of every import of a test module (``tests...test_x``) in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [("." * node.level) + (node.module or "")]
        else:
            continue
        for name in names:
            last = name.rsplit(".", 1)[-1]
            if last.startswith("test_") and (name.startswith("tests.") or name.startswith(".")):
                found.append((name, node.lineno))
    return found


def test_no_test_module_imports_another():
    """Helpers shared by tests live in tests/helpers.py or a conftest, not in a test module:
    importing one runs its tests' set-up code and ties two files' changes together."""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for module, line in _test_module_imports(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)
    # The finder sees both spellings.
    sample = "from tests.e2e.test_accessibility import x\nfrom .test_xlsform import y\n"
    assert [m for m, _ in _test_module_imports(sample)] == [
        "tests.e2e.test_accessibility",
        ".test_xlsform",
    ]
