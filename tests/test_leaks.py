"""course.leaks and the build's last guard: a forced leak fails the build, located."""

from __future__ import annotations

import re

import pytest
from conftest import ROOTS, copy_root, failed_build
from test_notebooks import REGION, code, notebook, text

from course import exercises, leaks

SOURCE = ROOTS / "test-exercise" / "exercises" / "essai.md"
DATA = SOURCE.parent / "donnees"
SOLUTION = 'total = int(quartiers["population"].sum())'


def test_secrets_are_the_distinctive_solution_lines_with_their_cell():
    src = notebook(
        text("# Titre"),
        code(REGION),
        text("Corrigé : la réponse est 42 habitants.\n# Un titre\ncourt", tags=["solution"]),
        code('print("une ligne publique assez longue")'),
        code('x = 1\nprint("une ligne publique assez longue")', tags=["solution"]),
    )
    assert leaks.secrets(src) == [
        leaks.Secret(2, "return round(x * 0.6)"),
        leaks.Secret(3, "Corrigé : la réponse est 42 habitants."),
    ]


def test_learner_outputs_hold_no_secret_and_trainer_outputs_hold_them_all():
    ex = exercises.load(SOURCE, DATA)
    found = leaks.secrets(ex.source)
    assert [s.line for s in found] == [
        SOLUTION,
        "Corrigé : la somme vaut 5 400 habitants, soit SECRET-CORRIGE.",
    ]
    assert leaks.found_in(found, leaks.notebook_text(exercises.learner(ex))) == []
    raw = exercises.dumps(exercises.trainer(ex))
    assert leaks.found_in(found, raw) == found[1:]  # the JSON escapes the code's quotes…
    assert leaks.found_in(found, leaks.notebook_text(raw)) == found  # …so it is parsed
    assert leaks.in_zip(found, exercises.make_zip(ex, exercises.learner(ex), DATA)) == []
    leaked = leaks.in_zip(found, exercises.make_zip(ex, exercises.trainer(ex), DATA))
    assert leaked == [("essai/essai.ipynb", s) for s in found]


def test_highlighted_html_is_searched_as_text():
    page = (
        '<div class="highlight"><pre><span class="n">total</span> <span class="o">=</span> '
        '<span class="nb">int</span><span class="p">(</span><span class="n">quartiers</span>'
        '<span class="p">[</span><span class="s2">&quot;population&quot;</span><span class="p">]'
        '</span><span class="o">.</span><span class="n">sum</span><span class="p">())</span></pre>'
    )
    found = [leaks.Secret(4, SOLUTION)]
    assert leaks.found_in(found, leaks.html_text(page)) == found
    assert leaks.found_in(found, page) == []  # the raw HTML would hide it


@pytest.fixture
def leaky(monkeypatch):
    """Force a leak: the « learner » notebook is the trainer's."""
    monkeypatch.setattr(exercises, "learner", exercises.trainer)


def test_forced_leak_in_notebook_and_download_fails_the_build_unwritten(tmp_path, capsys, leaky):
    src = copy_root("exercise", tmp_path)
    err = failed_build(src, capsys)
    where = r"exercises/essai\.md, cellule 4 : une ligne réservée au formateur se retrouve dans "
    assert re.search(where + r"une sortie apprenant \(exercices/essai\.ipynb\)", err)
    zipped = r"\(exercices/_telechargements/essai\.zip, essai/essai\.ipynb\)"
    assert re.search(where + r"une sortie apprenant " + zipped, err)
    assert re.search(r"essai\.md, cellule 6 : .*SECRET-CORRIGE", err)
    assert not (src / "exercices" / "_telechargements" / "essai.zip").exists()


def test_forced_leak_in_a_learner_page_fails_the_build_and_removes_it(
    tmp_path, capsys, leaky, monkeypatch
):
    from course.sphinxext import leaks as guard

    monkeypatch.setattr(guard, "check_outputs", lambda *args: False)  # upstream guard missed it
    src = copy_root("exercise", tmp_path)
    err = failed_build(src, capsys)
    assert re.search(r"essai\.md, cellule 4 : .*\(\S*_fail/exercices/essai\.html\) : « total", err)
    assert not (src / "_fail" / "exercices" / "essai.html").exists()
    assert (src / "_fail" / "modules" / "m.html").exists()  # only the leaking page goes


def test_forced_leak_stops_make_notebooks(tmp_path, capsys, leaky):
    from course import cli

    out = tmp_path / "notebooks"
    assert cli.main(["notebooks", "--source", str(SOURCE.parent), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"Erreur : \S*essai\.md, cellule 4 : une ligne réservée au formateur", err)
    assert str(out / "essai" / "essai.ipynb") in err
    assert not out.exists()
