"""Self-assessment questions: parsing, validation, machine-readable data, answer cues.

Syntax (MyST)::

    :::{question} Selon l'article 1er, la politique de la ville mobilise en premier lieu…
    :multiple:

    - [x] les politiques de droit commun
      > Exact : « en premier lieu » (loi n° 2014-173, art. 1er, I).
    - [ ] ses instruments propres
      > Non : seulement « lorsque la nature des difficultés le nécessite ».

    Explication : le droit commun d'abord (art. 1er, I, 4e alinéa).
    :::

Each question renders as a ``<fieldset>`` of native radio buttons or checkboxes (keyboard
and screen-reader operable), a « Vérifier » button that a small local script wires up, and a
``<details>`` correction that works without JavaScript. The page score is announced in a
live region (HTML: :mod:`course.sphinxext.quiz_html`). The plain-text form of every question
is stored for the LMS exports.
"""

from __future__ import annotations

import copy
import hashlib
import random
import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import alignment, labels, registry

logger = logging.getLogger(__name__)

MARKER = re.compile(r"^\[( |x|X)\]\s+")


class quiz_question(nodes.General, nodes.Element):
    """A question: ``number``, ``multiple``."""


class quiz_legend(nodes.General, nodes.TextElement):
    """The question text."""


class quiz_option(nodes.General, nodes.Element):
    """One option: ``index``, ``correct``; children: the label inline, then the feedback."""


class quiz_label(nodes.General, nodes.TextElement):
    """The option text, rendered inside ``<label>`` after its input."""


class quiz_feedback(nodes.General, nodes.Element):
    """Feedback for one option, shown by the script once the learner checks an answer."""


class quiz_correction(nodes.General, nodes.Element):
    """The full correction in a ``<details>`` element (readable without JavaScript)."""


class quiz_score(nodes.General, nodes.Element):
    """The page score, a live region updated by the script."""


def escape_raw(node: nodes.Node) -> nodes.Node:
    """Turn raw HTML written in a question into visible text (« <script> » is shown, not run)."""
    if isinstance(node, nodes.raw):
        return nodes.Text(node.astext())
    for raw in list(node.findall(nodes.raw)):
        raw.replace_self(nodes.Text(raw.astext()))
    return node


def _split_option(item: nodes.list_item) -> tuple[bool | None, list[nodes.Node], list, str]:
    """Return (correct, label inline nodes, feedback nodes, problem) for one list item."""
    if not item.children or not isinstance(item[0], nodes.paragraph):
        return None, [], [], "option vide"
    para = item[0]
    first = para[0] if para.children else None
    match = MARKER.match(first.astext()) if isinstance(first, nodes.Text) else None
    if not match:
        return None, [], [], "chaque option commence par [x] (bonne réponse) ou [ ] (mauvaise)"
    rest = first.astext()[match.end() :]
    inline = [nodes.Text(rest)] + [child.deepcopy() for child in para.children[1:]]
    quotes = [child for child in item.children[1:] if isinstance(child, nodes.block_quote)]
    others = [c for c in item.children[1:] if not isinstance(c, nodes.block_quote)]
    if others or len(quotes) > 1:
        return None, [], [], "une option = une ligne de texte, puis un seul retour « > … »"
    if not quotes or not quotes[0].astext().strip():
        return None, [], [], "retour manquant (une citation « > … » sous l'option)"
    return match.group(1) != " ", inline, list(quotes[0].children), ""


class QuestionDirective(SphinxDirective):
    """One self-assessment question (single choice by default, ``:multiple:`` otherwise)."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"multiple": directives.flag, "objectif": directives.unchanged_required}

    def problem(self, message: str) -> list[nodes.Node]:
        logger.warning(
            f"[question] {message}", location=self.get_location(), type="course", subtype="quiz"
        )
        return []

    def run(self):
        multiple = "multiple" in self.options
        body = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, body)
        escape_raw(body)
        lists = [i for i, child in enumerate(body.children) if isinstance(child, nodes.bullet_list)]
        if len(lists) != 1:
            return self.problem("une question contient exactement une liste d'options")
        pos = lists[0]
        stem, explanation = body.children[:pos], body.children[pos + 1 :]
        options, seen = [], set()
        for index, item in enumerate(body[pos].children):
            correct, inline, feedback, message = _split_option(item)
            if message:
                return self.problem(f"option {index + 1} : {message}")
            key = " ".join(nodes.inline("", "", *inline).astext().split()).casefold()
            if key in seen:
                return self.problem(f"option {index + 1} en double : « {key} »")
            seen.add(key)
            options.append((correct, inline, feedback))
        n_correct = sum(1 for correct, _, _ in options if correct)
        if len(options) < 2:
            return self.problem("au moins deux options sont nécessaires")
        if n_correct == 0:
            return self.problem("aucune bonne réponse ([x])")
        if n_correct > 1 and not multiple:
            return self.problem("plusieurs bonnes réponses : ajoutez l'option :multiple:")
        if not explanation:
            return self.problem("explication manquante (un paragraphe après la liste)")
        return [self.build(multiple, stem, options, explanation)]

    def build(self, multiple, stem, options, explanation) -> quiz_question:
        if self.config.course_quiz_shuffle:
            options = shuffled(options, f"{self.env.docname}\0{self.arguments[0]}")
        count = self.env.temp_data.get("course_questions", 0) + 1
        self.env.temp_data["course_questions"] = count
        question = quiz_question(number=count, multiple=multiple)
        self.set_source_info(question)
        legend_nodes, _ = self.state.inline_text(self.arguments[0], self.lineno)
        legend_nodes = [escape_raw(n) for n in legend_nodes]
        legend = quiz_legend("", "", *legend_nodes)
        if multiple:
            legend += nodes.inline("", " " + labels.QUIZ_MULTIPLE, classes=["course-multiple"])
        question += legend
        question.extend(stem)
        correction = quiz_correction()
        answers = nodes.bullet_list()
        data = []
        for index, (correct, inline, feedback) in enumerate(options):
            option = quiz_option(index=index, correct=correct)
            option += quiz_label("", "", *inline)
            option += quiz_feedback("", *feedback, correct=correct)
            question += option
            verdict = labels.QUIZ_RIGHT if correct else labels.QUIZ_WRONG
            line = nodes.paragraph()
            line += nodes.strong("", verdict + " : ")
            line.extend(copy.deepcopy(inline))
            answers += nodes.list_item("", line, *copy.deepcopy(feedback))
            data.append(
                {
                    "text": nodes.inline("", "", *inline).astext().strip(),
                    "correct": correct,
                    "feedback": " ".join(n.astext() for n in feedback).strip(),
                }
            )
        correction += answers
        correction.extend(explanation)
        question += correction
        registry.data(self.env)["quizzes"].setdefault(self.env.docname, []).append(
            {
                "number": count,
                "question": nodes.inline("", "", *legend_nodes).astext().strip(),
                "stem": " ".join(n.astext() for n in stem).strip(),
                "multiple": multiple,
                "options": data,
                "explanation": " ".join(n.astext() for n in explanation).strip(),
                "objectifs": alignment.option_refs(self),
                "ligne": self.lineno,
            }
        )
        return question


def shuffled(options: list, key: str) -> list:
    """``options`` in an order drawn from ``key`` (the page and the question's text): the same
    at every build and in every export, so the right answer's place gives nothing away."""
    seed = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    order = list(options)
    random.Random(seed).shuffle(order)
    return order


def add_score(app, doctree) -> None:
    """``doctree-read``: put the page score after the last question of the page."""
    questions = list(doctree.findall(quiz_question))
    if questions:
        last = questions[-1]
        last.parent.insert(last.parent.index(last) + 1, quiz_score(total=len(questions)))


# -- answer cues ------------------------------------------------------------------------------

CUES_MIN_QUESTIONS = 3
"""Below this many single-choice questions, a module's figures say nothing about a habit."""


def answer_cues(questions: list[dict]) -> tuple[int, int, int]:
    """(single-choice questions, right answer strictly longest, right answer displayed first).

    Options are those stored by the directive, in the displayed order; length is counted in
    characters of the option's text.
    """
    single = [q for q in questions if not q["multiple"]]
    longest = first = 0
    for question in single:
        right = [len(o["text"]) for o in question["options"] if o["correct"]]
        wrong = [len(o["text"]) for o in question["options"] if not o["correct"]]
        longest += right[0] > max(wrong)
        first += question["options"][0]["correct"]
    return len(single), longest, first


def check_cues(app, env) -> None:
    """``env-check-consistency``: in no module is the right answer mostly the longest option,
    or mostly shown first (``course_quiz_shuffle = False``, or an unlucky order)."""
    store = registry.data(env)
    for docname in sorted(store["quizzes"]):
        if docname not in store["modules"]:
            continue
        questions = store["quizzes"][docname]
        count, longest, first = answer_cues(questions)
        if count < CUES_MIN_QUESTIONS:
            continue
        location = (docname, questions[0]["ligne"])
        if 2 * longest > count:
            logger.warning(
                f"[question] la bonne réponse est l'option la plus longue dans {longest} des "
                f"{count} questions à choix unique du module : raccourcissez-la ou précisez "
                "les autres options",
                location=location,
                type="course",
                subtype="quiz",
            )
        if 2 * first > count:
            logger.warning(
                f"[question] la bonne réponse est affichée en premier dans {first} des "
                f"{count} questions à choix unique du module : changez l'ordre des options "
                "(ou gardez course_quiz_shuffle activé)",
                location=location,
                type="course",
                subtype="quiz",
            )
