"""course.notebooks: solution stripping as pure functions (nbgrader-style cell factories)."""

from __future__ import annotations

import textwrap

import nbformat
import pytest

from course import notebooks as nbs


def code(source: str, tags=(), outputs=()):
    cell = nbformat.v4.new_code_cell(textwrap.dedent(source).strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    cell.outputs = list(outputs)
    return cell


def text(source: str, tags=()):
    cell = nbformat.v4.new_markdown_cell(textwrap.dedent(source).strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    nb.metadata["jupytext"] = {"text_representation": {"format_name": "myst"}}
    return nb


REGION = """
seuil = ...
def calcule(x):
    # BEGIN SOLUTION
    return round(x * 0.6)
    # END SOLUTION
"""


def test_are_solution_regions_replaced_by_the_stub_at_the_same_indentation():
    nb = nbs.learner_notebook(notebook(text("# Titre"), code(REGION)))
    assert nb.cells[1].source == "seuil = ...\ndef calcule(x):\n    # Écrivez votre code ici"


def test_are_solution_cells_dropped_and_prompts_kept_for_the_learner():
    src = notebook(
        text("# Titre"),
        text("Corrigé : 42", tags=["solution"]),
        text("Consigne", tags=["enonce"]),
        code("x = 1", tags=["solution", "hide-input"]),
    )
    nb = nbs.learner_notebook(src)
    assert [c.source for c in nb.cells] == ["# Titre", "Consigne"]


def test_does_the_trainer_keep_solutions_without_markers_and_drop_prompts():
    src = notebook(
        text("# Titre"),
        code(REGION),
        text("Consigne", tags=["enonce"]),
        code("y = 2", tags=["solution", "hide-input"]),
    )
    nb = nbs.trainer_notebook(src)
    assert "return round(x * 0.6)" in nb.cells[1].source
    assert "BEGIN" not in nb.cells[1].source and "END" not in nb.cells[1].source
    assert [c.source for c in nb.cells][2:] == ["y = 2"]
    assert nb.cells[2].metadata["tags"] == ["hide-input"]  # our tags go, standard tags stay


def test_are_outputs_cleared_ids_deterministic_and_jupytext_metadata_dropped():
    out = nbformat.v4.new_output("stream", text="42")
    src = notebook(text("# Titre"), code("print(42)", outputs=[out]))
    for nb in (nbs.learner_notebook(src), nbs.trainer_notebook(src)):
        assert nb.cells[1].outputs == [] and nb.cells[1].execution_count is None
        assert [c.id for c in nb.cells] == ["cell-1", "cell-2"]
        assert "jupytext" not in nb.metadata
    assert src.cells[1].outputs  # the source is never modified


def test_is_generation_deterministic():
    src = notebook(text("# Titre"), code(REGION))
    assert nbformat.writes(nbs.learner_notebook(src)) == nbformat.writes(nbs.learner_notebook(src))


def test_is_the_fiche_inserted_after_the_title():
    nb = nbs.learner_notebook(notebook(text("# Titre"), code("x = 1")), fiche="**Durée :** 20 min")
    assert [c.source for c in nb.cells] == ["# Titre", "**Durée :** 20 min", "x = 1"]


def test_are_solution_texts_listed_for_leak_checks():
    src = notebook(text("# Titre"), code(REGION), text("Corrigé : 42", tags=["solution"]))
    assert nbs.solution_texts(src) == ["    return round(x * 0.6)", "Corrigé : 42"]


@pytest.mark.parametrize(
    "cells, message",
    [
        ((code("# BEGIN SOLUTION\nx = 1"),), "non fermé"),
        ((code("x = 1\n# END SOLUTION"),), "sans « BEGIN SOLUTION »"),
        ((code("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION"),), "imbriqué"),
        ((code("### BEGIN SOLUTION\nx\n### END SOLUTION"),), "marqueur inconnu"),
        ((code("# BEGIN HIDDEN TESTS\nx"),), "marqueur inconnu"),
        ((text("# BEGIN SOLUTION\nx\n# END SOLUTION"),), "cellule de texte"),
        ((code("x = 1", tags=["solutions"]),), "étiquette inconnue « solutions »"),
        ((code("# BEGIN SOLUTION\nx\n# END SOLUTION", tags=["solution"]),), "ET marqueurs"),
        ((text("x", tags=["solution", "enonce"]),), "à la fois"),
    ],
)
def test_are_marker_errors_located_by_file_and_cell(cells, message):
    nb = notebook(text("# Titre"), *cells)
    with pytest.raises(nbs.MarkerError) as error:
        nbs.check_markers(nb, "exercises/essai.md")
    assert str(error.value).startswith("exercises/essai.md, cellule 2 : ")
    assert message in str(error.value)


def test_are_well_formed_sources_accepted():
    nbs.check_markers(
        notebook(text("# Titre"), code(REGION), code("x", tags=["raises-exception"])), "ok.md"
    )


def test_are_pandas_scoped_styles_removed_from_html_outputs():
    out = nbformat.v4.new_output(
        "execute_result",
        data={
            "text/html": (
                "<div>\n<style scoped>\n.dataframe th {x: y}\n</style>\n"
                '<table class="dataframe"></table></div>'
            )
        },
    )
    nb = nbs.drop_scoped_styles(notebook(code("df", outputs=[out])))
    assert (
        nb.cells[0].outputs[0]["data"]["text/html"]
        == '<div>\n<table class="dataframe"></table></div>'
    )
