"""House conventions checked over the source: every view names the HTTP methods it answers."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "roadmap", "workinggroups", "surveys", "reports", "config"]
METHOD_DECORATORS = {"require_GET", "require_POST", "require_safe", "require_http_methods"}


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return getattr(node, "id", "")


def _views() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).glob("views*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in tree.body:
                args = node.args.args if isinstance(node, ast.FunctionDef) else []
                if args and args[0].arg == "request" and not node.name.startswith("_"):
                    found.append((f"{app}/{path.name}:{node.name}", node))
    return found


VIEWS = _views()


def test_the_walk_finds_the_views():
    # A guard against a walk that finds nothing and so passes whatever the code says.
    assert len(VIEWS) > 60


@pytest.mark.parametrize(("name", "node"), VIEWS, ids=[name for name, _node in VIEWS])
def test_every_view_has_a_method_decorator(name, node):
    """GET pages answer POST with 405 and POST actions answer GET with 405."""
    names = {_decorator_name(d) for d in node.decorator_list}
    assert names & METHOD_DECORATORS, f"{name} has no @require_GET/@require_POST/..."
