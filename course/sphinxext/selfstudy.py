"""Self-study activities: a task for the learner working alone, with a model answer to reveal.

Syntax (MyST)::

    ::::{activite-autonomie} Cartographier les acteurs d'un quartier fictif
    :duree: 15
    :objectif: systeme-acteurs

    Consigne, situation (fictive), ce qu'il faut produire…

    :::{reponse-modele}
    Une réponse possible, avec ses sources.
    :::
    ::::

Unlike a ``{note-formateur}``, the activity is in both editions: it is what a learner who
follows the module alone does instead of the workshop. The model answer is a ``<details>``
element (native, keyboard-operable, readable without JavaScript), closed until the learner
opens it. It is not a question: it is not scored, not in the quiz data, not exported to the
LMS banks, and the session kit leaves it out of printed handouts.

Its ``:objectif:`` refs are checked and shown in the alignment matrix like a facilitator
note's (it practises objectives, it does not assess them); its ``:duree:`` is timed by
``timing`` (an alternative to the workshops, not an addition to them).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from .. import metadata
from . import alignment, labels, registry, timing
from .trainer import TimedActivity

logger = logging.getLogger(__name__)

INSIDE = "course_selfstudy_open"  # env.temp_data flag: an activity is being parsed


class course_model_answer(nodes.General, nodes.Element):
    """The model answer of a self-study activity, rendered as ``<details>``."""


def _warn(message: str, location) -> None:
    logger.warning(
        f"[activite-autonomie] {message}", location=location, type="course", subtype="selfstudy"
    )


class SelfStudyDirective(TimedActivity):
    """A learner's self-study activity: title, duration, task and one model answer."""

    def run(self):
        if "duree" not in self.options:
            _warn(labels.SELF_STUDY_NO_DURATION, self.get_location())
            return []
        title, minutes = self.arguments[0], self.options["duree"]
        node = nodes.admonition(classes=["course-autonomie", *self.options.get("class", [])])
        self.set_source_info(node)
        heading = labels.SELF_STUDY_TITLE.format(
            title=title, duree=metadata.format_minutes(minutes)
        )
        textnodes, _ = self.state.inline_text(heading, self.lineno)
        node += nodes.title(heading, "", *textnodes)
        self.env.temp_data[INSIDE] = True
        try:
            self.state.nested_parse(self.content, self.content_offset, node)
        finally:
            self.env.temp_data.pop(INSIDE, None)
        answers = list(node.findall(course_model_answer))
        if len(answers) != 1:
            _warn(labels.SELF_STUDY_ANSWERS.format(n=len(answers)), self.get_location())
        anchor = make_id(self.env, self.state.document, "activite-autonomie", title)
        node["ids"].append(anchor)
        timing.record_self_study(self.env, title, minutes, self.lineno)
        refs = alignment.option_refs(self)
        if refs:
            registry.data(self.env)["activities"].setdefault(self.env.docname, []).append(
                {
                    "titre": title,
                    "duree": minutes,
                    "objectifs": refs,
                    "ligne": self.lineno,
                    "ancre": anchor,
                    "autonomie": True,
                }
            )
        return [node]


class ModelAnswerDirective(SphinxDirective):
    """``{reponse-modele}``: the model answer, only inside ``{activite-autonomie}``."""

    has_content = True

    def run(self):
        if not self.env.temp_data.get(INSIDE):
            _warn(labels.SELF_STUDY_ANSWER_OUTSIDE, self.get_location())
            return []
        if not self.content:
            _warn(labels.SELF_STUDY_ANSWER_EMPTY, self.get_location())
            return []
        node = course_model_answer()
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


# -- HTML -------------------------------------------------------------------------------------


def visit_model_answer(self, node):
    self.body.append(
        self.starttag(node, "details", CLASS="course-reponse-modele")
        + f"<summary>{self.encode(labels.SELF_STUDY_REVEAL)}</summary>\n"
    )


def depart_model_answer(self, node):
    self.body.append("</details>\n")
