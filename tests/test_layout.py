"""The package layout shows the design: stages in folders, imports that flow one way.

Every import counts, including those under `if TYPE_CHECKING:` and inside functions: a
cycle through a type hint still blurs which module decides what.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "macro" / "version_alias"
GENERATED = {PACKAGE / "data" / "schema_data.py"}
MAX_TOP_LEVEL_MODULES = 8
MAX_LINES = 400
# Lower layers never import higher ones. Modules of one layer may import each other (the
# graph stays acyclic, which test_no_import_cycles checks).
LAYERS = {
    "version_alias.errors": 0,
    "version_alias.context": 0,
    "version_alias.notes": 0,
    "version_alias.data": 0,
    "version_alias.template": 1,
    "version_alias.versioning": 2,
    "version_alias.invokers": 3,
    "version_alias.deployment": 4,
    "version_alias.transform": 5,
    "version_alias.handler": 6,
    "version_alias.guardrail": 6,  # the guardrail hook: an adapter beside the handler
    "version_alias": 6,  # the package's __init__ re-exports transform
    "version_alias.lint_rules": 7,
    "version_alias.cli.support": 8,
    "version_alias.cli.commands": 9,
    "version_alias.cli.main": 10,
    "version_alias.cli": 10,
}
COMMANDS = {"check", "diff", "lint", "prune", "render"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The package's modules that `name` imports, anywhere in the file."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return {item for item in found if item in MODULES and item != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def layer(name: str) -> int:
    best = max(
        (prefix for prefix in LAYERS if name == prefix or name.startswith(prefix + ".")), key=len
    )
    return LAYERS[best]


def test_layers_cover_every_module() -> None:
    for name in MODULES:
        assert any(name == prefix or name.startswith(prefix + ".") for prefix in LAYERS), name


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(name: str, stack: list[str]) -> None:
        state[name] = 1
        for child in sorted(GRAPH[name]):
            if state.get(child) == 1:
                cycle = [*stack[stack.index(child) :], child]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if child not in state:
                visit(child, [*stack, child])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_flow_one_way(name: str) -> None:
    """CLI -> core stages -> tables and helpers, never back."""
    upward = sorted(other for other in GRAPH[name] if layer(other) > layer(name))
    assert upward == [], f"{name} (layer {layer(name)}) imports a higher layer"


def test_no_command_imports_another() -> None:
    prefix = "version_alias.cli.commands."
    for name, imported in GRAPH.items():
        if name.startswith(prefix) and name[len(prefix) :] in COMMANDS:
            others = {item[len(prefix) :] for item in imported if item.startswith(prefix)}
            assert not others & COMMANDS, name


def test_at_most_eight_modules_at_the_top() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_every_package_opens_with_a_docstring() -> None:
    for init in sorted(PACKAGE.rglob("__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring, f"{init.relative_to(ROOT)} has no docstring"


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, id=str(path.relative_to(ROOT)))
        for path in sorted([*PACKAGE.rglob("*.py"), *(ROOT / "scripts").glob("*.py")])
        if path not in GENERATED
    ],
)
def test_no_hand_written_module_over_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_the_checker_sees_a_planted_cycle_and_upward_import(tmp_path: Path) -> None:
    """The rules above can fail: a two-module cycle and a core -> CLI import are found."""
    pkg = tmp_path / "version_alias"
    (pkg / "template").mkdir(parents=True)
    (pkg / "template" / "a.py").write_text("from . import b\n")
    (pkg / "template" / "b.py").write_text(
        "TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from .a import x\n"
        "from ..cli.support import io\n"
    )
    global PACKAGE, MODULES
    saved = PACKAGE, MODULES
    try:
        PACKAGE = pkg
        MODULES = {module_name(path): path for path in sorted(pkg.rglob("*.py"))}
        MODULES["version_alias.cli.support.io"] = pkg / "missing.py"
        graph = {name: imports_of(name) for name in MODULES if name.endswith((".a", ".b"))}
    finally:
        PACKAGE, MODULES = saved
    assert graph["version_alias.template.a"] == {"version_alias.template.b"}
    assert "version_alias.template.a" in graph["version_alias.template.b"]
    assert "version_alias.cli.support.io" in graph["version_alias.template.b"]
    assert layer("version_alias.cli.support.io") > layer("version_alias.template.b")
