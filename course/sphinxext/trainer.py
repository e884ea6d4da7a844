"""Trainer-edition content: facilitator notes, their digest page, trainer-only toctrees.

Syntax (MyST)::

    :::{note-formateur} Atelier : qui signe le contrat de ville ?
    :duree: 20

    Déroulé, consignes… (absent de l'édition apprenant)
    :::

    :::{recueil-notes-formateur}
    :::

    :::{toctree-formateur}
    formateur/guide
    :::
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.other import TocTree
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from .. import metadata
from . import alignment, labels, registry, timing
from .config import is_trainer
from .syllabus import doc_link, make_table

logger = logging.getLogger(__name__)


def positive_minutes(argument: str) -> int:
    value = directives.positive_int(argument)
    if value > 480:
        raise ValueError("durée supérieure à 480 minutes")
    return value


#: the options of a timed activity (a facilitator note, a self-study activity)
TIMED_OPTIONS = {
    "duree": positive_minutes,
    "objectif": directives.unchanged_required,
    "class": directives.class_option,
}


class TimedActivity(SphinxDirective):
    """A titled activity with a duration (``:duree:``), objectives and classes: the shape shared
    by facilitator notes and self-study activities."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = TIMED_OPTIONS


class FacilitatorNoteDirective(TimedActivity):
    """A note for the trainer with a title and a duration; removed from the learner edition."""

    def run(self):
        if "duree" not in self.options:
            logger.warning(
                "[note-formateur] option :duree: obligatoire (minutes)",
                location=self.get_location(),
                type="course",
                subtype="trainer",
            )
            return []
        activity = {
            "titre": self.arguments[0],
            "duree": self.options["duree"],
            "objectifs": alignment.option_refs(self),  # checked in both editions
            "ligne": self.lineno,
        }
        timing.record_note(self.env, self.arguments[0], self.options["duree"], self.lineno)
        if activity["objectifs"]:
            registry.data(self.env)["activities"].setdefault(self.env.docname, []).append(activity)
        if not is_trainer(self.config):
            return []  # learner edition: nothing of the note reaches any output
        duree = self.options["duree"]
        title_text = labels.NOTE_TITLE.format(
            title=self.arguments[0], duree=metadata.format_minutes(duree)
        )
        node = nodes.admonition(classes=["course-note-formateur"])
        self.set_source_info(node)
        textnodes, _ = self.state.inline_text(title_text, self.lineno)
        node += nodes.title(title_text, "", *textnodes)
        self.state.nested_parse(self.content, self.content_offset, node)
        anchor = make_id(self.env, self.state.document, "note-formateur", self.arguments[0])
        node["ids"].append(anchor)
        notes = registry.data(self.env)["notes"].setdefault(self.env.docname, [])
        notes.append(
            {
                "title": self.arguments[0],
                "duree": duree,
                "anchor": anchor,
                "objectifs": activity["objectifs"],
            }
        )
        activity["ancre"] = anchor
        return [node]


class course_notes_digest(nodes.General, nodes.Element):
    """Placeholder for the table of every facilitator note."""


class NotesDigestDirective(SphinxDirective):
    """The table of all facilitator notes, in course order, with their durations."""

    def run(self):
        registry.data(self.env)["aggregators"][self.env.docname] = "notes"
        return [course_notes_digest()]


def build_digest(app, fromdocname: str) -> nodes.Node:
    env = app.env
    notes = registry.data(env)["notes"]
    order = [d for d in registry.toctree_order(env) if d in notes]
    order += sorted(d for d in notes if d not in order)
    if not order:
        return nodes.paragraph("", labels.NOTES_EMPTY)
    table, body = make_table(
        labels.NOTES_CAPTION, labels.NOTES_HEAD, (35, 50, 15), "notes-formateur"
    )
    total = 0
    for docname in order:
        title = env.titles[docname].astext() if docname in env.titles else docname
        for note in notes[docname]:
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph("", title))
            cell = nodes.paragraph()
            cell += doc_link(app, fromdocname, docname, note["title"], note["anchor"])
            row += nodes.entry("", cell)
            row += nodes.entry("", nodes.paragraph("", metadata.format_minutes(note["duree"])))
            body += row
            total += note["duree"]
    row = nodes.row(classes=["course-total"])
    row += nodes.entry("", nodes.paragraph("", labels.NOTES_TOTAL))
    row += nodes.entry("", nodes.paragraph("", ""))
    row += nodes.entry("", nodes.paragraph("", metadata.format_minutes(total)))
    body += row
    return table


def resolve_digest(app, doctree, fromdocname: str) -> None:
    for node in list(doctree.findall(course_notes_digest)):
        node.replace_self(build_digest(app, fromdocname))


class TrainerTocTree(TocTree):
    """A toctree that exists only in the trainer edition."""

    def run(self):
        if not is_trainer(self.config):
            return []
        return super().run()


def exclude_trainer_pages(app, config) -> None:
    """``config-inited``: the learner edition does not even read the trainer pages."""
    if not is_trainer(config):
        config.exclude_patterns.append(config.course_trainer_dir.rstrip("/") + "/**")


TO_CHECK_OBJECTS = ("droit", "fait")


class ToCheckDirective(SphinxDirective):
    """A visible warning box for a fact that is not confirmed by a primary source."""

    has_content = True
    # ``droit`` (default): an unconfirmed rule of law or wording in force; ``fait``: a figure,
    # a publication, an event. Read by ``modules.check_law_date`` against ``etat_du_droit``.
    option_spec = {"objet": lambda arg: directives.choice(arg, TO_CHECK_OBJECTS)}

    def run(self):
        node = nodes.admonition(classes=["warning", "course-a-verifier"])
        node["objet"] = self.options.get("objet", "droit")
        self.set_source_info(node)
        node += nodes.title(labels.TO_CHECK_TITLE, labels.TO_CHECK_TITLE)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]
