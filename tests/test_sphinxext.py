"""The Sphinx extension on tiny projects: metadata, fiche, syllabus, editions, errors."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import build, built_clean, copy_root, edit, failed_build, write


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    src = copy_root("basic", tmp_path_factory.mktemp("learner"))
    return build(src, src / "_build" / "html")


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    src = copy_root("basic", tmp_path_factory.mktemp("trainer"))
    return build(src, src / "_build_f", edition="formateur")


def soup(result, page):
    return BeautifulSoup(result.html(page), "html.parser")


def test_both_editions_build_without_warnings(learner, trainer):
    assert learner.warnings == ""
    assert trainer.warnings == ""


def test_fiche_module_shows_the_declared_metadata(learner):
    fiche = soup(learner, "modules/alpha.html").select_one("aside.course-fiche")
    assert fiche["aria-label"] == "Fiche module"
    text = fiche.get_text(" ", strip=True)
    assert "45 min (lecture 30 min, activités 15 min)" in text
    assert "Chefs de projet" in text and "initiation" in text
    assert "au 1er janvier 2025" in text
    objectives = [li.get_text(strip=True) for li in fiche.select(".course-objectifs li")]
    assert objectives == ["Citer l’article 1er de la loi.", "Distinguer une loi d’un décret."]
    assert fiche.select_one(".course-prerequis li").get_text(strip=True) == "Aucun."


def test_fiche_comes_right_after_the_title(learner):
    h1 = soup(learner, "modules/alpha.html").find("h1")
    assert h1.find_next_sibling().name == "aside"


def test_syllabus_lists_every_module_with_durations_and_total(learner):
    table = soup(learner, "programme.html").select_one("table#programme-du-cours")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    ]
    assert [r[0] for r in rows] == ["Module alpha", "Module beta", "Total (2 modules)"]
    assert [r[1] for r in rows] == ["45 min", "1 h", "1 h 45 min"]
    assert "Calculer un seuil de revenu." in rows[1][2]
    links = [a["href"] for a in table.select("tbody a")]
    assert links == ["modules/alpha.html", "modules/beta.html"]


def test_module_metadata_is_kept_for_later_exports(learner):
    modules = learner.app.env.course_data["modules"]
    assert modules["modules/beta"]["duree_totale"] == 60
    assert modules["modules/alpha"]["points_cles"] == ["Le droit commun d'abord."]


def test_facilitator_notes_only_in_trainer_edition(learner, trainer):
    assert "Consigne secrète" not in learner.html("modules/alpha.html")
    assert not (learner.outdir / "formateur").exists()
    note = soup(trainer, "modules/alpha.html").select_one(".course-note-formateur")
    assert "Atelier alpha (13 min)" in note.select_one(".admonition-title").get_text()
    assert "Consigne secrète" in note.get_text()


def test_trainer_digest_lists_each_note_with_its_duration(trainer):
    table = soup(trainer, "formateur/notes.html").select_one("table#notes-formateur")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    ]
    assert rows[0] == ["Module alpha", "Atelier alpha", "13 min"]
    assert rows[-1][-1] == "13 min"
    href = table.select_one("tbody a")["href"]
    page, anchor = href.split("#")
    assert soup(trainer, "formateur/" + page).find(id=anchor) is not None


def test_syllabus_follows_a_module_edit_on_incremental_build(tmp_path):
    src = copy_root("basic", tmp_path)
    out = src / "_build" / "html"
    build(src, out)
    module = src / "modules" / "beta.md"
    module.write_text(module.read_text().replace("duree_lecture: 40", "duree_lecture: 50"))
    result = build(src, out, freshenv=False)
    assert result.warnings == ""
    text = result.html("programme.html")
    assert "1 h 10 min" in text and "1 h 55 min" in text


def test_a_prose_edit_rewrites_its_page_but_not_the_summaries(tmp_path):
    """The syllabus, the notes digest, the matrix and the paths are rewritten only when what
    they summarise changed: on a course of 120 modules, a prose edit stays cheap."""
    src = copy_root("basic", tmp_path)
    out = src / "_build"
    site = build(src, out, edition="formateur").outdir
    summaries = ["programme.html", "formateur/notes.html", "formateur/alignement.html"]
    before = {page: (site / page).stat().st_mtime_ns for page in summaries}
    edit(src / "modules" / "alpha.md", "Du texte.", "Du texte modifié.")
    result = build(src, out, edition="formateur", freshenv=False)
    assert result.warnings == ""
    assert "Du texte modifié." in result.html("modules/alpha.html")
    assert {page: (site / page).stat().st_mtime_ns for page in summaries} == before
    edit(src / "modules" / "alpha.md", "  > Non.\n", "  > Non, pas celle-ci.\n")  # a question
    build(src, out, edition="formateur", freshenv=False)
    assert all((site / page).stat().st_mtime_ns != before[page] for page in summaries)


def test_the_syllabus_follows_the_toctree_order_on_incremental_build(tmp_path):
    src = copy_root("basic", tmp_path)
    out = src / "_build" / "html"
    build(src, out)
    edit(src / "index.md", "modules/alpha\nmodules/beta\n", "modules/beta\nmodules/alpha\n")
    result = build(src, out, freshenv=False)
    rows = soup(result, "programme.html").select("table#programme-du-cours tbody tr")
    assert [row.select_one("a").get_text() for row in rows[:2]] == ["Module beta", "Module alpha"]


def test_parallel_build_gives_the_same_syllabus(tmp_path, learner):
    result = built_clean("basic", tmp_path, parallel=2)
    assert result.app.env.course_data["modules"].keys() == {"modules/alpha", "modules/beta"}

    def table(r):
        return soup(r, "programme.html").select_one("table#programme-du-cours").get_text()

    assert table(result) == table(learner)


# -- bad input: the build fails and names the file, the line and the field ------------------


def test_missing_objectives_fail_the_build_naming_file_and_field(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    alpha = src / "modules" / "alpha.md"
    text = alpha.read_text()
    alpha.write_text(re.sub(r":::\{objectifs\}.*?:::\n", "", text, flags=re.S))
    err = failed_build(src, capsys)
    assert re.search(r"modules/alpha\.md:1: WARNING: \[objectifs\] bloc \{objectifs\} absent", err)


def test_invalid_field_fails_the_build_naming_file_line_and_field(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    edit(src / "modules" / "beta.md", "duree_lecture: 40", "duree_lecture: quarante")
    err = failed_build(src, capsys)
    assert re.search(
        r"modules/beta\.md:2: WARNING: \[duree_lecture\] doit être un nombre entier", err
    )


def test_unknown_field_and_vague_objective_are_located(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    beta = src / "modules" / "beta.md"
    edit(beta, "niveau: approfondissement", "niveau: approfondissement\nduree: 3")
    edit(beta, "- (seuil) Calculer un seuil", "- (seuil) Comprendre un seuil")
    err = failed_build(src, capsys)
    assert re.search(r"modules/beta\.md:6: WARNING: \[duree\] champ inconnu", err)
    assert re.search(r"modules/beta\.md:1[0-9]: WARNING: \[objectifs\] « Comprendre »", err)


def test_module_file_name_that_is_not_a_slug_is_a_located_error(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    (src / "modules" / "beta.md").rename(src / "modules" / "Béta_2.md")
    edit(src / "index.md", "modules/beta\n", "modules/Béta_2\n")
    edit(src / "formateur" / "notes.md", "beta, alpha", "alpha")
    err = failed_build(src, capsys)
    assert re.search(
        r"modules/Béta_2\.md:1: WARNING: \[slug\] nom de fichier « Béta_2 » invalide .*"
        r"par exemple « beta-2 »",
        err,
    )


def test_duplicate_module_titles_are_an_error(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    edit(src / "modules" / "beta.md", "# Module beta", "# module ALPHA")
    err = failed_build(src, capsys)
    assert re.search(
        r"modules/beta\.md:9: WARNING: \[titre\] « module ALPHA » est déjà le titre de "
        r"modules/alpha\.md : deux modules de même titre se confondent",
        err,
    )


def test_facilitator_note_without_duration_is_an_error(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    edit(src / "modules" / "alpha.md", ":duree: 13\n", "")
    err = failed_build(src, capsys)
    assert re.search(r"modules/alpha\.md:\d+: WARNING: \[note-formateur\]", err)


def test_trainer_pages_are_not_even_read_in_the_learner_edition(tmp_path):
    src = copy_root("basic", tmp_path)
    write(src / "formateur" / "notes.md", "# Notes\n\n{doc}`/page-inexistante`\n")
    assert build(src, src / "_build" / "html").warnings == ""
    assert "page-inexistante" in build(src, src / "_build" / "f", edition="formateur").warnings


def test_bad_edition_is_a_clear_configuration_error(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    assert "course_edition = 'eleve'" in failed_build(src, capsys, "-D", "course_edition=eleve")


def test_course_json_keeps_modules_in_order_with_their_questions(learner, trainer):
    import json

    data = json.loads((learner.outdir / "_course" / "cours.json").read_text())
    assert data["edition"] == "apprenant" and data["langue"] == "fr"
    assert [m["slug"] for m in data["modules"]] == ["alpha", "beta"]
    alpha = data["modules"][0]
    assert alpha["page"] == "modules/alpha.html" and alpha["duree_totale"] == 45
    assert len(alpha["questions"]) == 2 and alpha["notes_formateur"] == []
    trained = json.loads((trainer.outdir / "_course" / "cours.json").read_text())
    assert trained["modules"][0]["notes_formateur"][0]["duree"] == 13


def test_course_path_times_sessions_from_module_metadata(trainer):
    table = soup(trainer, "formateur/notes.html").select_one("table#parcours-une-demi-journee")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    ]
    assert rows[0] == ["Première partie", "Module alpha (45 min, dont quiz 2 min)", "45 min"]
    assert rows[1][2] == "1 h 45 min"
    assert rows[2] == ["Total", "temps disponible : 3 h", "2 h 30 min"]


def test_course_path_longer_than_available_time_is_an_error(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    notes = src / "formateur" / "notes.md"
    notes.write_text(
        notes.read_text()
        .replace(":disponible: 180", ":disponible: 100")
        .replace("beta, alpha", "beta, gamma")
    )
    err = failed_build(src, capsys, "-D", "course_edition=formateur")
    assert re.search(
        r"formateur/notes\.md:10: WARNING: \[parcours\] module inconnu « gamma »", err
    )  # the line of the session, not of the directive
    assert "2 h 30 min" not in err and "de modules pour 1 h 40 min disponibles" in err


def test_course_path_lines_are_those_of_each_entry(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    write(
        src / "formateur" / "notes.md",
        """
        # Notes

        :::{parcours} Court
        Matin : alpha, delta
        Midi sans deux-points
        :::

        :::{parcours} Long
        :disponible: 600

        Matin : alpha

        Soir : gamma
        :::
        """,
    )
    err = failed_build(src, capsys, "-D", "course_edition=formateur")
    assert re.search(r"notes\.md:4: WARNING: \[parcours\] module inconnu « delta »", err)
    assert re.search(r"notes\.md:5: WARNING: \[parcours\] ligne « Midi sans deux-points »", err)
    assert re.search(r"notes\.md:13: WARNING: \[parcours\] module inconnu « gamma »", err)


def test_toctree_captions_are_headings_with_a_level(learner):
    captions = soup(learner, "index.html").select('p.caption[role="heading"]')
    assert captions and all(c.get("aria-level") == "2" for c in captions)


def test_theme_templates_are_compiled_once_and_kept_in_the_cache(tmp_path):
    src = copy_root("basic", tmp_path)
    first = build(src, tmp_path / "one")
    env = first.app.builder.templates.environment
    assert env.bytecode_cache is not None
    name = "page.html"
    source, filename, _ = env.loader.get_source(env, name)
    bucket = env.bytecode_cache.get_bucket(env, name, filename, source)
    assert bucket.code is not None  # written by the first build
    second = build(src, tmp_path / "two")  # another output: every page written again
    assert second.html("index.html") == first.html("index.html")
    assert second.warnings == ""


# -- etat_du_droit: a date after 2014-12-31 promises that the legal statements were checked ---


UNCHECKED_BODY = """
Le décret de 2024 n'a pas été lu : texte non lu, à vérifier.

:::{a-verifier}
La rédaction actuelle de l'article 7 n'a pas été lue.
:::

:::{a-verifier}
:objet: fait

Le nombre de conseils citoyens installés (à vérifier).
:::
"""


def test_law_date_check_ignores_code_and_what_a_fact_box_holds(tmp_path):
    src = copy_root("basic", tmp_path)
    alpha = src / "modules" / "alpha.md"
    body = (
        "```\nnon lu\n```\n\n"
        "::::{a-verifier}\n:objet: fait\n\n:::{note}\nà vérifier\n:::\n::::\n\n"
        "Le code `à vérifier` n'est pas de la prose.\n"
    )
    edit(alpha, "Du texte.\n", "Du texte.\n\n" + body)
    result = build(src, src / "_build" / "html")
    assert "etat-du-droit" not in result.warnings, result.warnings
    # the same words in prose, and a box on a rule of law, are found
    edit(alpha, "Du texte.\n", "Du texte, non lu.\n\n:::{a-verifier}\nUne règle.\n:::\n")
    result = build(src, src / "_build" / "html2")
    assert result.warnings.count("[course.etat-du-droit]") == 2, result.warnings


def test_law_date_contradicted_by_the_body_fails_the_build(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    alpha = src / "modules" / "alpha.md"
    edit(alpha, "Du texte.\n", "Du texte.\n" + UNCHECKED_BODY)
    err = failed_build(src, capsys)
    line = (
        alpha.read_text(encoding="utf-8")
        .splitlines()
        .index("Le décret de 2024 n'a pas été lu : texte non lu, à vérifier.")
    )
    assert re.search(rf"modules/alpha\.md:{line + 1}: WARNING: « non lu » hors d'un encadré", err)
    assert re.search(rf"modules/alpha\.md:{line + 3}: WARNING: encadré \{{a-verifier\}}", err)
    assert "[course.etat-du-droit]" in err
    assert "conseils citoyens installés" not in err
    edit(alpha, "etat_du_droit: 2025-01-01", "etat_du_droit: 2014-12-31")
    assert build(src, src / "_build" / "html").warnings == ""


# -- durations: duree_activites holds the quiz and the timed activities ------------------------


def test_activities_shorter_than_quiz_and_notes_are_warned_in_both_editions(tmp_path):
    # alpha: 2 questions (2 min) and a 13-minute workshop: 15 min needed
    src = copy_root("basic", tmp_path)
    edit(src / "modules" / "alpha.md", "duree_activites: 15\n", "duree_activites: 14\n")
    message = (
        r"modules/alpha\.md:3: WARNING: \[durée\] duree_activites : 14 min, moins que le quiz "
        r"\(2 question\(s\), 2 min\) et les activités animées \(13 min\) : comptez au moins 15 min"
    )
    assert re.search(message, build(src, src / "_build" / "html").warnings)
    assert re.search(message, build(src, src / "_build" / "f", edition="formateur").warnings)


def test_a_variant_note_replaces_an_activity_and_is_not_counted(tmp_path):
    src = copy_root("basic", tmp_path)
    alpha = src / "modules" / "alpha.md"
    alpha.write_text(
        alpha.read_text().replace(
            ":::{points-cles}",
            ":::{note-formateur} Variante courte à distance\n:duree: 10\n\nEn ligne.\n:::\n\n"
            ":::{points-cles}",
        )
    )
    assert build(src, src / "_build" / "f", edition="formateur").warnings == ""
    alpha.write_text(alpha.read_text().replace("Variante courte", "Activité courte"))
    warnings = build(src, src / "_build" / "g", edition="formateur").warnings
    assert "activités animées (23 min) : comptez au moins 25 min" in warnings


def test_course_path_counts_quiz_and_activities_of_a_module_that_under_declares(tmp_path):
    src = copy_root("basic", tmp_path)
    edit(src / "modules" / "alpha.md", "duree_activites: 15\n", "duree_activites: 5\n")
    result = build(src, src / "_build" / "f", edition="formateur")
    assert "comptez au moins 15 min" in result.warnings  # the module is warned about...
    table = soup(result, "formateur/notes.html").select_one("table#parcours-une-demi-journee")
    first = [td.get_text(" ", strip=True) for td in table.select_one("tbody tr").find_all("td")]
    # ...and the path still times it with its quiz: 30 min reading + 2 min quiz + 13 min workshop
    assert first == ["Première partie", "Module alpha (45 min, dont quiz 2 min)", "45 min"]
