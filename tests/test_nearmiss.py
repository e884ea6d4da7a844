"""course.nearmiss: marker and tag typos are errors naming the file and the cell."""

from __future__ import annotations

import re

import pytest
from conftest import copy_root, edit, failed_build
from test_notebooks import REGION, code, notebook, text

from course import exercises, nearmiss
from course import notebooks as nbs


@pytest.mark.parametrize(
    "line",
    [
        "# begin solution",
        "# Begin Solution",
        "# BEGN SOLUTION",
        "# ED SOLUTION",
        "# End Solution",
        "# BEGINSOLUTION",
        "#begin-solution",
        "# DÉBUT SOLUTION",
        "# FIN DE LA SOLUTION",
        "## solution ##",
        "# Corrigé",
    ],
)
def test_near_miss_markers_are_errors_naming_file_cell_and_line(line):
    nb = notebook(text("# Titre"), code(f"x = ...\n{line}\nx = 1"))
    with pytest.raises(nbs.MarkerError) as error:
        nearmiss.check(nb, "exercises/essai.md")
    message = str(error.value)
    assert message.startswith(f"exercises/essai.md, cellule 2 : « {line.strip()} » (ligne 2")
    assert "ressemble à un marqueur de solution" in message


@pytest.mark.parametrize(
    "metadata, message",
    [
        ({"tag": ["solution"]}, "clé de métadonnées « tag » : écrivez « tags »"),
        ({"Tags": ["solution"]}, "clé de métadonnées « Tags »"),
        ({"TAGS": ["enonce"]}, "clé de métadonnées « TAGS »"),
        ({"solution": True}, "une étiquette s'écrit"),
        ({"tags": "solution"}, "doit être une liste de textes"),
        ({"tags": ["Solution"]}, "étiquette « Solution » : vouliez-vous dire « solution » ?"),
        ({"tags": ["solutions"]}, "vouliez-vous dire « solution » ?"),
        ({"tags": ["énoncé"]}, "vouliez-vous dire « enonce » ?"),
    ],
)
def test_misspelt_metadata_keys_and_tags_are_errors(metadata, message):
    cell = text("Corrigé : 42")
    cell.metadata.update(metadata)
    with pytest.raises(nbs.MarkerError) as error:
        nearmiss.check(notebook(text("# Titre"), cell), "exercises/essai.md")
    assert str(error.value).startswith("exercises/essai.md, cellule 2 : ")
    assert message in str(error.value)


@pytest.mark.parametrize(
    "comment",
    [
        "# Résolution graphique",  # a word two edits away from SOLUTION is another word
        "# Solution attendue : on additionne les populations des trois quartiers",
        "# Votre réponse",
        "# Exemple sur trois carreaux : les deux premiers se touchent.",
        "# valeurs corrigées",
        "# fin du calcul",
    ],
)
def test_ordinary_comments_and_real_markers_are_accepted(comment):
    nb = notebook(
        text("# Titre"),
        code(REGION),
        code(f"{comment}\nx = 1", tags=["hide-input"]),
        text("Corrigé", tags=["solution"]),
    )
    nb.cells[2].metadata["alt"] = "Un texte alternatif."
    nearmiss.check(nb, "ok.md")


def test_every_real_exercise_is_free_of_near_misses():
    from conftest import ROOT

    for path in exercises.discover(ROOT / "exercises"):
        nearmiss.check(exercises.read_source(path), str(path))


def test_distance_counts_a_swap_as_one_edit():
    assert nearmiss.distance("SOLUTOIN", "SOLUTION") == 1
    assert nearmiss.distance("BEGN SOLUTION", nbs.BEGIN) == 1
    assert nearmiss.distance("RESOLUTION", "SOLUTION") == 2
    assert nearmiss.distance("", "END") == 3


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("# BEGIN SOLUTION\n", "# BEGN SOLUTION\n", "« # BEGN SOLUTION » (ligne 2"),
        ("# END SOLUTION\n", "# end solution\n", "« # end solution » (ligne 4"),
    ],
)
def test_near_miss_marker_fails_the_build_naming_file_and_cell(tmp_path, capsys, old, new, message):
    src = copy_root("exercise", tmp_path)
    edit(src / "exercises" / "essai.md", old, new)
    err = failed_build(src, capsys)
    assert re.search(r"exercises/essai\.md, cellule 4 : " + re.escape(message), err)


def test_misspelt_tags_key_fails_the_build(tmp_path, capsys):
    src = copy_root("exercise", tmp_path)
    edit(src / "exercises" / "essai.md", '+++ {"tags": ["solution"]}', '+++ {"tag": ["solution"]}')
    err = failed_build(src, capsys)
    assert re.search(r"exercises/essai\.md, cellule 6 : clé de métadonnées « tag »", err)
