"""Unchanged exercises are not generated again; anything that changed is (course.records).

A tiny course with two exercises (test-exercise's ``essai``, which uses a data file, and
``autre``, which uses none), built in place so that its records hold. What a build did is read
in its log line « [course] N exercice(s), K exécuté(s), C repris du cache, R inchangé(s) … »,
in the exercises it loaded (a spy on ``course.exercises.load``) and in the files' bytes and
modification times.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import build, copy_root, edit, failed_build, write

from course import exercises, leaks, records

AUTRE = """\
---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
course:
  duree: 10
  module: m
  objectifs:
    - Calculer le double d'un nombre.
  objectifs_module: [total]
---

# Exercice : un double

Calculez le double de 21.

```{code-cell} ipython3
double = ...
# BEGIN SOLUTION
double = 2 * 21 + 0 * 1000
# END SOLUTION
double
```
"""
LOG = re.compile(
    r"\[course\] (\d+) exercice\(s\), (\d+) exécuté\(s\), (\d+) repris du cache, "
    r"(\d+) inchangé\(s\) depuis la dernière construction"
)
SECRET = 'total = int(quartiers["population"].sum())'


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> Path:
    """The execution cache of the tiny course, filled once (kernels run here only)."""
    src = _course(tmp_path_factory.mktemp("cache"))
    build(src, src / "_build" / "apprenant")
    build(src, src / "_build" / "formateur", edition="formateur")
    return src / "_build" / ".cache" / "notebooks"


def _course(base: Path) -> Path:
    src = copy_root("exercise", base)
    write(src / "exercises" / "autre.md", AUTRE)
    edit(src / "index.md", "exercices/essai\n", "exercices/essai\nexercices/autre\n")
    return src


@pytest.fixture
def course(tmp_path, executed) -> Path:
    """A fresh copy of the tiny course, with the execution cache already filled."""
    src = _course(tmp_path)
    shutil.copytree(executed, src / "_build" / ".cache" / "notebooks")
    return src


@pytest.fixture
def loads(monkeypatch) -> list[str]:
    """The exercises each build loads (parses, checks, generates), in order."""
    loaded: list[str] = []
    original = exercises.load

    def spy(path, *args, **kwargs):
        loaded.append(path.stem)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(exercises, "load", spy)
    return loaded


def rebuild(src: Path, edition: str = "apprenant", **overrides):
    """An incremental build of ``edition`` in place (what ``make`` does)."""
    return build(src, src / "_build" / edition, edition=edition, freshenv=False, **overrides)


def counts(result) -> dict[str, int]:
    match = LOG.search(result.app.status.getvalue())
    assert match, result.app.status.getvalue()
    keys = ("exercices", "executes", "du_cache", "inchanges")
    return dict(zip(keys, map(int, match.groups()), strict=True))


def outputs(src: Path, edition: str = "apprenant") -> dict[str, Path]:
    """What generation writes for both exercises, by short name."""
    out, cache = src / "exercices", src / "_build" / ".cache"
    found = {}
    for slug in ("essai", "autre"):
        found[f"{slug}.ipynb"] = out / f"{slug}.ipynb"
        found[f"{slug}.zip"] = out / "_telechargements" / f"{slug}.zip"
        found[f"{slug} page"] = cache / "pages" / edition / f"{slug}.ipynb"
    found["records"] = cache / records.FOLDER / f"{edition}.json"
    return found


def stamps(paths: dict[str, Path]) -> dict[str, tuple[str, int]]:
    return {
        name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for name, p in paths.items()
    }


def record_files(src: Path, slug: str, edition: str = "apprenant") -> list[Path]:
    """The files an exercise's record lists (cache entries read, files written)."""
    path = src / "_build" / ".cache" / records.FOLDER / f"{edition}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Path(p) for p in data["records"][slug]["files"]]


def test_a_rebuild_without_change_generates_nothing(course, loads):
    first = rebuild(course)
    assert first.warnings == ""
    assert counts(first) == {"exercices": 2, "executes": 0, "du_cache": 2, "inchanges": 0}
    assert loads == ["autre", "essai"]
    before = stamps(outputs(course))
    page = first.html("exercices/essai.html")
    loads.clear()

    again = rebuild(course)
    assert again.warnings == ""
    assert counts(again) == {"exercices": 2, "executes": 0, "du_cache": 0, "inchanges": 2}
    assert loads == []  # nothing parsed, checked, zipped or executed
    assert stamps(outputs(course)) == before  # nothing written, not even the records
    assert again.app.env.course_exercises == first.app.env.course_exercises
    assert again.app.env.course_executed == 0
    # the leak guard of the pages still has every solution line, from the record
    source, found = again.app.course_secrets["essai"]
    assert source == str(course / "exercises" / "essai.md")
    assert [s.line for s in found] == [
        SECRET,
        "Corrigé : la somme vaut 5 400 habitants, soit SECRET-CORRIGE.",
    ]
    assert [s.line for s in again.app.course_secrets["autre"][1]] == ["double = 2 * 21 + 0 * 1000"]
    assert again.html("exercices/essai.html") == page
    assert "SECRET-CORRIGE" not in page and "Écrivez votre code ici" in page


def test_the_two_editions_keep_their_own_records(course, loads):
    rebuild(course)
    trainer = rebuild(course, "formateur")
    assert counts(trainer)["inchanges"] == 0 and loads == ["autre", "essai"] * 2
    assert "SECRET-CORRIGE" in trainer.html("exercices/essai.html")
    loads.clear()
    learner = rebuild(course)  # the files both editions write are the same: still valid
    assert counts(learner)["inchanges"] == 2 and loads == []
    assert "SECRET-CORRIGE" not in learner.html("exercices/essai.html")
    trainer = rebuild(course, "formateur")
    assert counts(trainer)["inchanges"] == 2 and loads == []
    assert "SECRET-CORRIGE" in trainer.html("exercices/essai.html")


def test_an_edited_source_is_generated_again_and_alone(course, loads):
    rebuild(course)
    autre = stamps({k: v for k, v in outputs(course).items() if k.startswith("autre")})
    loads.clear()
    with (course / "exercises" / "essai.md").open("a", encoding="utf-8") as source:
        source.write("\nUne phrase de plus.\n")
    prose = rebuild(course)
    assert loads == ["essai"]
    assert counts(prose) == {"exercices": 2, "executes": 0, "du_cache": 1, "inchanges": 1}
    assert "Une phrase de plus." in prose.html("exercices/essai.html")
    assert stamps({k: v for k, v in outputs(course).items() if k.startswith("autre")}) == autre
    loads.clear()
    edit(course / "exercises" / "essai.md", "quartiers\n```", "quartiers.head(2)\n```")
    code = rebuild(course)  # a code cell changed: executed again
    assert loads == ["essai"]
    assert counts(code) == {"exercices": 2, "executes": 1, "du_cache": 0, "inchanges": 1}
    loads.clear()
    assert counts(rebuild(course))["inchanges"] == 2 and loads == []


def test_a_changed_data_file_regenerates_the_exercises_that_use_it(course, loads):
    rebuild(course)
    loads.clear()
    data = course / "exercises" / "donnees" / "quartiers.csv"
    data.write_text(data.read_text(encoding="utf-8") + "QD,100\n", encoding="utf-8")
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    (data.parent / "SHA256SUMS").write_text(f"{digest}  quartiers.csv\n", encoding="utf-8")
    result = rebuild(course)
    assert loads == ["essai"]  # autre uses no data
    assert counts(result) == {"exercices": 2, "executes": 1, "du_cache": 0, "inchanges": 1}
    archive = zipfile.ZipFile(outputs(course)["essai.zip"])
    assert archive.read("essai/donnees/quartiers.csv").endswith(b"QD,100\n")
    assert (course / "exercices" / "donnees" / "quartiers.csv").read_bytes() == data.read_bytes()


def test_a_changed_data_readme_regenerates_the_downloads_that_carry_it(course, loads):
    rebuild(course)
    loads.clear()
    with (course / "exercises" / "donnees" / "README.md").open("a", encoding="utf-8") as readme:
        readme.write("\nUne ligne de plus.\n")
    result = rebuild(course)
    assert loads == ["essai"] and counts(result)["executes"] == 0
    archive = zipfile.ZipFile(outputs(course)["essai.zip"])
    assert archive.read("essai/donnees/README.md").endswith(b"Une ligne de plus.\n")


def test_a_changed_verif_py_regenerates_every_exercise(course, loads, monkeypatch, tmp_path):
    rebuild(course)
    loads.clear()
    helper = tmp_path / "verif.py"
    helper.write_bytes(exercises.HELPER.read_bytes() + b"\n# une ligne de plus\n")
    monkeypatch.setattr(exercises, "HELPER", helper)
    result = rebuild(course)
    assert loads == ["autre", "essai"]
    assert counts(result) == {"exercices": 2, "executes": 2, "du_cache": 0, "inchanges": 0}
    archive = zipfile.ZipFile(outputs(course)["autre.zip"])
    assert archive.read("autre/verif.py").endswith(b"# une ligne de plus\n")


@pytest.mark.parametrize(
    "setting",
    [
        {"course_binder_url": "https://binder.exemple.org"},
        {"course_launch_path": "notebooks/{slug}/{slug}.ipynb"},
        {"course_execute_timeout": 60},
        {"course_execute": False},
    ],
    ids=lambda s: next(iter(s)),
)
def test_a_changed_setting_regenerates_every_exercise(course, loads, setting):
    rebuild(course)
    loads.clear()
    result = rebuild(course, **setting)
    assert loads == ["autre", "essai"] and counts(result)["inchanges"] == 0
    loads.clear()
    assert counts(rebuild(course, **setting))["inchanges"] == 2 and loads == []


def _append(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n")


def _entry(folder: str, suffix: str):
    """The cache entry of ``essai`` in ``folder`` that its record lists."""

    def find(src: Path) -> Path:
        found = [
            p
            for p in record_files(src, "essai")
            if p.parent.name == folder and p.name.endswith(suffix)
        ]
        assert len(found) == 1, found
        return found[0]

    return find


DAMAGES = {
    "notebook-altered": (lambda s: s / "exercices" / "essai.ipynb", _append),
    "download-removed": (lambda s: s / "exercices/_telechargements/essai.zip", Path.unlink),
    "page-altered": (lambda s: s / "_build/.cache/pages/apprenant/essai.ipynb", _append),
    "page-removed": (lambda s: s / "_build/.cache/pages/apprenant/essai.ipynb", Path.unlink),
    "parsed-source-altered": (_entry("sources", ".pickle"), _append),
    "zip-digest-removed": (_entry("zips", ".zip.sha256"), Path.unlink),
    "execution-entry-removed": (_entry("notebooks", ".ipynb"), Path.unlink),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_an_altered_or_removed_file_is_generated_again(course, loads, damage):
    locate, spoil = DAMAGES[damage]
    rebuild(course)
    good = {name: path.read_bytes() for name, path in outputs(course).items() if "essai" in name}
    loads.clear()
    spoil(locate(course))
    result = rebuild(course)
    assert result.warnings == ""
    assert loads == ["essai"]
    assert counts(result)["executes"] == (1 if damage == "execution-entry-removed" else 0)
    again = {n: p.read_bytes() for n, p in outputs(course).items() if "essai" in n}
    if damage == "execution-entry-removed":  # run again: its metadata may differ
        del again["essai page"], good["essai page"]
    assert again == good
    loads.clear()
    assert counts(rebuild(course))["inchanges"] == 2 and loads == []


def test_a_corrupted_zip_in_the_cache_is_reported_and_gets_no_record(course, loads):
    rebuild(course)
    loads.clear()
    entry = _entry("zips", ".zip")(course)
    entry.write_bytes(entry.read_bytes()[:-40] + b"x" * 40)
    first = rebuild(course)
    assert loads == ["essai"]
    assert f"{entry} : fichier du cache modifié depuis son écriture" in first.warnings
    loads.clear()
    second = rebuild(course)  # no record after a warning: generated, now from a sound cache
    assert loads == ["essai"] and second.warnings == ""
    loads.clear()
    assert counts(rebuild(course))["inchanges"] == 2 and loads == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short: not JSON
        lambda text: text.replace("SECRET-CORRIGE", "SECRET-CHANGE"),  # its digest differs
        lambda text: text.replace('"format": 1', '"format": 0'),  # another layout
    ],
    ids=["cut-short", "edited", "other-format"],
)
def test_a_damaged_record_file_holds_no_record(course, loads, damage):
    rebuild(course)
    loads.clear()
    path = outputs(course)["records"]
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert records.Store(path).records == {}
    result = rebuild(course)
    assert loads == ["autre", "essai"] and counts(result)["inchanges"] == 0
    assert "SECRET-CORRIGE" in path.read_text(encoding="utf-8")  # written anew


def test_another_version_of_the_code_regenerates_every_exercise(
    course, loads, monkeypatch, tmp_path
):
    rebuild(course)
    loads.clear()
    code = tmp_path / "course"
    shutil.copytree(records.PACKAGE, code, ignore=shutil.ignore_patterns("__pycache__"))
    with (code / "notebooks.py").open("a", encoding="utf-8") as module:
        module.write("\n# une ligne de plus\n")
    monkeypatch.setattr(records, "PACKAGE", code)  # what code_digest() reads
    result = rebuild(course)
    assert loads == ["autre", "essai"] and counts(result)["inchanges"] == 0


def test_a_failing_self_test_is_reported_at_every_build(course, loads):
    """Without -W the trainer build succeeds with a warning; the exercise gets no record,
    so the warning comes back at every build until the solution is fixed."""
    assert rebuild(course, "formateur").warnings == ""
    loads.clear()
    edit(course / "exercises" / "essai.md", ".sum())\n# END", ".sum()) + 1\n# END")
    for _ in range(2):
        result = rebuild(course, "formateur")
        assert "la solution ne passe pas sa propre vérification" in result.warnings
        assert loads == ["essai"] and counts(result)["inchanges"] == 1  # autre
        loads.clear()


def test_a_leak_in_an_edited_exercise_is_caught_on_rebuild(course, capsys, monkeypatch):
    rebuild(course)
    monkeypatch.setattr(exercises, "learner", exercises.trainer)  # an upstream bug
    with (course / "exercises" / "essai.md").open("a", encoding="utf-8") as source:
        source.write("\nUne phrase de plus.\n")
    before = stamps(outputs(course))
    err = failed_build(course, capsys)
    where = r"essai\.md, cellule 4 : une ligne réservée au formateur se retrouve dans "
    assert re.search(where + r"une sortie apprenant \(exercices/essai\.ipynb\)", err)
    assert re.search(where + r"une sortie apprenant \(exercices/_telechargements/essai\.zip", err)
    # autre is unchanged: its outputs on disk, checked when written, are kept as they are
    assert "autre.md" not in err
    assert stamps(outputs(course)) == before  # nothing written, the records as they were


def test_a_leak_in_an_edited_exercise_page_is_caught_and_leaves_no_record(
    course, capsys, monkeypatch
):
    """The guard before writing misses the leak (patched out): the page check at
    build-finished catches it, and the build keeps no record of the leaking exercise."""
    from course.sphinxext import leaks as guard

    rebuild(course)
    records_before = outputs(course)["records"].read_bytes()
    monkeypatch.setattr(exercises, "learner", exercises.trainer)
    monkeypatch.setattr(guard, "check_outputs", lambda *args: False)
    with (course / "exercises" / "essai.md").open("a", encoding="utf-8") as source:
        source.write("\nUne phrase de plus.\n")
    err = failed_build(course, capsys)
    assert re.search(r"essai\.md, cellule 4 : .*\(\S*_fail/exercices/essai\.html\) : « total", err)
    assert not (course / "_fail" / "exercices" / "essai.html").exists()
    assert outputs(course)["records"].read_bytes() == records_before
    monkeypatch.undo()  # the bug fixed: the edited exercise is generated again, cleanly
    result = rebuild(course)
    assert counts(result)["inchanges"] == 1  # autre
    page = result.html("exercices/essai.html")
    assert "Une phrase de plus." in page and "SECRET-CORRIGE" not in page
    assert not leaks.found_in(result.app.course_secrets["essai"][1], leaks.html_text(page))
