"""The import direction of conventions.md, checked on the source: `crisisunit/lib`
imports no app and no other part of the project; `families` <- `placements` <- `stats`;
`content` (the public site's texts) imports no other app, so any may read it; and the
project's glue imports no app, but for the URLconf that wires them together."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["families", "placements", "stats", "content", "team"]


def imports(path: Path) -> set[str]:
    """The top-level packages and modules a file imports, as dotted names."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def project_imports(folder: str, skip=()):
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" in path.parts or path.name in skip:
            continue
        for name in imports(path):
            top = name.split(".")[0]
            if top in APPS or top == "crisisunit":
                yield path.relative_to(ROOT), name


def test_the_pure_helpers_import_nothing_of_the_project_but_each_other():
    wrong = [
        (str(path), name)
        for path, name in project_imports("crisisunit/lib")
        if not name.startswith("crisisunit.lib")
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("app", "above"),
    [
        ("families", {"placements", "stats", "team"}),
        ("placements", {"stats", "team"}),
        ("stats", {"team"}),
        ("team", {"stats"}),
        ("content", {"families", "placements", "stats", "team"}),
    ],
)
def test_an_app_never_imports_one_above_it(app, above):
    wrong = [(str(p), n) for p, n in project_imports(app) if n.split(".")[0] in above]
    assert wrong == []


def test_the_project_glue_imports_no_app_but_in_the_urlconf():
    wrong = [
        (str(path), name)
        for path, name in project_imports("crisisunit", skip={"urls.py"})
        if name.split(".")[0] in APPS
    ]
    assert wrong == []


def test_no_private_name_is_imported_from_another_module():
    """A helper two modules need is public (and documented) where it lives; a leading
    underscore means "only this module uses it" (code review finding 8)."""
    wrong = []
    for folder in ["crisisunit", *APPS]:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    private = [a.name for a in node.names if a.name.startswith("_")]
                    if private and node.module.split(".")[0] in {"crisisunit", *APPS}:
                        wrong.append((str(path.relative_to(ROOT)), node.module, private))
    assert wrong == []


@pytest.mark.parametrize("folder", ["crisisunit", *APPS])
def test_no_module_grows_past_the_size_a_newcomer_reads_in_one_go(folder):
    """conventions.md: a module past ~500 lines becomes a package by subdomain."""
    longest = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: n for path, n in longest.items() if n > 560} == {}
