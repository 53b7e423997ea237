"""No import circles in pipeline/: a module never imports (directly or round about) a module
that imports it back.

A circle makes the import order matter (a name half-defined at import time) and hides which
module owns a name; the usual dodge, an import inside a function, hides the circle without
breaking it, so imports inside functions count here too (and those for type hints only, under
TYPE_CHECKING). The graph is read from the source with `ast` (nothing is imported), over the
whole package.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "pipeline"

# Circles known and tolerated, each as its modules (any order): none. A listed circle that no
# longer exists fails the test too, so the list cannot go stale.
KNOWN: list[frozenset[str]] = []


def _modules() -> dict[str, Path]:
    """Module name -> file, for every .py file of the package."""
    out = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports anywhere in its file (functions included).
    `from a.b import c` names the module a.b.c when there is one, else a.b itself."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                found.add(sub if sub in modules else source)
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[tuple[frozenset[str], list[str]]]:
    """Each group of modules that import one another round about (a strongly connected part of
    the graph with more than one module), with one circle through it: [a, b, ..., a]."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, without recursion
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return [(frozenset(group), _path_through(group, graph)) for group in groups]


def _path_through(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """One circle inside `group`, starting at its first module by name (shortest way back)."""
    first = min(group)
    back = {first: None}
    queue = [first]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & group):
            if child == first:
                path = [node]
                while back[path[-1]] is not None:
                    path.append(back[path[-1]])
                return list(reversed(path)) + [first]
            if child not in back:
                back[child] = node
                queue.append(child)
    raise AssertionError(f"no circle through {first}")  # not reached for a real group


def test_the_graph_sees_function_level_imports(tmp_path):
    """The checker itself: a circle hidden in a function is still a circle."""
    graph = {"p.a": {"p.b"}, "p.b": {"p.a"}, "p.c": {"p.a"}}
    assert circles(graph) == [(frozenset({"p.a", "p.b"}), ["p.a", "p.b", "p.a"])]
    src = tmp_path / "m.py"
    src.write_text("def f():\n    from p import b\n    import p.c\n", encoding="utf-8")
    assert _imports("p.m", src, {"p.b": src, "p.c": src, "p.m": src}) == {"p.b", "p.c"}


def test_no_import_circles():
    found = circles(import_graph())
    new = [(group, path) for group, path in found if group not in KNOWN]
    assert not new, "import circles in pipeline/:\n" + "\n".join(
        " -> ".join(path)
        + (f"  (all of: {', '.join(sorted(group))})" if len(group) > len(path) - 1 else "")
        for group, path in new
    )
    gone = [sorted(k) for k in KNOWN if k not in {group for group, _ in found}]
    assert not gone, f"no longer circles, take them out of KNOWN: {gone}"
