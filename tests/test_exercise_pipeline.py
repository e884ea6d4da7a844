"""Exercise pipeline on a tiny root: generation, goldens, editions, downloads, links, errors.

Golden notebooks live in tests/golden/; regenerate them with ``UPDATE_GOLDEN=1 pytest …``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, ROOTS, build, copy_root, edit, failed_build

from course import execute, exercises, notebooks

GOLDEN = Path(__file__).parent / "golden"
SOURCE = ROOTS / "test-exercise" / "exercises" / "essai.md"
DATA = SOURCE.parent / "donnees"


@pytest.mark.parametrize("edition", ["apprenant", "formateur"])
def test_generated_notebooks_match_the_goldens(edition):
    ex = exercises.load(SOURCE, DATA)
    nb = exercises.learner(ex) if edition == "apprenant" else exercises.trainer(ex)
    produced = exercises.dumps(nb)
    golden = GOLDEN / f"essai-{edition}.ipynb"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", exercises.discover(ROOT / "exercises"), ids=lambda p: p.stem)
def test_every_generated_notebook_is_valid_nbformat(source):
    """Generation skips nbformat's validation (it is slow): the notebooks must be valid."""
    ex = exercises.load(source, source.parent / exercises.DATA_DIR)
    for nb in (exercises.learner(ex), exercises.trainer(ex)):
        written = nbformat.reads(exercises.dumps(nb), as_version=4)
        nbformat.validate(written)  # raises ValidationError
        assert [c.id for c in written.cells] == [f"cell-{i}" for i in range(1, len(nb.cells) + 1)]


def test_zips_are_deterministic_and_self_contained():
    ex = exercises.load(SOURCE, DATA)
    first = exercises.make_zip(ex, exercises.learner(ex), DATA)
    assert first == exercises.make_zip(ex, exercises.learner(ex), DATA)
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert names == [
        "essai/AVANT-DE-COMMENCER.md",
        "essai/donnees/README.md",
        "essai/donnees/SHA256SUMS",
        "essai/donnees/quartiers.csv",
        "essai/essai.ipynb",
        "essai/requirements.txt",
        "essai/verif.py",
    ]
    links = [("https://mybinder.org/v2/gh/x/y/z", "Ouvrir dans Binder")]
    with_links = exercises.make_zip(ex, exercises.learner(ex), DATA, links=links)
    assert with_links == exercises.make_zip(ex, exercises.learner(ex), DATA, links=links)
    guide = zipfile.ZipFile(io.BytesIO(with_links)).read("essai/AVANT-DE-COMMENCER.md").decode()
    assert "[Ouvrir dans Binder](https://mybinder.org/v2/gh/x/y/z)" in guide


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    src = copy_root("exercise", tmp_path_factory.mktemp("ex"))
    learner = build(src, src / "_build" / "a")
    trainer = build(src, src / "_build" / "f", edition="formateur")
    return src, learner, trainer


def test_both_editions_build_cleanly(sites):
    _, learner, trainer = sites
    assert learner.warnings == "" and trainer.warnings == ""


def test_learner_page_has_no_solution_and_checks_say_to_complete(sites):
    _, learner, _ = sites
    page = learner.html("exercices/essai.html")
    assert 'quartiers["population"].sum()' not in page.replace("&quot;", '"')
    assert "SECRET-CORRIGE" not in page
    assert "Écrivez votre code ici" in page
    assert "à compléter" in page and "correct." not in page


def test_trainer_page_shows_the_solution_and_passing_checks(sites):
    _, _, trainer = sites
    text = BeautifulSoup(trainer.html("exercices/essai.html"), "html.parser").get_text()
    assert 'quartiers["population"].sum()' in text
    assert "SECRET-CORRIGE" in text
    assert "✅ Question 1 — population totale : correct." in text
    assert "Vérifiez votre réponse" not in text  # learner-only prompt


def test_module_links_to_the_exercise_by_slug(sites):
    _, learner, _ = sites
    link = BeautifulSoup(learner.html("modules/m.html"), "html.parser").select_one(
        "a.reference.internal[href='../exercices/essai.html']"
    )
    assert link is not None and link.get_text() == "Exercice : population totale"


def test_download_and_launch_links_under_the_title(sites):
    _, learner, trainer = sites
    html = BeautifulSoup(learner.html("exercices/essai.html"), "html.parser")
    links = html.select_one("h1").find_next_sibling("ul")
    hrefs = [a["href"] for a in links.select("a")]
    assert hrefs[0].endswith("/essai.zip")
    assert hrefs[1] == (
        "https://hub.exemple.org/hub/user-redirect/git-pull?repo=https%3A%2F%2F"
        "forge.exemple.org%2Fformation%2Fnotebooks.git&branch=apprenant&targetpath=notebooks"
        "&urlpath=lab%2Ftree%2Fnotebooks%2Fessai%2Fessai.ipynb"
    )
    assert hrefs[2] == (
        "https://mybinder.org/v2/gh/formation/notebooks/apprenant?urlpath="
        "lab%2Ftree%2Fessai%2Fessai.ipynb"
    )
    # under each launch link, what happens when the learner clicks
    hub_item, binder_item = links.select("li")[1:3]
    hub_help = hub_item.select_one("p.course-launch-help").get_text(" ", strip=True)
    assert "page de connexion du JupyterHub" in hub_help
    assert "sans effacer ce que vous avez écrit" in hub_help
    binder_help = binder_item.select_one("p.course-launch-help").get_text(" ", strip=True)
    assert (
        "conservé quand vous fermez la page" in binder_help
        and "téléchargez le notebook" in binder_help
    )
    trainer_links = BeautifulSoup(trainer.html("exercices/essai.html"), "html.parser")
    assert any(a["href"].endswith("essai-corrige.zip") for a in trainer_links.select("a"))
    assert not any("corrige" in a["href"] for a in html.select("a"))


def test_learner_download_runs_on_its_own(sites, tmp_path):
    _, learner, _ = sites
    zips = list((learner.outdir / "_downloads").glob("*/essai.zip"))
    assert len(zips) == 1
    zipfile.ZipFile(zips[0]).extractall(tmp_path)
    folder = tmp_path / "essai"
    nb = nbformat.read(folder / "essai.ipynb", as_version=4)
    assert not notebooks.solution_texts(nb)
    assert "SECRET-CORRIGE" not in (folder / "essai.ipynb").read_text()
    done, _ = execute.execute(nb, folder, [], None, name="essai.ipynb")
    out = "".join(o.get("text", "") for c in done.cells for o in c.get("outputs", []))
    assert "✏️ Question 1 — population totale : à compléter." in out


def test_learner_download_says_what_to_install_and_links_the_hub_and_binder(sites, tmp_path):
    _, learner, _ = sites
    archive = zipfile.ZipFile(next((learner.outdir / "_downloads").glob("*/essai.zip")))
    requirements = archive.read("essai/requirements.txt").decode().split()
    assert requirements == ["pandas>=2.2", "matplotlib>=3.8", "jupyterlab>=4.2"]
    guide = archive.read("essai/AVANT-DE-COMMENCER.md").decode()
    assert guide.startswith("# Avant de commencer — Exercice : population totale\n")
    assert "python3 -m venv .venv" in guide and "pip install -r requirements.txt" in guide
    assert "jupyter lab essai.ipynb" in guide and "`donnees/`" in guide
    assert "(https://hub.exemple.org/hub/user-redirect/git-pull?repo=" in guide
    assert "(https://mybinder.org/v2/gh/formation/notebooks/apprenant?urlpath=" in guide


def test_altered_data_gives_a_clear_message_not_a_traceback(sites, tmp_path):
    _, learner, _ = sites
    zipfile.ZipFile(next((learner.outdir / "_downloads").glob("*/essai.zip"))).extractall(tmp_path)
    folder = tmp_path / "essai"
    (folder / "donnees" / "quartiers.csv").write_text("code,population\nQA,1\n")
    code = (
        "import verif\ntry:\n    verif.charger('quartiers.csv')\n"
        "except verif.DonneesError as e:\n    print(e)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, check=True
    )
    assert "quartiers.csv" in result.stdout


def test_second_build_executes_nothing(sites):
    src, _, _ = sites
    result = build(src, src / "_build" / "a2")
    assert result.app.env.course_executed == 0


def test_second_clean_build_takes_the_page_conversion_from_the_cache(sites, monkeypatch):
    """A clean build (new output, new doctrees) with the cache kept: nbconvert's templates
    are not rendered again, and the page is the same."""
    import nbconvert

    src, _, _ = sites
    first = build(src, src / "_build" / "clean")
    assert list((src / "_build" / ".cache" / "nbsphinx").glob("*.pickle"))
    page = first.html("exercices/essai.html")
    shutil.rmtree(src / "_build" / "clean")
    rendered = []
    original = nbconvert.exporters.TemplateExporter.from_notebook_node

    def spy(self, nb, resources=None, **kw):
        rendered.append(nb)
        return original(self, nb, resources, **kw)

    monkeypatch.setattr(nbconvert.exporters.TemplateExporter, "from_notebook_node", spy)
    again = build(src, src / "_build" / "clean")
    assert rendered == [] and again.warnings == ""
    assert again.html("exercices/essai.html") == page


def test_marker_error_fails_the_build_naming_file_and_cell(tmp_path, capsys):
    src = copy_root("exercise", tmp_path)
    edit(src / "exercises" / "essai.md", "# END SOLUTION\n", "")
    err = failed_build(src, capsys)
    assert re.search(r"exercises/essai\.md, cellule 4 : « BEGIN SOLUTION » non fermé", err)


def test_unknown_exercise_slug_is_a_located_warning(tmp_path, capsys):
    src = copy_root("exercise", tmp_path)
    edit(src / "modules" / "m.md", "{exercice}`essai`", "{exercice}`esai`")
    err = failed_build(src, capsys)
    assert re.search(r"modules/m\.md:\d+: WARNING: exercice inconnu : « esai »", err)


def test_failing_solution_fails_the_build(tmp_path, capsys):
    src = copy_root("exercise", tmp_path)
    edit(src / "exercises" / "essai.md", ".sum())", ".sum() / 0 + 1 / 0)")
    err = failed_build(src, capsys, "-D", "course_edition=formateur")
    assert "essai.md, cellule" in err and "ZeroDivisionError" in err


def test_launch_path_is_configurable(tmp_path):
    src = copy_root("exercise", tmp_path)
    result = build(src, src / "_build", course_launch_path="notebooks/{slug}/{slug}.ipynb")
    html = BeautifulSoup(result.html("exercices/essai.html"), "html.parser")
    binder = [a["href"] for a in html.select("a.reference.external") if "mybinder" in a["href"]]
    assert binder == [
        "https://mybinder.org/v2/gh/formation/notebooks/apprenant?urlpath="
        "lab%2Ftree%2Fnotebooks%2Fessai%2Fessai.ipynb"
    ]


def test_cli_writes_a_notebooks_folder_for_jupyterhub_and_binder(tmp_path):
    from course import cli

    out = tmp_path / "notebooks"
    assert cli.main(["notebooks", "--source", str(SOURCE.parent), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".gitignore",
        "README.md",
        "essai",
        "requirements.txt",
        "runtime.txt",
    ]
    nb = nbformat.read(out / "essai" / "essai.ipynb", as_version=4)
    assert not notebooks.solution_texts(nb) and "SECRET-CORRIGE" not in nbformat.writes(nb)
    assert (out / "essai" / "verif.py").exists() and (
        out / "essai" / "donnees" / "quartiers.csv"
    ).exists()
    for folder in (out, out / "essai"):
        requirements = (folder / "requirements.txt").read_text().split()
        assert requirements == ["pandas>=2.2", "matplotlib>=3.8", "jupyterlab>=4.2"]
    guide = (out / "essai" / "AVANT-DE-COMMENCER.md").read_text()
    assert "pip install -r requirements.txt" in guide and "jupyter lab essai.ipynb" in guide


def test_cli_reports_a_bad_exercise_with_its_file_and_exit_code(tmp_path, capsys):
    from course import cli

    src = tmp_path / "ex"
    src.mkdir()
    (src / "donnees").mkdir()
    (src / "cassé.md").write_text("---\ncourse:\n  duree: 3\n---\n\n# Titre\n", encoding="utf-8")
    assert cli.main(["notebooks", "--source", str(src), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "cassé.md" in err and "course.duree" in err and "course.objectifs" in err
    assert not (tmp_path / "o").exists()


def test_exercises_appear_in_the_syllabus_and_the_fiche_of_their_module(sites):
    _, learner, _ = sites
    table = BeautifulSoup(learner.html("programme.html"), "html.parser").select_one("table")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    ]
    assert rows[0][3] == "Exercice : population totale (15 min)"
    assert rows[-1][1:] == ["30 min", "", "15 min"]
    fiche = BeautifulSoup(learner.html("modules/m.html"), "html.parser").select_one("aside")
    assert "Exercice : population totale (15 min)" in fiche.get_text(" ", strip=True)
    assert fiche.select_one("a[href='../exercices/essai.html']") is not None


CHART = """
```{code-cell} ipython3
%(option)s
import matplotlib.pyplot as plt

fig, ax = plt.subplots()
ax.bar(quartiers["code"], quartiers["population"])
ax.set_title("Population des quartiers fictifs")
plt.show()
```
"""


def test_chart_takes_its_alt_text_from_the_cell_option(tmp_path):
    src = copy_root("exercise", tmp_path)
    path = src / "exercises" / "essai.md"
    path.write_text(path.read_text() + CHART % {"option": ':alt: "Barres : population."\n'})
    result = build(src, src / "_build")
    assert result.warnings == ""
    images = BeautifulSoup(result.html("exercices/essai.html"), "html.parser").select("img")
    assert [img["alt"] for img in images] == ["Barres : population."]


def test_chart_without_alt_text_fails_the_build(tmp_path, capsys):
    src = copy_root("exercise", tmp_path)
    path = src / "exercises" / "essai.md"
    path.write_text(path.read_text() + CHART % {"option": ""})
    err = failed_build(src, capsys)
    assert re.search(r"exercises/essai\.md:1: WARNING: graphique sans texte alternatif", err)


def test_wide_outputs_are_keyboard_reachable_regions(sites):
    _, learner, _ = sites
    html = BeautifulSoup(learner.html("exercices/essai.html"), "html.parser")
    regions = html.select("div.rendered_html")
    assert regions and all(r.get("tabindex") == "0" and r.get("role") == "region" for r in regions)
    assert all(r.get("aria-label") for r in regions)


def test_source_is_parsed_once_per_content(tmp_path, monkeypatch):
    import jupytext

    source = tmp_path / "essai.md"
    source.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    cache = tmp_path / "sources"
    parsed = exercises.read_source(source, cache)

    def content(nb):  # jupytext gives random cell ids; notebooks.py numbers them later
        return nb.metadata, [{k: v for k, v in c.items() if k != "id"} for c in nb.cells]

    assert content(parsed) == content(exercises.read_source(source))  # as without cache

    calls = []
    reads = jupytext.reads
    monkeypatch.setattr(jupytext, "reads", lambda *a, **k: calls.append(1) or reads(*a, **k))
    assert exercises.read_source(source, cache) == parsed  # from the cache: same ids too
    assert calls == []
    source.write_text(source.read_text(encoding="utf-8") + "\nUne ligne de plus.\n")
    assert "Une ligne de plus." in exercises.read_source(source, cache).cells[-1].source
    assert calls == [1]  # changed source: parsed again


def test_unreadable_source_names_its_file(tmp_path):
    source = tmp_path / "casse.md"
    source.write_bytes(b"\xff\xfe pas de l'UTF-8")
    with pytest.raises(exercises.ExerciseError, match=r"casse\.md:1 : .*enregistrez-le en UTF-8"):
        exercises.read_source(source, tmp_path / "sources")
    assert not (tmp_path / "sources").exists()  # nothing cached for a failure
