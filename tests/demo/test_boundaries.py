"""The demo stands apart from the domain: it calls the apps' services, no app imports it.

Every import counts, also one inside a function (that is where the old cycles hid)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "helhedsplan"
DEMO = "helhedsplan.demo"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if "migrations" not in path.parts
}


def _imports(path: Path) -> set[str]:
    """The helhedsplan modules ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from helhedsplan.demo import criteria" imports the module demo.criteria.
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("helhedsplan."):
                found.add(name)
    return found


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _is_demo(name: str) -> bool:
    return name == DEMO or name.startswith(DEMO + ".")


def test_no_domain_module_imports_the_demo() -> None:
    offenders = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if not _is_demo(name)
        for target in targets
        if _is_demo(target)
    )
    assert len(GRAPH) > 100  # the walk found the package
    assert offenders == []


def test_no_import_cycle_through_the_demo() -> None:
    """No chain of imports leads from a demo module back to itself."""

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(GRAPH[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(GRAPH.get(name, ()))
        return seen

    cycles = sorted(name for name in GRAPH if _is_demo(name) and name in reachable(name))
    assert cycles == []


def test_the_walk_sees_the_demo_calling_the_services() -> None:
    """The tests above would pass on an empty graph; this one shows the walk sees imports."""
    assert "helhedsplan.criteria.services" in GRAPH["helhedsplan.demo.criteria"]
    assert "helhedsplan.demo.criteria" in GRAPH["helhedsplan.demo.loader"]
