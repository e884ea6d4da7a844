"""Constructive alignment: objective ids, what assesses them, validation, matrix, exports."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build, built_clean, copy_root, edit, failed_build
from lxml import etree
from test_lms import export_tiny_course

from course import exercises, metadata

ALPHA = "modules/alpha.md"


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    return built_clean("basic", tmp_path_factory.mktemp("alignment"), "formateur")


def rows(table) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
        for tr in table.select("tbody tr")
    ]


# -- syntax ------------------------------------------------------------------------------------


def test_objective_ids_and_references_parse():
    assert metadata.split_objective("(art-1) Citer l'article.") == ("art-1", "Citer l'article.")
    assert metadata.split_objective("Citer l'article.") == (None, "Citer l'article.")
    assert metadata.parse_refs("a, beta/b", "alpha") == (["alpha/a", "beta/b"], [])
    assert metadata.parse_refs(["x"], None)[1][0].startswith("« x » : hors d'un module")
    assert "invalide" in metadata.parse_refs("A B", "alpha")[1][0]
    assert metadata.parse_refs("", "alpha") == ([], ["aucun objectif indiqué"])


def test_real_exercises_name_module_objectives():
    for path in exercises.discover(ROOT / "exercises"):
        ex = exercises.load(path, ROOT / "exercises" / "donnees")
        assert ex.objectifs_module and all("/" in ref for ref in ex.objectifs_module), path


# -- validation: located, French, type "course" (so -W fails) -------------------------------


def test_unknown_objective_is_a_located_error(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    edit(src / ALPHA, ":objectif: article-1\n", ":objectif: article-9\n")
    err = failed_build(src, capsys)
    assert re.search(
        r"modules/alpha\.md:38: WARNING: \[objectifs\] objectif inconnu « alpha/article-9 »", err
    )


def test_unknown_objective_in_a_trainer_note_outside_modules(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    notes = src / "formateur" / "notes.md"
    notes.write_text(
        notes.read_text()
        + "\n:::{note-formateur} Étude de cas\n:duree: 30\n"
        + ":objectif: alpha/absent, seuil\n\nTexte.\n:::\n"
    )
    err = failed_build(src, capsys, "-D", "course_edition=formateur")
    assert re.search(
        r"formateur/notes\.md:\d+: WARNING: \[objectifs\] objectif inconnu « alpha/absent »", err
    )
    assert "« seuil » : hors d'un module, écrivez module/seuil" in err


def test_unassessed_objective_and_untagged_question_are_warnings(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    edit(src / ALPHA, ":objectif: article-1, loi-decret, beta/seuil\n", ":objectif: article-1\n")
    edit(src / ALPHA, ":objectif: article-1\n\n", "\n")  # question 1 assesses nothing
    err = failed_build(src, capsys)
    assert re.search(
        r"modules/beta\.md:12: WARNING: \[objectifs\] objectif « seuil » évalué par aucune",
        err,
    )
    assert re.search(r"modules/alpha\.md:14: WARNING: \[objectifs\] objectif « loi-decret »", err)
    assert re.search(
        r"modules/alpha\.md:38: WARNING: \[objectifs\] la question 1 n'évalue aucun objectif", err
    )


def test_activity_alone_does_not_assess_an_objective(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    edit(
        src / ALPHA,
        ":objectif: article-1, loi-decret, beta/seuil\n",
        ":objectif: article-1, beta/seuil\n",
    )
    err = failed_build(src, capsys, "-D", "course_edition=formateur")
    assert "objectif « loi-decret » évalué par aucune question ni aucun exercice" in err


def test_objective_without_id_or_with_a_repeated_id(tmp_path, capsys):
    src = copy_root("basic", tmp_path)
    edit(src / ALPHA, "- (loi-decret) Distinguer", "- (article-1) Distinguer")
    edit(src / "modules" / "beta.md", "- (seuil) Calculer", "- Calculer")
    err = failed_build(src, capsys)
    assert re.search(
        r"modules/alpha\.md:14: WARNING: \[objectifs\] identifiant .*« article-1 » en double", err
    )
    assert re.search(r"modules/beta\.md:12: WARNING: \[objectifs\] objectif sans identifiant", err)


# -- rendering -----------------------------------------------------------------------------------


def test_learner_fiche_hides_ids_and_trainer_fiche_shows_them(trainer, tmp_path):
    learner = build(copy_root("basic", tmp_path), tmp_path / "_build")
    fiche = BeautifulSoup(learner.html("modules/alpha.html"), "html.parser").select_one("aside")
    assert "(article-1)" not in fiche.get_text() and "Alignement" not in fiche.get_text()
    fiche = BeautifulSoup(trainer.html("modules/alpha.html"), "html.parser").select_one("aside")
    ids = [code.get_text() for code in fiche.select(".course-objectifs code")]
    assert ids == ["article-1", "loi-decret"]
    view = [li.get_text(" ", strip=True) for li in fiche.select(".course-alignement li")]
    assert view == [
        "article-1 : 2 questions, aucun exercice, aucune activité",
        "loi-decret : 1 question, aucun exercice, 1 activité",
    ]


def test_matrix_lists_every_objective_with_its_counts(trainer):
    page = BeautifulSoup(trainer.html("formateur/alignement.html"), "html.parser")
    alpha, beta = page.select("table.course-matrice")
    assert alpha.caption.get_text() == "Module alpha : objectifs, questions, exercices et activités"
    assert [th["scope"] for th in alpha.select("thead th")] == ["col"] * 5
    assert all(th["scope"] == "row" for th in alpha.select("tbody th"))
    assert rows(alpha) == [
        [
            "article-1 Citer l'article 1er de la loi.",
            "Question 1 Question 2",
            "—",
            "—",
            "Évalué 2 questions, aucun exercice, aucune activité",
        ],
        [
            "loi-decret Distinguer une loi d'un décret.",
            "Question 2",
            "—",
            "Atelier alpha (13 min)",
            "Évalué 1 question, aucun exercice, 1 activité",
        ],
    ]
    assert alpha.select_one("tfoot").get_text(" ", strip=True) == (
        "Total du module 2 objectif(s) ; 2 question(s) ; 0 exercice(s), 0 min ; "
        "1 activité(s), 13 min"
    )
    assert rows(beta)[0][1] == "Question 2"  # assessed from module alpha
    link = beta.select_one("tbody a")["href"]
    assert link == "../modules/alpha.html#question-2"
    activity = alpha.select("tbody tr")[1].select("a")[1]["href"]
    page_name, anchor = activity.split("#")
    target = BeautifulSoup(trainer.html("modules/alpha.html"), "html.parser")
    assert target.find(id=anchor) is not None
    assert "3 objectifs dans le cours ; 0 non évalué(s)" in page.get_text()


def test_matrix_says_a_gap_in_words(tmp_path):
    src = copy_root("basic", tmp_path)
    edit(src / ALPHA, ", beta/seuil", "")
    result = build(src, src / "_build", edition="formateur")
    assert "objectif « seuil » évalué par aucune question" in result.warnings
    page = BeautifulSoup(result.html("formateur/alignement.html"), "html.parser")
    gap = page.select_one("table#matrice-beta tr.course-lacune")
    assert "Lacune : objectif non évalué" in gap.get_text()
    assert "1 non évalué(s)" in page.get_text()


def test_course_json_has_the_alignment_of_each_edition(trainer, tmp_path):
    data = json.loads((trainer.outdir / "_course" / "cours.json").read_text())
    alpha = data["alignment"][0]
    assert alpha["module"] == "alpha"
    first, second = alpha["objectifs"]
    assert first["ref"] == "alpha/article-1" and first["texte"] == "Citer l'article 1er de la loi."
    assert first["questions"] == [1, 2] and first["evalue"] is True
    assert second["activites"] == [
        {"page": "modules/alpha.html", "titre": "Atelier alpha", "duree": 13, "autonomie": False}
    ]
    module = data["modules"][0]
    assert module["objectifs_ids"] == ["article-1", "loi-decret"]
    assert module["questions"][1]["objectifs"] == [
        "alpha/article-1",
        "alpha/loi-decret",
        "beta/seuil",
    ]
    assert module["notes_formateur"][0]["objectifs"] == ["alpha/loi-decret"]
    learner = build(copy_root("basic", tmp_path), tmp_path / "_build")
    data = json.loads((learner.outdir / "_course" / "cours.json").read_text())
    assert "activites" not in data["alignment"][0]["objectifs"][1]  # no trainer note here


def test_parallel_build_gives_the_same_alignment(tmp_path, trainer):
    result = built_clean("basic", tmp_path, "formateur", parallel=2)

    def matrix(r):
        return BeautifulSoup(r.html("formateur/alignement.html"), "html.parser").select(
            "table.course-matrice"
        )

    assert [t.get_text() for t in matrix(result)] == [t.get_text() for t in matrix(trainer)]


# -- LMS banks ------------------------------------------------------------------------------------


def test_moodle_xml_and_gift_carry_the_objectives(tmp_path_factory):
    course = export_tiny_course(tmp_path_factory)
    root = etree.parse(str(course["out"] / "moodle" / "alpha.xml")).getroot()
    tags = [[t.text for t in q.findall("tags/tag/text")] for q in root.findall("question")[1:]]
    assert tags == [
        ["objectif-alpha/article-1"],
        ["objectif-alpha/article-1", "objectif-alpha/loi-decret", "objectif-beta/seuil"],
    ]
    gift = (course["out"] / "gift" / "alpha.gift.txt").read_text(encoding="utf-8")
    assert "// [tag:objectif-alpha/article-1]\n::alpha-q1::" in gift
    assert (
        "// [tag:objectif-alpha/article-1] [tag:objectif-alpha/loi-decret] "
        "[tag:objectif-beta/seuil]\n::alpha-q2::"
    ) in gift


# -- the real course ------------------------------------------------------------------------------


def test_every_objective_of_the_real_course_is_assessed():
    """From the sources: each module objective has an id and a question or an exercise."""
    objectives, assessed = {}, set()
    for path in sorted((ROOT / "modules").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        block = re.search(r":::\{objectifs\}\n(.*?)\n:::", text, re.S).group(1)
        for line in block.splitlines():
            ident, _ = metadata.split_objective(line[2:])
            assert ident, f"{path.name}: {line}"
            objectives[f"{path.stem}/{ident}"] = path.name
        questions = re.findall(r"^:::\{question\}.*\n((?::\w+:.*\n)*)", text, re.M)
        for options in questions:
            found = re.search(r"^:objectif: (.*)$", options, re.M)
            assert found, f"{path.name}: question sans :objectif:"
            refs, problems = metadata.parse_refs(found.group(1), path.stem)
            assert not problems
            assessed |= set(refs)
    for path in exercises.discover(ROOT / "exercises"):
        assessed |= set(exercises.load(path, ROOT / "exercises" / "donnees").objectifs_module)
    assert assessed <= set(objectives), assessed - set(objectives)
    assert set(objectives) - assessed == set()
    assert len(objectives) == 63


@pytest.mark.slow
@pytest.mark.xdist_group("site")
def test_real_site_matrix_has_no_gap(site):
    outdir, result = site["formateur"]
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads((outdir / "_course" / "cours.json").read_text())
    rows = [o for m in data["alignment"] for o in m["objectifs"]]
    assert len(rows) == 63 and all(o["evalue"] for o in rows)
    page = BeautifulSoup((outdir / "formateur" / "alignement.html").read_text(), "html.parser")
    assert len(page.select("table.course-matrice")) == len(data["modules"])
    assert not page.select("tr.course-lacune")


def test_each_check_of_an_exercise_names_what_it_assesses():
    import nbformat

    def cell(source, **meta):
        code = nbformat.v4.new_code_cell(source)
        code.metadata.update(meta)
        return code

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        cell('verifier("Question 1 — a", a, "x")'),
        cell('verifier("Question 2 — b", b, "y")', objectif="seuil"),
        cell('verifier("Question 3 — c", c, "z")', objectif="autre"),
        cell("x = 1", objectif="seuil"),
    ]
    found, problems = exercises.checks(nb, "m", ["m/seuil", "m/total"])
    assert found[:2] == [
        {"cellule": 1, "titre": "Question 1 — a", "objectifs": ["m/seuil", "m/total"]},
        {"cellule": 2, "titre": "Question 2 — b", "objectifs": ["m/seuil"]},
    ]
    assert problems == [
        "cellule 3 : m/autre absent de course.objectifs_module",
        "cellule 4 : :objectif: sur une cellule sans verifier(…)",
    ]


def test_real_exercise_checks_are_tied_to_objectives():
    ex = exercises.load(ROOT / "exercises" / "seuil-qpv.md", ROOT / "exercises" / "donnees")
    assert [v["objectifs"] for v in ex.verifications] == [["geographie-prioritaire/seuil"]] * 3 + [
        ["geographie-prioritaire/criteres"]
    ] * 2


def test_incremental_build_follows_a_tag_edit(tmp_path):
    src = copy_root("basic", tmp_path)
    out = src / "_build"
    assert build(src, out, edition="formateur").warnings == ""
    edit(src / ALPHA, ", beta/seuil", "")
    again = build(src, out, edition="formateur", freshenv=False)
    assert "objectif « seuil » évalué par aucune question" in again.warnings
    page = BeautifulSoup(again.html("formateur/alignement.html"), "html.parser")
    assert page.select_one("table#matrice-beta tr.course-lacune") is not None
    edit(
        src / ALPHA,
        ":objectif: article-1, loi-decret",
        ":objectif: article-1, loi-decret, beta/seuil",
    )
    fixed = build(src, out, edition="formateur", freshenv=False)
    assert fixed.warnings == ""
    page = BeautifulSoup(fixed.html("formateur/alignement.html"), "html.parser")
    assert page.select_one("tr.course-lacune") is None


def test_exercise_reference_to_an_unknown_objective_is_located(tmp_path):
    src = copy_root("exercise", tmp_path)
    ok = build(src, src / "_build", course_execute=False)
    assert "objectifs" not in ok.warnings, ok.warnings
    edit(src / "exercises" / "essai.md", "objectifs_module: [total]", "objectifs_module: [absent]")
    result = build(src, src / "_build", course_execute=False)
    assert re.search(
        r"exercises/essai\.md:14: WARNING: \[objectifs\] objectif inconnu « m/absent »",
        result.warnings,
    )
    assert "objectif « total » évalué par aucune question ni aucun exercice" in result.warnings
