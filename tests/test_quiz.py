"""Self-assessment questions: rendering, accessibility hooks, validation, escaping, data."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import build, built_clean, copy_root, failed_build, write

MODULE_HEAD = """---
duree_lecture: 10
duree_activites: 5
public: Tous
niveau: initiation
resume: Essai.
---

# Essai

:::{objectifs}
- Citer un fait.
:::

:::{prerequis}
- Aucun.
:::

:::{points-cles}
- Un point.
:::

"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    result = built_clean("basic", tmp_path_factory.mktemp("quiz"))
    return result, BeautifulSoup(result.html("modules/alpha.html"), "html.parser")


def test_questions_are_fieldsets_of_native_inputs_with_labels(page):
    _, html = page
    questions = html.select("fieldset.course-question")
    assert len(questions) == 2
    for question in questions:
        assert question.find("legend") is question.find()  # legend is the first child
        for option in question.select("input"):
            label = question.find("label", attrs={"for": option["id"]})
            assert label is not None and label.get_text(strip=True)
        assert question.select_one("button.course-check")["type"] == "button"
        assert question.select_one(".course-result")["aria-live"] == "polite"
    assert [i["type"] for i in questions[0].select("input")] == ["radio", "radio"]
    assert {i["type"] for i in questions[1].select("input")} == {"checkbox"}


def test_correction_is_readable_without_javascript(page):
    _, html = page
    details = html.select_one("fieldset#question-1 details.course-correction")
    text = details.get_text(" ", strip=True)
    assert "Bonne réponse : La bonne" in text
    assert "Mauvaise réponse : La mauvaise" in text and "Non." in text
    assert "loi n° 2014-173, art. 1er" in text


def test_feedback_is_hidden_until_checked_and_tied_to_its_input(page):
    _, html = page
    for option in html.select("fieldset.course-question input"):
        feedback = html.find(id=option["id"] + "-retour")
        assert feedback is not None and feedback.has_attr("hidden")


def test_script_is_local_and_only_on_quiz_pages(page):
    result, html = page
    scripts = [s.get("src", "").split("?")[0] for s in html.find_all("script")]
    assert any(s.endswith("_static/course-quiz.js") for s in scripts)
    assert (result.outdir / "_static" / "course-quiz.js").exists()
    beta = BeautifulSoup(result.html("modules/beta.html"), "html.parser")
    assert not any("course-quiz" in s.get("src", "") for s in beta.find_all("script"))


def test_page_score_is_a_live_region_after_the_last_question(page):
    _, html = page
    score = html.select_one(".course-score")
    assert score["role"] == "status" and score["data-total"] == "2"
    assert score.find_previous("fieldset")["id"] == "question-2"


def test_raw_html_in_a_question_is_shown_as_text(page):
    _, html = page
    assert html.find("script", string=re.compile("alert")) is None
    assert "<script>alert(1)</script>" in html.select_one("#question-1").get_text()


def test_quiz_data_is_kept_in_machine_readable_form(page):
    result, _ = page
    questions = result.app.env.course_data["quizzes"]["modules/alpha"]
    assert questions[1]["multiple"] is True
    assert [o["correct"] for o in questions[1]["options"]] == [True, True, False]
    assert questions[0]["options"][0]["text"] == "La bonne <script>alert(1)</script>"
    assert questions[0]["options"][1]["feedback"] == "Non."
    assert questions[0]["explanation"].startswith("Explication : parce que")


BAD = {
    "no-correct": ("- [ ] A\n  > a\n- [ ] B\n  > b\n\nExplication.\n", "aucune bonne réponse"),
    "duplicate": ("- [x] A\n  > a\n- [ ] A\n  > b\n\nExplication.\n", "en double"),
    "no-feedback": ("- [x] A\n  > a\n- [ ] B\n\nExplication.\n", "retour manquant"),
    "no-marker": ("- [x] A\n  > a\n- B\n  > b\n\nExplication.\n", "commence par [x]"),
    "single-two-right": ("- [x] A\n  > a\n- [x] B\n  > b\n\nExplication.\n", ":multiple:"),
    "no-explanation": ("- [x] A\n  > a\n- [ ] B\n  > b\n", "explication manquante"),
    "one-option": ("- [x] A\n  > a\n\nExplication.\n", "au moins deux options"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_invalid_question_fails_the_build_with_file_and_line(tmp_path, capsys, case):
    body, message = BAD[case]
    src = copy_root("basic", tmp_path)
    write(src / "modules" / "beta.md", MODULE_HEAD + f":::{{question}} Question ?\n{body}:::\n")
    err = failed_build(src, capsys)
    assert re.search(r"modules/beta\.md:2[0-9]: WARNING: \[question\] .*" + re.escape(message), err)


def _written_and_shown(tmp_path, name: str) -> tuple[list[list[str]], list[list[str]], dict]:
    """Options of every question as written in alpha.md, and as shown in the built page."""
    import json

    result = build(
        copy_root("basic", tmp_path / name), tmp_path / name / "_build", course_quiz_shuffle=True
    )
    soup = BeautifulSoup(result.html("modules/alpha.html"), "html.parser")
    shown = [
        [label.get_text(" ", strip=True) for label in q.select(".course-option label")]
        for q in soup.select("fieldset.course-question")
    ]
    course = json.loads((result.outdir / "_course" / "cours.json").read_text(encoding="utf-8"))
    return shown, soup, course


def test_options_are_shuffled_the_same_way_at_every_build_and_in_the_data(tmp_path):
    shown, soup, course = _written_and_shown(tmp_path, "a")
    again, _, _ = _written_and_shown(tmp_path, "b")
    assert shown == again  # deterministic
    written = [["La bonne <script>alert(1)</script>", "La mauvaise"], ["Un", "Deux", "Trois"]]
    assert [sorted(s) for s in shown] == [sorted(w) for w in written]
    assert shown != written  # at least one question is not in its written order
    # the page, its inputs and the exported data agree on which option is right
    data = {q["number"]: q for q in course["modules"][0]["questions"]}
    for n, fieldset in enumerate(soup.select("fieldset.course-question"), start=1):
        inputs = fieldset.select("input")
        assert [i["value"] for i in inputs] == [str(k) for k in range(1, len(inputs) + 1)]
        assert [o["text"] for o in data[n]["options"]] == shown[n - 1]
        assert [i["data-correct"] == "1" for i in inputs] == [
            o["correct"] for o in data[n]["options"]
        ]
    right = {o["text"] for q in data.values() for o in q["options"] if o["correct"]}
    assert right == {"La bonne <script>alert(1)</script>", "Un", "Deux"}


# -- answer cues: the right answer mostly longest, or mostly shown first ----------------------


def _beta_with(tmp_path, questions: list[tuple[str, str, str]], **overrides):
    """Build the basic root with beta.md holding single-choice questions written as
    (right, wrong, wrong), each option in the given order: the right one is first when
    ``right`` leads the tuple (the test root keeps the written order)."""
    src = copy_root("basic", tmp_path)
    beta = (src / "modules" / "beta.md").read_text(encoding="utf-8")
    body = "\n## Quiz\n\n"
    for n, options in enumerate(questions, start=1):
        body += f":::{{question}} Question {n} ?\n:objectif: seuil\n"
        for text in options:
            mark = "x" if text.startswith("+") else " "
            body += f"- [{mark}] {text.lstrip('+')}\n  > Retour.\n"
        body += "\nExplication : essai.\n:::\n\n"
    (src / "modules" / "beta.md").write_text(beta + body, encoding="utf-8")
    return build(src, src / "_build", **overrides)


LONG_RIGHT = ("Un", "+La bonne réponse, bien plus longue", "Trois")
FIRST_RIGHT = ("+Ceci", "Cela", "Autre")
NEUTRAL = ("Court", "+Moyen", "Très longue option")


def test_right_answer_mostly_longest_is_warned_at_the_first_question(tmp_path):
    result = _beta_with(tmp_path, [LONG_RIGHT, LONG_RIGHT, NEUTRAL])
    assert re.search(
        r"modules/beta\.md:2\d: WARNING: \[question\] la bonne réponse est l'option la plus "
        r"longue dans 2 des 3 questions à choix unique",
        result.warnings,
    )
    assert "en premier" not in result.warnings


def test_right_answer_mostly_first_is_warned_when_options_are_not_shuffled(tmp_path):
    result = _beta_with(tmp_path, [FIRST_RIGHT, FIRST_RIGHT, NEUTRAL])
    assert "affichée en premier dans 2 des 3 questions à choix unique" in result.warnings
    assert "plus longue" not in result.warnings


def test_no_cue_warning_when_at_most_half_or_too_few_questions(tmp_path):
    # one of three longest, one of three first: at most half
    assert _beta_with(tmp_path / "a", [LONG_RIGHT, FIRST_RIGHT, NEUTRAL]).warnings == ""
    # two questions, both longest and first: too few to speak of a habit
    both = ("+La bonne réponse, bien plus longue", "Un", "Deux")
    assert _beta_with(tmp_path / "b", [both, both]).warnings == ""


def test_multiple_choice_questions_are_not_counted(tmp_path):
    src = copy_root("basic", tmp_path)
    beta = src / "modules" / "beta.md"
    question = (
        ":::{{question}} Plusieurs {n} ?\n:multiple:\n:objectif: seuil\n"
        "- [x] La première bonne réponse, longue\n  > Oui.\n- [x] B\n  > Oui.\n"
        "- [ ] C\n  > Non.\n\nExplication : essai.\n:::\n\n"
    )
    text = beta.read_text() + "\n## Quiz\n\n" + "".join(question.format(n=n) for n in range(4))
    beta.write_text(text, encoding="utf-8")
    assert build(src, src / "_build").warnings == ""


def test_answer_cues_are_counted_on_the_displayed_order():
    from course.sphinxext.quiz import answer_cues

    def q(*options, multiple=False):
        return {
            "multiple": multiple,
            "options": [{"text": t.lstrip("+"), "correct": t.startswith("+")} for t in options],
        }

    questions = [
        q("+abc", "ab", "a"),  # longest and first
        q("a", "+abc", "abc"),  # as long as a wrong one: not strictly longest
        q("+a", "b", multiple=True),  # not single choice
    ]
    assert answer_cues(questions) == (2, 1, 1)
