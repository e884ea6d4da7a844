"""Moodle XML question bank of a module: multiple-choice questions with per-answer feedback.

Each question of a module becomes a ``multichoice`` question (one right answer: ``single`` is
``true``; several: ``false``), the option feedback becomes the answer feedback, and the
explanation becomes the general feedback. Answer weights (``fraction``) come from Moodle's
fixed list — any other value makes Moodle's importer reject the question (research/lms.md,
§5.1). Texts are HTML-escaped (they are plain text in ``cours.json``), then XML-escaped by
ElementTree: ``<script>`` written in a question stays visible text.

Each question carries one tag per objective it assesses, ``objectif-<module>/<id>``
(``<tags><tag><text>…</text></tag></tags>``, which Moodle's XML importer stores as question
tags): the question bank can then be filtered by objective.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from . import LmsError

# Moodle's accepted grades (question/format.php, match_grade_options), as percentages.
MOODLE_FRACTIONS = (
    "100",
    "90",
    "83.33333",
    "80",
    "75",
    "70",
    "66.66667",
    "60",
    "50",
    "40",
    "33.33333",
    "30",
    "25",
    "20",
    "16.66667",
    "14.28571",
    "12.5",
    "11.11111",
    "10",
    "5",
    "0",
)
ALLOWED = frozenset(MOODLE_FRACTIONS) | {f"-{f}" for f in MOODLE_FRACTIONS if f != "0"}
SHARE = {
    1: "100",
    2: "50",
    3: "33.33333",
    4: "25",
    5: "20",
    6: "16.66667",
    7: "14.28571",
    8: "12.5",
    9: "11.11111",
    10: "10",
}
FEEDBACK = {
    "correctfeedback": "Bonne réponse.",
    "partiallycorrectfeedback": "Réponse partiellement correcte.",
    "incorrectfeedback": "Réponse incorrecte.",
}


def fractions(question: dict) -> list[str]:
    """The weight of each option, from Moodle's list.

    Single choice: 100 for the right answer, 0 for the others. Multiple choice: the right
    answers share 100 %, each wrong answer takes back one right answer's share.
    """
    correct = [bool(o["correct"]) for o in question["options"]]
    if not question.get("multiple"):
        return ["100" if c else "0" for c in correct]
    share = SHARE.get(sum(correct))
    if share is None:
        raise LmsError(
            f"question « {question['question']} » : {sum(correct)} bonnes réponses, "
            "Moodle n'accepte pas de poids pour plus de 10."
        )
    return [share if c else f"-{share}" for c in correct]


def question_html(question: dict) -> str:
    text = f"<p>{html.escape(question['question'], quote=False)}</p>"
    if question.get("stem"):
        text += f"<p>{html.escape(question['stem'], quote=False)}</p>"
    return text


def para(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""


def category(course: dict, module: dict) -> str:
    """``$course$/top/<course>/<module>`` (``/`` separates levels: removed from titles)."""

    def clean(title: str) -> str:
        return " ".join(title.replace("/", "-").split())

    return f"$course$/top/{clean(course['titre'])}/{clean(module['title'])}"


def objective_tags(question: dict) -> list[str]:
    """``objectif-<module>/<id>`` for every objective the question assesses."""
    return [f"objectif-{ref}" for ref in question.get("objectifs", [])]


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def bank(course: dict, module: dict) -> str:
    """The Moodle XML text of ``module``'s questions."""
    quiz = ET.Element("quiz")
    cat = ET.SubElement(quiz, "question", {"type": "category"})
    ET.SubElement(ET.SubElement(cat, "category"), "text").text = category(course, module)
    for q in module.get("questions", []):
        element = ET.SubElement(quiz, "question", {"type": "multichoice"})
        name = ET.SubElement(element, "name")
        ET.SubElement(name, "text").text = f"Q{q['number']} — {' '.join(q['question'].split())}"
        _text(element, "questiontext", question_html(q))
        _text(element, "generalfeedback", para(q.get("explanation", "")))
        ET.SubElement(element, "defaultgrade").text = "1"
        ET.SubElement(element, "penalty").text = "0.3333333"
        ET.SubElement(element, "hidden").text = "0"
        ET.SubElement(element, "idnumber").text = f"{module['slug']}-q{q['number']}"
        ET.SubElement(element, "single").text = "false" if q.get("multiple") else "true"
        ET.SubElement(element, "shuffleanswers").text = "true"
        ET.SubElement(element, "answernumbering").text = "abc"
        for tag, text in FEEDBACK.items():
            _text(element, tag, para(text))
        if q.get("multiple"):
            ET.SubElement(element, "shownumcorrect")
        for option, weight in zip(q["options"], fractions(q), strict=True):
            answer = ET.SubElement(element, "answer", {"fraction": weight, "format": "html"})
            ET.SubElement(answer, "text").text = html.escape(option["text"], quote=False)
            _text(answer, "feedback", para(option.get("feedback", "")))
        tags = objective_tags(q)
        if tags:
            parent = ET.SubElement(element, "tags")
            for tag in tags:
                ET.SubElement(ET.SubElement(parent, "tag"), "text").text = tag
    ET.indent(quiz, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
