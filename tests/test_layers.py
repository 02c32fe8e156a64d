"""The package map of docs/architecture.md holds: imports point down only, at module level, without cycles."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "ervaringswijzer"

# Plumbing every package may use: settings, unbound extensions, database setup, error pages, headers,
# request-edge parsing, text folding.
BASE = {"config", "extensions", "db", "errors", "security", "i18n", "ratelimits", "edge", "text"}
# What builds the whole app (create_app, site pages, seed-demo, migrations): it may import anything.
TOP = {"", "pages", "demo", "gcpolicy", "migrations"}

# package -> the packages it may import besides itself and BASE (docs/architecture.md, "Package map").
ALLOWED: dict[str, set[str]] = {
    **{name: set() for name in BASE},
    "core": set(),
    "places": {"core"},
    "mail": {"core"},
    "accounts": {"core", "places", "mail"},
    "notices": {"core", "places", "accounts", "mail"},
    "reviews": {"core", "places", "accounts", "mail", "notices"},
    "moderation": {"core", "places", "accounts", "mail", "notices", "reviews"},
    "search": {"core", "places"},
    "experts": {"core", "places", "accounts", "mail", "notices", "reviews"},
    "maps": {"core", "places", "accounts", "mail", "notices", "reviews", "experts"},
    "api": {"core", "places", "search"},
    "overview": {"core", "places", "search", "moderation", "mail"},
}


def _module_name(path: Path, root: Path) -> str:
    parts = ("ervaringswijzer",) + path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(module: str) -> str:
    """The package (or top-level module) a module belongs to: ervaringswijzer.places.hours -> places."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _targets(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The ervaringswijzer modules an import statement names (relative imports resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "ervaringswijzer"]
    if node.level:
        base = module.split(".")
        base = base[:len(base) - node.level + (1 if is_package else 0)]
        origin = ".".join(base + ([node.module] if node.module else []))
    else:
        origin = node.module or ""
    if origin.split(".")[0] != "ervaringswijzer":
        return []
    if node.module:
        return [origin]
    return [f"{origin}.{alias.name}" for alias in node.names]  # from . import views


def collect_imports(root: Path = ROOT) -> list[tuple[str, str, int, bool]]:
    """(importing module, imported module, line, inside a function) for every ervaringswijzer import."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

        def visit(node, in_function: bool):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    for target in _targets(child, module, path.name == "__init__.py"):
                        found.append((module, target, child.lineno, in_function))
                visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

        visit(tree, False)
    return found


def package_edges(imports) -> set[tuple[str, str]]:
    return {(_unit(src), _unit(dst)) for src, dst, _line, _f in imports if _unit(src) != _unit(dst)}


def find_cycle(edges: set[tuple[str, str]]) -> list[str] | None:
    """One cycle in the graph as a path [a, b, ..., a], or None."""
    graph: dict[str, set[str]] = {}
    for src, dst in edges:
        graph.setdefault(src, set()).add(dst)
    state: dict[str, str] = {}

    def walk(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt, node]
            if nxt not in state:
                cycle = walk(nxt, path + [nxt])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = walk(start, [start])
            if cycle:
                return cycle
    return None


@pytest.fixture(scope="module")
def imports():
    return collect_imports()


def test_the_parser_sees_module_and_function_imports(tmp_path):
    """The import reader resolves relative imports and tells function-level ones apart (so the checks below can fail)."""
    package = tmp_path / "places"
    package.mkdir()
    (package / "__init__.py").write_text("from . import views\n")
    (package / "views.py").write_text(
        "from ..core.time import now\n"
        "import ervaringswijzer.search\n"
        "def page():\n    from ..search.service import search_places\n")
    found = {(dst, line, inside) for _src, dst, line, inside in collect_imports(tmp_path)}
    assert found == {("ervaringswijzer.places.views", 1, False), ("ervaringswijzer.core.time", 1, False),
                     ("ervaringswijzer.search", 2, False), ("ervaringswijzer.search.service", 4, True)}
    assert find_cycle({("places", "search"), ("search", "places")}) == ["places", "search", "places"]
    assert find_cycle({("reviews", "places"), ("search", "places")}) is None


def test_no_imports_of_our_modules_inside_functions(imports):
    """Every import of an ervaringswijzer module sits at module level, where the package map can see it."""
    inside = [f"{src}:{line} imports {dst}" for src, dst, line, in_function in imports if in_function]
    assert inside == []


def test_packages_import_only_what_the_map_allows(imports):
    """Each package imports itself, the base modules, core and the domains below it; nothing else."""
    wrong = sorted(f"{src}:{line} imports {dst}" for src, dst, line, _f in imports
                   if _unit(src) not in TOP and _unit(dst) != _unit(src)
                   and _unit(dst) not in BASE and _unit(dst) not in ALLOWED.get(_unit(src), set()))
    assert wrong == []


def test_every_package_is_on_the_map(imports):
    """A new package must be given its place in ALLOWED (and in docs/architecture.md) before it is used."""
    units = {_unit(src) for src, _dst, _line, _f in imports} | {_unit(dst) for _src, dst, _line, _f in imports}
    assert units - set(ALLOWED) - TOP == set()


def test_no_cycles_between_packages(imports):
    """Neither the map nor the real imports (module or function level) have a cycle between packages."""
    assert find_cycle({(src, dst) for src, allowed in ALLOWED.items() for dst in allowed}) is None
    assert find_cycle(package_edges(imports)) is None


def test_docs_show_the_same_map():
    """docs/architecture.md lists, per domain package, exactly the packages ALLOWED lets it import."""
    text = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    documented = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].count("`") == 2 and cells[0].endswith("/`"):
            documented[cells[0].strip("`/")] = {p.strip() for p in cells[1].split(",") if p.strip() != "—"}
    assert documented == {name: allowed for name, allowed in ALLOWED.items() if name not in BASE}
