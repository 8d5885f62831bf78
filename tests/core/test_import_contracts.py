"""The house's import contracts (pyproject.toml, [tool.importlinter]), checked by `lint-imports`.

The real tree keeps every contract; a copy of it into which one of the dependencies the house
forbids is written breaks the contract that names it: the cycles the code once held together
with imports deferred into functions, a lower layer reaching into a feature, and a feature
reaching into another one's views.
"""
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PUBLIC_MODULES = {"operations", "queries"}


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, env={"PYTHONPATH": str(tree), "PATH": ""},
                          capture_output=True, text=True, timeout=120)


def contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


@pytest.fixture
def tree_copy(tmp_path):
    for name in ("webapp", "search_index"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "templates",
                                                                                     "static", "translations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts())} kept, 0 broken." in result.stdout


FORBIDDEN = [
    # module that gains the import, the import (deferred into a function, as the old cycles were), contract
    ("webapp/search/indexing.py", "from webapp.search.writer import ensure_index_writer",
     "No import cycle between features, nor between the modules of a package"),
    ("webapp/stats/collector.py", "from webapp.stats.loop import ensure_stats_loop",
     "No import cycle between features, nor between the modules of a package"),
    ("webapp/core/commands.py", "from webapp.accounts.cli import users_cli",
     "Features use core, core uses models, models use extensions; never the other way"),
    ("webapp/slides/queries.py", "from webapp.catalogue.queries import find_public_talk",
     "No import cycle between features, nor between the modules of a package"),
    ("webapp/catalogue/views.py", "from webapp.slides.manage_views import slide_upload_page",
     "Other features use slides only through its operations and queries"),
    ("webapp/models/talk.py", "from webapp.core.visibility import public_talks",
     "Features use core, core uses models, models use extensions; never the other way"),
    ("search_index/engine.py", "from flask import current_app", "The search engine knows nothing of Flask"),
    ("webapp/catalogue/operations/talks.py", "import bleach", "Only webapp.sanitize imports bleach"),
    ("webapp/search/queries.py", "import whoosh.query", "Only search_index imports whoosh"),
]


@pytest.mark.parametrize(("module", "statement", "contract"), FORBIDDEN,
                         ids=[f"{module}: {statement}" for module, statement, _ in FORBIDDEN])
def test_a_forbidden_import_breaks_its_contract(tree_copy, module, statement, contract):
    with (tree_copy / module).open("a") as source:
        source.write(f"\n\ndef _forbidden():\n    {statement}\n")
    result = lint_imports(tree_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [line for line in result.stdout.splitlines() if line.endswith(" BROKEN")]
    assert any(line.startswith(contract) for line in broken), result.stdout


def test_every_private_module_of_a_feature_is_protected():
    """A module added to a feature is private to it until the contract says otherwise."""
    protected = {c["allowed_importers"][0]: set(c["protected_modules"]) for c in contracts()
                 if c["type"] == "protected" and c["allowed_importers"][0].startswith("webapp.")
                 and c["allowed_importers"][0] != "webapp.sanitize"}
    layers = next(c for c in contracts() if c["type"] == "layers")["layers"]
    features = [name.strip() for name in layers[0].split(":")]
    assert sorted(protected) == sorted(f"webapp.{feature}" for feature in features)
    for feature in features:
        folder = ROOT / "webapp" / feature
        private = {f"webapp.{feature}.{path.stem}" for path in folder.iterdir()
                   if path.stem not in PUBLIC_MODULES and not path.stem.startswith("__")
                   and (path.suffix == ".py" or (path / "__init__.py").exists())}
        assert protected[f"webapp.{feature}"] == private, feature


def test_ls_webapp_reads_as_the_list_of_features():
    layers = next(c for c in contracts() if c["type"] == "layers")["layers"]
    features = {name.strip() for name in layers[0].split(":")}
    shared = {"core", "models", "templates", "static", "translations", "__init__.py", "config.py",
              "extensions.py", "sanitize.py"}
    assert {path.name for path in (ROOT / "webapp").iterdir() if path.name != "__pycache__"} == features | shared
