"""Every real exercise: the trainer notebook passes, the learner notebook runs and says
« à compléter », and every check is shown to fail on a wrong answer (mutation)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from course import execute, exercises, notebooks

SOURCES = exercises.discover(ROOT / "exercises")
DATA = ROOT / "exercises" / "donnees"
CACHE = ROOT / "_build" / ".cache" / "notebooks"
CHECK = re.compile(r"verifier\(\s*\n?\s*(?P<q>\"[^\"]+\"|'[^']+')", re.M)

pytestmark = pytest.mark.slow

MUTATE = """
import copy as _copy, numbers as _numbers
import verif as _verif
_original = _verif.verifier
def _mutate(v):
    try:
        import pandas as _pd
        if isinstance(v, (_pd.Series, _pd.DataFrame)):
            return v.iloc[:-1] if len(v) > 1 else v * 2 + 1
    except ImportError:
        pass
    if isinstance(v, bool):
        return not v
    if isinstance(v, _numbers.Number):
        return v + 1 if v == v else 0
    if isinstance(v, str):
        return v + " (modifié)"
    if isinstance(v, (list, tuple)):
        return type(v)(list(v)[:-1]) if len(v) > 1 else type(v)(list(v) + [0])
    if isinstance(v, (set, frozenset)):
        return type(v)(list(v)[:-1]) if len(v) > 1 else type(v)({"__autre__"})
    if isinstance(v, dict):
        keys = list(v)
        return {k: v[k] for k in keys[:-1]} if len(keys) > 1 else {"__autre__": 0}
    if hasattr(v, "__add__"):
        return v + 1
    return None
def _mutated(question, valeur, attendu, **kwargs):
    return _original(question, _mutate(_copy.deepcopy(valeur)), attendu, **kwargs)
_verif.verifier = _mutated
"""
REPORT = 'import json as _json, verif as _verif\nprint("@@" + _json.dumps(_verif.RESULTATS))'


def ids(path: Path) -> str:
    return path.stem


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder laid out like a download: verif.py and donnees/ next to the notebooks."""
    folder = tmp_path_factory.mktemp("exercices")
    loaded = [exercises.load(p, DATA) for p in SOURCES]
    exercises.prepare_workdir(folder, DATA, [n for ex in loaded for n in ex.donnees])
    return folder


def run(nb, folder: Path, name: str, cache=True) -> dict[str, str]:
    nb = nbformat.from_dict(nb)
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    inputs = sorted(p for p in folder.rglob("*") if p.is_file())
    done, _ = execute.execute(nb, folder, inputs, CACHE if cache else None, name=name)
    text = "".join(o.get("text", "") for o in done.cells[-1].outputs)
    return json.loads(text.split("@@", 1)[1])


def questions(source_nb) -> list[str]:
    found = []
    for cell in source_nb.cells:
        if cell.cell_type == "code":
            found += [m["q"][1:-1] for m in CHECK.finditer(cell.source)]
    return found


def test_there_are_exercises():
    assert len(SOURCES) >= 1


@pytest.mark.parametrize("path", SOURCES, ids=ids)
def test_trainer_notebook_passes_every_check(path, workdir):
    ex = exercises.load(path, DATA)
    expected = questions(ex.source)
    assert expected, "an exercise has at least one check"
    results = run(exercises.trainer(ex), workdir, f"{path} (formateur)")
    assert results == {q: "correct" for q in expected}


@pytest.mark.parametrize("path", SOURCES, ids=ids)
def test_learner_notebook_runs_and_every_check_says_to_complete(path, workdir):
    ex = exercises.load(path, DATA)
    learner = exercises.learner(ex)
    results = run(learner, workdir, f"{path} (apprenant)")
    assert results == {q: "a_completer" for q in questions(ex.source)}


@pytest.mark.parametrize("path", SOURCES, ids=ids)
def test_every_check_fails_on_a_wrong_answer(path, workdir):
    ex = exercises.load(path, DATA)
    trainer = exercises.trainer(ex)
    trainer.cells.insert(0, nbformat.v4.new_code_cell(MUTATE))
    results = run(trainer, workdir, f"{path} (mutation)", cache=False)
    assert results == {q: "faux" for q in questions(ex.source)}


@pytest.mark.parametrize("path", SOURCES, ids=ids)
def test_no_solution_text_reaches_the_learner(path):
    ex = exercises.load(path, DATA)
    learner = exercises.dumps(exercises.learner(ex))
    secrets = notebooks.solution_texts(ex.source)
    for secret in secrets:
        for line in secret.splitlines():
            line = line.strip()
            if len(line) > 12 and not line.startswith("#"):
                assert line not in learner, f"solution line in learner notebook: {line!r}"


@pytest.mark.parametrize("path", SOURCES, ids=ids)
def test_exercise_declares_provenance_and_a_chart_description_when_it_draws(path):
    ex = exercises.load(path, DATA)
    text = "\n".join(c.source for c in ex.source.cells if c.cell_type == "markdown").lower()
    assert "licence" in text or "fictiv" in text, "a provenance cell (origin, licence, vintage)"
    code = "\n".join(c.source for c in ex.source.cells if c.cell_type == "code")
    if "plt." in code or ".plot(" in code:
        assert "set_title" in code or "plt.title" in code or "suptitle" in code
        assert ("set_xlabel" in code or "plt.xlabel" in code) and (
            "set_ylabel" in code or "plt.ylabel" in code
        )
