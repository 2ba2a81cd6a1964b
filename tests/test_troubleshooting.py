"""docs/troubleshooting.md against the code: every exit code and every error class is catalogued, correctly.

The page holds two marked tables (`<!-- exit-codes -->`, `<!-- error-classes -->`). Error classes are found by
reading every module of the package (no import, so no SDK is loaded): a class whose base is CharforgeError or
one of its subclasses, wherever it is defined.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import charforge
from charforge.errors import CharforgeError, ExitCode

PAGE = Path(__file__).resolve().parents[1] / "docs" / "troubleshooting.md"
SRC = Path(charforge.__file__).resolve().parent


def table(marker: str) -> list[list[str]]:
    """The rows of the table between `<!-- marker… -->` and `<!-- /marker -->`, cells stripped of backticks."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker}\b.*?-->\n(.*?)<!-- /{marker} -->", text, re.S)
    assert found, f"no <!-- {marker} --> table in {PAGE.name}"
    lines = [line for line in found.group(1).splitlines() if line.startswith("|")][2:]  # header, rule
    return [[cell.strip().strip("`") for cell in line.strip("|").split("|")] for line in lines]


def error_classes() -> dict[str, str]:
    """Class name -> dotted module, for every CharforgeError subclass defined in the package."""
    bases: dict[str, tuple[str, list[str]]] = {}
    for path in SRC.rglob("*.py"):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names = [b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
                         for b in node.bases]
                bases[node.name] = (module, names)
    found = {"CharforgeError": "charforge.errors"}
    grew = True
    while grew:
        grew = False
        for name, (module, parents) in bases.items():
            if name not in found and any(p in found for p in parents):
                found[name] = module
                grew = True
    return found


def test_every_exit_code_is_in_the_page_with_its_number():
    rows = {row[1]: int(row[0]) for row in table("exit-codes")}
    assert rows == {member.name: member.value for member in ExitCode}


def test_every_error_class_is_in_the_page():
    documented = {row[0] for row in table("error-classes")}
    missing = sorted(set(error_classes()) - documented)
    assert not missing, f"add these to docs/troubleshooting.md's error-classes table: {missing}"


def test_every_class_the_page_names_exists():
    known = error_classes()
    unknown = sorted({row[0] for row in table("error-classes")} - set(known))
    assert not unknown, f"docs/troubleshooting.md names classes charforge does not have: {unknown}"


@pytest.mark.parametrize("row", table("error-classes"), ids=lambda row: row[0])
def test_each_class_row_gives_its_module_and_exit_code(row):
    name, module, code = row[0], row[1], int(row[2])
    assert error_classes().get(name) == module
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, CharforgeError)
    assert cls.exit_code == code


def test_every_exit_code_of_an_error_has_a_section():
    headings = re.findall(r"^## Exit (\d+)", PAGE.read_text(encoding="utf-8"), re.M)
    codes = {int(h) for h in headings}
    assert {int(c) for c in ExitCode if c != ExitCode.OK} <= codes
