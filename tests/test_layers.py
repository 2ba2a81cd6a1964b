"""The layers of docs/architecture.md, enforced: every import in src/ points down, and nothing imports in a circle.

Imports are read from the source (module level, inside functions and under TYPE_CHECKING alike), so a lazy
import cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import charforge

ROOT = Path(charforge.__file__).parent

# Bottom to top; a room may import only rooms listed before it (and itself). Keep in step with the table in
# docs/architecture.md.
ROOMS = ["__init__", "errors", "validation", "inputs", "redact", "files", "data", "sections", "buckets", "registry",
         "config", "keys", "models", "prices", "rules", "naming", "store", "prompts", "providers", "images", "export",
         "service", "cli", "__main__"]
# Rooms on one floor do not import each other, except along these edges.
SIBLINGS = {"store", "prompts", "providers", "images"}
SIBLING_EDGES = {("images", "providers")}  # image providers share the text providers' retry loop and SDK errors
# The CLI is thin: it parses, calls the service, and renders. These are the only rooms it may reach into.
CLI_MAY_IMPORT = {"cli", "service", "export", "prompts", "models", "registry", "config", "keys", "errors", "files",
                  "redact", "validation", "inputs", "__init__"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def resolve(name: str) -> str:
    """The charforge module an import names (`from charforge import keys` -> charforge.keys)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports(module: str, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("charforge") \
                and node.level == 0:
            found |= {resolve(f"{node.module}.{alias.name}") for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {resolve(alias.name) for alias in node.names if alias.name.startswith("charforge")}
    return found - {module}


def test_every_room_is_placed():
    assert {room(m) for m in MODULES} <= set(ROOMS)


def test_imports_point_down():
    wrong = []
    for module in MODULES:
        source = room(module)
        for target in imports(module):
            into = room(target)
            if into == source:
                continue
            upward = ROOMS.index(into) > ROOMS.index(source)
            sideways = source in SIBLINGS and into in SIBLINGS and (source, into) not in SIBLING_EDGES
            through_cli = source == "cli" and into not in CLI_MAY_IMPORT
            if upward or sideways or through_cli:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_import_cycle_at_module_level():
    graph = {m: imports(m, top_level_only=True) for m in MODULES}
    state: dict[str, str] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_checker_catches_an_upward_import(tmp_path, monkeypatch):
    """The walk must see a lazy import inside a function, or the test above could never fail."""
    fake = tmp_path / "charforge" / "models.py"
    fake.parent.mkdir()
    fake.write_text("def f():\n    from charforge.service import CharacterService\n")
    monkeypatch.setitem(MODULES, "charforge.models", fake)
    assert "charforge.service" in imports("charforge.models")
