"""Self-study activities ({activite-autonomie}): a task, its duration, a model answer to reveal."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import build, built_clean, copy_root, edit, failed_build

from course.session import pages

GAMMA = "modules/gamma.md"


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    return built_clean("autonomie", tmp_path_factory.mktemp("selfstudy"))


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    return built_clean("autonomie", tmp_path_factory.mktemp("selfstudy-trainer"), "formateur")


def test_activity_is_in_the_learner_page_with_its_duration(learner):
    page = BeautifulSoup(learner.html("modules/gamma.html"), "html.parser")
    box = page.select_one(".admonition.course-autonomie")
    title = box.select_one(".admonition-title").get_text(" ", strip=True)
    assert title == "Classer les acteurs de Val-Fictif (durée indicative : 8 min)"
    assert "Dans la commune fictive de Val-Fictif" in box.get_text()
    assert box.get("id", "").startswith("activite-autonomie")
    assert "Consigne de l'atelier gamma" not in page.get_text()  # the note stays trainer-only


def test_model_answer_is_a_closed_details_readable_without_javascript(learner):
    page = BeautifulSoup(learner.html("modules/gamma.html"), "html.parser")
    details = page.select("details.course-reponse-modele")
    assert len(details) == 1 and details[0].find_parent(class_="course-autonomie")
    assert not details[0].has_attr("open")  # closed until the learner opens it
    summary = details[0].find("summary")
    assert summary is details[0].contents[0] or details[0].find(True) is summary
    assert summary.get_text(strip=True) == "Voir une réponse possible"
    assert "Réponse modèle du classement" in details[0].get_text()
    # nothing of it is a quiz: no input, and the page score counts the two questions only
    assert not details[0].select("input, fieldset, button")
    assert page.select_one(".course-score")["data-total"] == "2"


def test_model_answer_is_not_quiz_data(learner):
    questions = learner.app.env.course_data["quizzes"]["modules/gamma"]
    assert len(questions) == 2
    assert all("Réponse modèle" not in json.dumps(q, ensure_ascii=False) for q in questions)
    data = json.loads((learner.outdir / "_course" / "cours.json").read_text(encoding="utf-8"))
    assert [len(m["questions"]) for m in data["modules"]] == [2]


def test_trainer_matrix_shows_the_activity_as_practice_not_assessment(trainer):
    page = BeautifulSoup(trainer.html("formateur/alignement.html"), "html.parser")
    table = page.select_one("table#matrice-gamma")
    assert "Activités animées ou en autonomie (durée)" in table.select_one("thead").get_text()
    cells = [tr.find_all("td")[2].get_text(" ", strip=True) for tr in table.select("tbody tr")]
    assert cells[0] == (
        "Atelier gamma (10 min) En autonomie : Classer les acteurs de Val-Fictif (8 min)"
    )
    assert cells[1] == "En autonomie : Classer les acteurs de Val-Fictif (8 min)"
    link = next(
        a["href"] for a in table.select("tbody tr a") if a.get_text().startswith("En autonomie")
    )
    target = BeautifulSoup(trainer.html("modules/gamma.html"), "html.parser")
    assert target.find(id=link.split("#")[1]).select_one("details.course-reponse-modele")
    data = json.loads((trainer.outdir / "_course" / "cours.json").read_text(encoding="utf-8"))
    acts = data["alignment"][0]["objectifs"][1]["activites"]
    assert acts == [
        {
            "page": "modules/gamma.html",
            "titre": "Classer les acteurs de Val-Fictif",
            "duree": 8,
            "autonomie": True,
        }
    ]


def test_printed_handout_leaves_the_model_answer_out(learner):
    html = pages.printable(learner.outdir, "modules/gamma.html")
    assert "Dans la commune fictive de Val-Fictif" in html
    assert "Réponse modèle" not in html and "course-reponse-modele" not in html


# -- mistakes are located warnings (type "course": -W fails) -----------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            ":::{reponse-modele}\nRéponse modèle du classement des acteurs de Val-Fictif.\n:::\n",
            "",
            r"exactement une \{reponse-modele\} \(0 trouvée\(s\)\)",
        ),
        (":duree: 8\n:objectif: acteurs, enjeux\n", ":objectif: acteurs\n", "option :duree:"),
        (":objectif: acteurs, enjeux\n", ":objectif: acteurs, absent\n", "objectif inconnu"),
        (
            "Du texte.\n",
            "Du texte.\n\n:::{reponse-modele}\nPerdue.\n:::\n",
            r"\{reponse-modele\} hors d'une \{activite-autonomie\}",
        ),
    ],
)
def test_mistakes_are_located_warnings(tmp_path, capsys, old, new, message):
    src = copy_root("autonomie", tmp_path)
    edit(src / GAMMA, old, new)
    err = failed_build(src, capsys)
    assert re.search(r"modules/gamma\.md:\d+: WARNING: .*" + message, err), err


# -- durations: an alternative to the workshops, not an addition ---------------------------------


def test_self_study_counts_as_an_alternative_to_the_workshops(tmp_path):
    src = copy_root("autonomie", tmp_path)
    # 2 questions + max(10 min workshop, 8 min alone) = 12: declared, no warning (see fixture);
    # a longer self-study activity sets the minimum
    edit(src / GAMMA, ":duree: 8\n", ":duree: 15\n")
    warnings = build(src, src / "_build" / "a").warnings
    assert re.search(
        r"modules/gamma\.md:3: WARNING: \[durée\] duree_activites : 12 min, moins que le quiz "
        r"\(2 question\(s\), 2 min\) et les activités en autonomie \(15 min\) : "
        r"comptez au moins 17 min",
        warnings,
    )
    edit(src / GAMMA, "duree_activites: 12\n", "duree_activites: 17\n")
    assert build(src, src / "_build" / "b", edition="formateur").warnings == ""
