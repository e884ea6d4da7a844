"""The HTML of self-assessment questions (:mod:`course.sphinxext.quiz`): a ``<fieldset>`` of
native radio buttons or checkboxes, a « Vérifier » button wired by ``course-quiz.js``, a
``<details>`` correction that works without JavaScript, the page score in a live region; the
script is loaded only on pages that have questions."""

from __future__ import annotations

from docutils import nodes

from . import labels
from .quiz import (
    quiz_correction,
    quiz_feedback,
    quiz_label,
    quiz_legend,
    quiz_option,
    quiz_question,
    quiz_score,
)


def _qid(node) -> str:
    return f"question-{node['number']}"


def visit_question(self, node):
    self.body.append(
        self.starttag(
            node,
            "fieldset",
            CLASS="course-question",
            ids=[_qid(node)],
            **{"data-multiple": "1" if node["multiple"] else "0"},
        )
    )


def depart_question(self, node):
    self.body.append("</fieldset>\n")


def visit_legend(self, node):
    self.body.append(
        self.starttag(node, "legend", "") + f'<span class="course-question-number">'
        f"{self.encode(labels.QUESTION.format(n=node.parent['number']))}</span> "
    )


def depart_legend(self, node):
    self.body.append("</legend>\n")


def visit_option(self, node):
    self.body.append(self.starttag(node, "div", CLASS="course-option"))


def depart_option(self, node):
    self.body.append("</div>\n")


def visit_label(self, node):
    option, question = node.parent, node.parent.parent
    base = _qid(question)
    input_id = f"{base}-o{option['index'] + 1}"
    kind = "checkbox" if question["multiple"] else "radio"
    self.body.append(
        f'<input type="{kind}" name="{base}" id="{input_id}" value="{option["index"] + 1}" '
        f'data-correct="{1 if option["correct"] else 0}">'
        f'<label for="{input_id}">'
    )


def depart_label(self, node):
    self.body.append("</label>\n")


def visit_feedback(self, node):
    option, question = node.parent, node.parent.parent
    verdict = labels.QUIZ_RIGHT if node["correct"] else labels.QUIZ_WRONG
    self.body.append(
        f'<div class="course-feedback" id="{_qid(question)}-o{option["index"] + 1}-retour" hidden>'
        f"<strong>{self.encode(verdict)} : </strong>"
    )


def depart_feedback(self, node):
    self.body.append("</div>\n")


def visit_correction(self, node):
    self.body.append(
        '<div class="course-actions">'
        f'<button type="button" class="course-check">{self.encode(labels.QUIZ_CHECK)}</button>'
        '<p class="course-result" role="status" aria-live="polite"></p></div>\n'
        f'<details class="course-correction"><summary>{self.encode(labels.QUIZ_CORRECTION)}'
        "</summary>\n"
    )


def depart_correction(self, node):
    self.body.append("</details>\n")


def visit_score(self, node):
    self.body.append(
        f'<p class="course-score" role="status" aria-live="polite" data-total="{node["total"]}">'
        f"{self.encode(labels.QUIZ_NOSCRIPT)}</p>\n"
    )
    raise nodes.SkipNode


def html_page_context(app, pagename, templatename, context, doctree) -> None:
    """Load the quiz script only on pages that have questions."""
    if doctree is not None and any(True for _ in doctree.findall(quiz_question)):
        app.add_js_file("course-quiz.js", loading_method="defer")


NODES = (
    (quiz_question, visit_question, depart_question),
    (quiz_legend, visit_legend, depart_legend),
    (quiz_option, visit_option, depart_option),
    (quiz_label, visit_label, depart_label),
    (quiz_feedback, visit_feedback, depart_feedback),
    (quiz_correction, visit_correction, depart_correction),
    (quiz_score, visit_score, None),
)
