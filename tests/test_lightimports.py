"""course/lightimports.py: jsonschema without its IRI parser, nothing else changed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from conftest import ROOT, course_env

INSTALLED = importlib.util.find_spec("rfc3987_syntax") is not None


def fresh(code: str) -> str:
    """Run ``code`` in a new interpreter (nothing imported yet) and return what it prints."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=course_env(), cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.skipif(not INSTALLED, reason="rfc3987_syntax absent : rien à alléger")
def test_without_course_nbformat_loads_the_iri_parser():
    """What the finder is for: plain ``import nbformat`` loads it (so the next test can fail)."""
    assert fresh("import sys, nbformat; print('rfc3987_syntax' in sys.modules)") == "True"


def test_the_extension_and_nbformat_load_without_the_iri_parser():
    code = "import sys, course.sphinxext, nbformat; print('rfc3987_syntax' in sys.modules)"
    assert fresh(code) == "False"


def test_notebooks_are_still_validated():
    code = """
import course, nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(nb)
nb.cells[0]["cell_type"] = "inconnu"
try:
    nbformat.validate(nb)
except nbformat.ValidationError:
    print("refusé")
"""
    assert fresh(code) == "refusé"


@pytest.mark.skipif(not INSTALLED, reason="rfc3987_syntax absent")
def test_any_other_import_of_the_iri_parser_still_works():
    code = "import course, nbformat, rfc3987_syntax; print(rfc3987_syntax.is_valid_syntax('iri', 'https://exemple.fr/é'))"
    assert fresh(code) == "True"
