"""course.checks: the trainer edition fails when a solution does not pass its own check."""

from __future__ import annotations

import re

import nbformat
from conftest import copy_root, edit, failed_build
from test_notebooks import code, notebook, text

from course import checks


def ran(source: str, printed: str):
    cell = code(source)
    if printed:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    return cell


def test_the_symbols_are_those_verif_prints(capsys):
    from course import verif

    verif.verifier("Q", 12, verif.empreinte(12), indice="…")
    verif.verifier("Q", 13, verif.empreinte(12), indice="…")
    verif.verifier("Q", ..., verif.empreinte(12), indice="…")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(checks.PASSED)
    assert lines[1].startswith(checks.NOT_PASSED[0]) and lines[2].startswith(checks.NOT_PASSED[1])


def test_check_cells_must_print_only_passing_lines():
    nb = notebook(
        text("# Titre"),
        ran("verifier('Q1', x, 'abc', indice='i')", "✅ Q1 : correct.\n"),
        ran("verifier('Q2', y, 'abc', indice='i')", "❌ Q2 : pas encore. Indice : i\n"),
        ran("print('pas une vérification')", "❌ rien à voir\n"),
        ran("verifier('Q3', z, 'abc', indice='i')", "✅ Q3 : correct.\n✏️ Q4 : à compléter.\n"),
        ran("verifier('Q5', t, 'abc', indice='i')", ""),
    )
    assert checks.failures(nb) == [
        (2, "❌ Q2 : pas encore. Indice : i"),
        (4, "✏️ Q4 : à compléter."),
        (5, "aucun résultat de vérification affiché"),
    ]


def test_messages_name_the_source_cell():
    source = notebook(
        text("# Titre"),
        text("Consigne", tags=["enonce"]),
        code("x = ...\n# BEGIN SOLUTION\nx = 1\n# END SOLUTION"),
        code("verifier('Q', x, 'abc', indice='i')"),
    )
    executed = notebook(
        text("# Titre"),
        text("Fiche"),
        ran("x = ...\nx = 1", ""),
        ran("verifier('Q', x, 'abc', indice='i')", "❌ Q : pas encore. Indice : i\n"),
    )
    (message,) = checks.messages("exercises/e.md", source, executed)
    assert message.startswith(
        "exercises/e.md, cellule 4 : la solution ne passe pas sa propre vérification "
        "(« ❌ Q : pas encore. Indice : i »)"
    )


def test_wrong_answer_fingerprint_fails_the_trainer_build(tmp_path, capsys):
    src = copy_root("exercise", tmp_path)
    edit(src / "exercises" / "essai.md", '"67df35f118afdf91"', '"67df35f118afdf92"')
    err = failed_build(src, capsys, "-D", "course_edition=formateur")
    assert re.search(
        r"exercises/essai\.md, cellule 5 : la solution ne passe pas sa propre vérification "
        r"\(« ❌ Question 1 — population totale : pas encore\. Indice : Additionnez",
        err,
    )
