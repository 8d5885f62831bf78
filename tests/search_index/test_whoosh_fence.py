"""Whoosh's internals stay behind one fence: search_index/whoosh_internals/ (HOUSE.md rule 9).

The rule, checked on the source of every module of search_index/ outside that package:

1. No private attribute: no ``x._name`` (one or two leading underscores, dunders such as
   ``__init__`` excepted), and no ``getattr``/``hasattr``/``setattr``/``delattr`` of a literal
   private name, unless ``x`` is ``self`` or ``cls`` in a class that derives from nothing but
   search_index classes and builtins. A class deriving from a Whoosh class (an analyzer, a field
   type, a weighting) therefore uses no private name on ``self`` at all: it could be Whoosh's.
2. No private Whoosh name imported (``from whoosh.x import _y``).
3. Whoosh imported only from its public API modules (PUBLIC_WHOOSH_MODULES): not from the
   codec, the file tables, the matchers' modules, ``whoosh.system``, ``whoosh.util``, the
   analysis or query submodules (``whoosh.analysis.acore``)... whose objects are reached only
   for private work. Whoosh re-exports what is public from the modules listed.

It is a tripwire, not a proof: ``vars(x)["_y"]`` or a public module's re-export of an internal
helper would slip through. The fence itself checks the installed whoosh3 against the version
its code was verified for, and tests/search_index/test_index_bulk.py compares the bulk
writer's segment files with Whoosh's byte for byte: the gate for any whoosh3 upgrade.
"""
import ast
import importlib
import tomllib
import types
from pathlib import Path

import pytest

from search_index import whoosh_internals

PACKAGE = Path(__file__).resolve().parents[2] / "search_index"
FENCE = PACKAGE / "whoosh_internals"
PUBLIC_WHOOSH_MODULES = frozenset(f"whoosh.{name}" for name in (
    "analysis", "collectors", "columns", "fields", "filedb.filestore", "formats", "highlight", "index", "lang",
    "qparser", "query", "reading", "scoring", "searching", "sorting", "spelling", "writing"))
ATTRIBUTE_FUNCTIONS = ("getattr", "hasattr", "setattr", "delattr")


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def modules_outside_the_fence() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if FENCE not in path.parents)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def derives_only_from_our_classes(module, class_name: str | None) -> bool:
    """True for a class of the module whose every base is a search_index class or a builtin."""
    cls = getattr(module, class_name, None) if class_name else None
    if not isinstance(cls, type):
        return False  # a class nested in a function: never known to be ours
    return all(base.__module__ == "builtins" or base.__module__.split(".")[0] == "search_index"
               for base in cls.__mro__)


class FenceVisitor(ast.NodeVisitor):
    """Collects the breaches of the rule in one module (its line numbers and what was touched)."""

    def __init__(self, module):
        self.module = module
        self.classes: list[str] = []
        self.breaches: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if is_private(node.attr) and not self._is_own_instance(node.value):
            self.breaches.append(f"line {node.lineno}: .{node.attr}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in ATTRIBUTE_FUNCTIONS and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and is_private(name.value) \
                    and not self._is_own_instance(node.args[0]):
                self.breaches.append(f"line {node.lineno}: {node.func.id}(..., {name.value!r})")
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if _is_whoosh(alias.name) and alias.name not in PUBLIC_WHOOSH_MODULES:
                self.breaches.append(f"line {node.lineno}: import {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not _is_whoosh(node.module or ""):
            return
        for alias in node.names:
            module = node.module if node.module != "whoosh" else f"whoosh.{alias.name}"
            if module not in PUBLIC_WHOOSH_MODULES or is_private(alias.name):
                self.breaches.append(f"line {node.lineno}: from {node.module} import {alias.name}")

    def _is_own_instance(self, node: ast.expr) -> bool:
        return (isinstance(node, ast.Name) and node.id in ("self", "cls")
                and derives_only_from_our_classes(self.module, self.classes[-1] if self.classes else None))


def _is_whoosh(module: str) -> bool:
    return module == "whoosh" or module.startswith("whoosh.")


def breaches_of(path: Path) -> list[str]:
    visitor = FenceVisitor(importlib.import_module(module_name(path)))
    visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return visitor.breaches


def test_the_fence_is_where_the_rule_says():
    assert (FENCE / "__init__.py").is_file()
    assert len(modules_outside_the_fence()) > 10  # the scan does see the package


@pytest.mark.parametrize("path", modules_outside_the_fence(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_whoosh_internals_outside_the_fence(path):
    assert breaches_of(path) == []


EXAMPLE = """from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.system import _INT_SIZE
from whoosh import query
import whoosh.util.numeric
from whoosh.analysis import Filter


class Ours:
    def ok(self):
        return self._mine


class Theirs(Filter):
    def not_ok(self):
        return self._whoosh_state


def reader_internals(searcher):
    return searcher._ix, getattr(searcher, "_ix", None), searcher.__class__
"""


def test_the_rule_catches_what_it_is_meant_to_catch():
    module = types.ModuleType("search_index.fence_example")
    exec(compile(EXAMPLE, "fence_example.py", "exec"), module.__dict__)
    visitor = FenceVisitor(module)
    visitor.visit(ast.parse(EXAMPLE))
    assert visitor.breaches == [
        "line 1: from whoosh.codec.whoosh3 import W3LeafMatcher", "line 2: from whoosh.system import _INT_SIZE",
        "line 4: import whoosh.util.numeric", "line 15: ._whoosh_state", "line 19: ._ix",
        "line 19: getattr(..., '_ix')"]


def test_the_fence_was_verified_for_the_pinned_whoosh3():
    """Upgrading the pin without re-verifying the fast paths would silently switch them off:
    bump VERIFIED_VERSION, then make test_index_bulk.py's byte-for-byte test pass."""
    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [spec for spec in pyproject["project"]["dependencies"] if spec.startswith("whoosh3==")]
    assert pins == [f"whoosh3=={whoosh_internals.VERIFIED_VERSION}"]
