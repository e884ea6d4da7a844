"""The real course site, built as `make html` and `make formateur` build it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, external_css, external_resources, solution_lines

from course import exercises, metadata

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]

MODULES = sorted((ROOT / "modules").glob("*.md"))
OFFICIAL = re.compile(
    r"(loi n°|décret n°|circulaire|instruction|arrêté|code (?:pénal|général|de l)|"
    r"Conseil constitutionnel|Insee|ONPV|CGET|ANCT|ANRU|Cour des comptes|Sénat|"
    r"Assemblée nationale)",
    re.I,
)


def pages(outdir: Path) -> list[Path]:
    return sorted(outdir.rglob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("edition", ["html", "formateur"])
def test_site_builds_without_any_warning(site, edition):
    outdir, result = site[edition]
    assert result.returncode == 0, result.stderr[-3000:]
    # Sphinx's own format: "file:line: WARNING: …" or "WARNING: …" (a colon and a space)
    sphinx_problems = re.findall(r"^(?:.*: )?(?:WARNING|ERROR): .*$", result.stderr, re.M)
    assert sphinx_problems == [], result.stderr[-3000:]
    assert (outdir / "index.html").exists() and (outdir / "programme.html").exists()


def test_syllabus_lists_every_module_with_its_declared_duration(site):
    outdir, _ = site["html"]
    table = soup(outdir / "programme.html").select_one("table#programme-du-cours")
    rows = {
        tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
        for tr in table.select("tbody tr")
    }
    total = 0
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        front = yaml.safe_load(metadata.split_front_matter(text)[0])
        title = re.search(r"^# (.+)$", text, re.M).group(1).strip()
        minutes = front["duree_lecture"] + front["duree_activites"]
        total += minutes
        assert rows.pop(title, None) == metadata.format_minutes(minutes), title
    assert rows == {f"Total ({len(MODULES)} modules)": metadata.format_minutes(total)}


@pytest.mark.parametrize("edition", ["html", "formateur"])
def test_no_page_loads_anything_from_another_site(site, edition):
    outdir, _ = site[edition]
    problems = {
        str(p.relative_to(outdir)): external_resources(p.read_text(encoding="utf-8"))
        for p in pages(outdir)
    }
    problems.update(
        {
            str(p.relative_to(outdir)): external_css(p.read_text(encoding="utf-8"))
            for p in outdir.rglob("*.css")
        }
    )
    assert {k: v for k, v in problems.items() if v} == {}


def test_learner_site_holds_no_solution_and_no_trainer_note(site):
    outdir, _ = site["html"]
    assert not (outdir / "formateur").exists()
    secrets = solution_lines()
    for page in pages(outdir):
        html = soup(page)
        assert not html.select(".course-note-formateur"), page
        text = html.get_text()
        leaked = [s for s in secrets if s in text]
        assert not leaked, (page, leaked[:3])


def test_trainer_site_has_notes_digest_and_solutions(site):
    outdir, _ = site["formateur"]
    digest = soup(outdir / "formateur" / "notes.html").select("table#notes-formateur tbody tr")
    assert len(digest) >= len(MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_module_has_sources_quiz_and_facilitator_notes(site, path):
    html = soup(site["formateur"][0] / "modules" / f"{path.stem}.html")
    sources = html.find(id="sources")
    assert sources is not None, "a « Sources » section"
    assert OFFICIAL.search(sources.get_text()), "at least one official text in « Sources »"
    assert len(html.select("fieldset.course-question")) >= 5
    notes = html.select(".course-note-formateur")
    assert notes, "facilitator notes"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_learner_module_opens_on_questions_and_ends_on_a_self_study_activity(site, path):
    """Issue 18: framing questions at the top, a self-study activity before the quiz."""
    html = soup(site["html"][0] / "modules" / f"{path.stem}.html")
    sections = [s.get("id") for s in html.select("article section section")]
    framing = html.find(id="questions-pour-commencer")
    assert framing is not None and 2 <= len(framing.select("ul > li")) <= 3
    assert sections[0] == "questions-pour-commencer", sections
    activity = html.find(id="activite-en-autonomie")
    assert activity is not None and sections.index("activite-en-autonomie") < sections.index("quiz")
    boxes = activity.select(".course-autonomie")
    assert len(boxes) == 1 and "durée indicative" in boxes[0].select_one(".admonition-title").text
    answer = boxes[0].select("details.course-reponse-modele")
    assert len(answer) == 1 and not answer[0].has_attr("open")
    assert not answer[0].select("fieldset, input")  # not a question


@pytest.mark.parametrize("edition", ["html", "formateur"])
def test_unconfirmed_facts_only_inside_warning_boxes(site, edition):
    outdir, _ = site[edition]
    for page in pages(outdir):
        html = soup(page)
        for box in html.select(".course-a-verifier"):
            box.decompose()
        body = html.select_one("article") or html.body
        text = body.get_text(" ")
        assert not re.search(r"à vérifier|\bTODO\b|\bTBD\b|XXX", text, re.I), page


def test_every_exercise_is_linked_from_the_module_it_serves(site):
    outdir, _ = site["html"]
    for path in exercises.discover(ROOT / "exercises"):
        ex = exercises.load(path, ROOT / "exercises" / "donnees")
        module = soup(outdir / "modules" / f"{ex.module}.html")
        links = [a["href"] for a in module.select("article a.reference.internal")]
        assert f"../exercices/{ex.slug}.html" in links, (ex.slug, ex.module)


def test_no_notebook_with_outputs_is_tracked():
    tracked = subprocess.run(
        ["git", "ls-files", "*.ipynb"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    import nbformat

    for name in tracked:
        nb = nbformat.read(ROOT / name, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), name


@pytest.mark.parametrize("edition", ["html", "formateur"])
def test_no_typographic_accident_from_smart_quotes(site, edition):
    """An apostrophe before markup (d'**instruction**) must not become a closing quote."""
    outdir, _ = site[edition]
    for page in pages(outdir):
        text = (soup(page).select_one("article") or soup(page).body).get_text()
        assert "”" not in text and "“" not in text, page


# the theme's English words, as Furo renders them (labels.THEME_FR translates them)
ENGLISH_CHROME = re.compile(
    r'aria-label="Toggle|Skip to content|Back to top|On this page|Made with|Auto light/dark'
    r"|<span>(?:Next|Previous)</span>"
)


@pytest.mark.parametrize("edition", ["html", "formateur"])
def test_the_theme_speaks_french_on_every_page(site, edition):
    """Menus, theme switch and page navigation are read in French (RGAA 8.7)."""
    outdir, _ = site[edition]
    english = {}
    for page in pages(outdir):
        found = ENGLISH_CHROME.findall(page.read_text(encoding="utf-8"))
        if found:
            english[str(page.relative_to(outdir))] = found
    assert english == {}
    index = (outdir / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Changer de thème : clair, sombre ou automatique"' in index
    assert "Sur cette page" in (outdir / "modules" / "histoire.html").read_text(encoding="utf-8")
