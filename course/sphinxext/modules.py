"""Module metadata in Sphinx: list directives, validation, the « fiche module » box.

Syntax (MyST)::

    :::{objectifs}
    - Citer les trois éléments de l'objectif commun (loi n° 2014-173, art. 1er).
    :::

``{objectifs}`` and ``{prerequis}`` are moved into the fiche at the top of the page;
``{points-cles}`` renders where it is written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import metadata
from . import alignment, labels, registry
from .config import is_trainer
from .syllabus import doc_xref, exercises_for

logger = logging.getLogger(__name__)


class course_block(nodes.General, nodes.Element):
    """A list block (objectives, prerequisites, key points) with ``kind`` and ``items``."""


class course_fiche(nodes.General, nodes.Element):
    """The « fiche module » box rendered as an ``<aside>``."""


class ListBlockDirective(SphinxDirective):
    """One bullet list of objectives, prerequisites or key points (name gives the kind)."""

    has_content = True

    def run(self):
        kind = self.name
        node = course_block(kind=kind, items=[])
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        lists = [child for child in node.children if isinstance(child, nodes.bullet_list)]
        if len(lists) != 1 or len(node.children) != 1:
            logger.warning(
                labels.ERR_LIST_BLOCK.format(kind=kind),
                location=node,
                type="course",
                subtype="metadata",
            )
            return [node]
        node["items"] = [item.astext().strip() for item in lists[0].children]
        if kind == "objectifs":
            node["ids_objectifs"], node["lines"] = [], []
            for offset, item in enumerate(lists[0].children):
                line = item.line or self.lineno + 1 + offset
                ident, text = alignment.label_objective(item, is_trainer(self.config))
                node["items"][offset] = text
                node["ids_objectifs"].append(ident)
                node["lines"].append(line)
                message = metadata.check_objective(text)
                if message:
                    logger.warning(
                        f"[objectifs] {message}",
                        location=(self.env.docname, line),
                        type="course",
                        subtype="metadata",
                    )
        if kind == "points-cles":
            node.insert(0, nodes.paragraph("", labels.KEY_POINTS, classes=["course-block-title"]))
        return [node]


def is_module(env, docname: str) -> bool:
    return docname.startswith(env.config.course_modules_dir.rstrip("/") + "/")


def _warn(env, docname, problem: metadata.Problem) -> None:
    logger.warning(
        f"[{problem.field}] {problem.message}",
        location=(docname, problem.line),
        type="course",
        subtype="metadata",
    )


def collect_module(app, doctree) -> None:
    """``doctree-read``: validate a module's metadata, store it, insert its fiche."""
    env = app.env
    docname = env.docname
    blocks = {kind: [] for kind in metadata.LIST_BLOCKS}
    for block in doctree.findall(course_block):  # one walk of the tree, not one per kind
        blocks.setdefault(block["kind"], []).append(block)
    if not is_module(env, docname):
        for kind in ("objectifs", "prerequis"):
            for block in blocks[kind]:
                logger.warning(
                    labels.ERR_BLOCK_OUTSIDE_MODULE.format(kind=kind),
                    location=block,
                    type="course",
                    subtype="metadata",
                )
        return
    text = Path(env.doc2path(docname)).read_text(encoding="utf-8")
    fields, problems = metadata.read_front_matter(text)
    clean, more = metadata.validate_front_matter(fields) if fields else ({}, [])
    problems += more
    slug_problem = metadata.check_slug(docname.rsplit("/", 1)[-1])
    if slug_problem:
        problems.append(metadata.Problem(1, "slug", slug_problem))
    for kind, label in metadata.LIST_BLOCKS.items():
        if not blocks[kind]:
            problems.append(
                metadata.Problem(1, kind, labels.ERR_MISSING_BLOCK.format(kind=kind, label=label))
            )
        elif len(blocks[kind]) > 1:
            problems.append(
                metadata.Problem(
                    blocks[kind][1].line, kind, labels.ERR_DUPLICATE_BLOCK.format(kind=kind)
                )
            )
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        problems.append(metadata.Problem(1, "titre", labels.ERR_NO_TITLE))
    for problem in problems:
        _warn(env, docname, problem)
    if problems:  # its own errors say it all: references to it and to its objectives hold
        registry.data(env)["invalid"][docname] = docname.rsplit("/", 1)[-1]
        if len(blocks["objectifs"]) == 1:
            alignment.record_objectives(env, docname, blocks["objectifs"][0])
        return
    items = {kind: found[0]["items"] for kind, found in blocks.items()}
    meta = metadata.ModuleMeta(
        docname=docname,
        title=section[0].astext(),
        objectifs=items["objectifs"],
        prerequis=items["prerequis"],
        points_cles=items["points-cles"],
        objectifs_ids=[i or "" for i in blocks["objectifs"][0].get("ids_objectifs", [])],
        **clean,
    )
    for line, message in check_law_date(doctree, meta.etat_du_droit):
        logger.warning(message, location=(docname, line), type="course", subtype="etat-du-droit")
    registry.data(env)["modules"][docname] = meta.to_dict()
    alignment.record_objectives(env, docname, blocks["objectifs"][0])
    fiche = build_fiche(meta, blocks["objectifs"][0], blocks["prerequis"][0])
    add_exercises(env, fiche, meta.slug)
    section.insert(1, fiche)


_UNCHECKED = re.compile(r"\bnon\s+lue?s?\b|\bà\s+vérifier\b", re.IGNORECASE)
_NOT_PROSE = (nodes.literal_block, nodes.literal, nodes.raw, nodes.comment)


def check_law_date(doctree: nodes.Node, etat_du_droit: str | None) -> list[tuple[int, str]]:
    """What contradicts a module's ``etat_du_droit`` date: ``(line, message)`` pairs.

    A date after ``labels.LAW_CHECK_CUTOFF`` (the state of the stored texts) says that every
    legal statement was checked up to then. Such a module may not write « non lu » or
    « à vérifier » outside an ``{a-verifier}`` box (code is not prose), nor hold a box on a
    rule of law (a box without ``:objet: fait``). Read on the parsed page, so that boxes and
    code are what the parser says they are.
    """
    if not etat_du_droit or etat_du_droit <= labels.LAW_CHECK_CUTOFF:
        return []
    found: list[tuple[int, str]] = []
    boxes = [n for n in doctree.findall(nodes.admonition) if "course-a-verifier" in n["classes"]]
    for box in boxes:
        if box.get("objet", "droit") != "fait":
            message = labels.ERR_UNCHECKED_LAW.format(
                date=etat_du_droit, cutoff=labels.LAW_CHECK_CUTOFF
            )
            found.append((box.line or 1, message))
    for text in doctree.findall(nodes.Text):
        ancestors = []
        node = text.parent
        while node is not None:
            ancestors.append(node)
            node = node.parent
        if any(a in boxes or isinstance(a, _NOT_PROSE) for a in ancestors):
            continue
        line = next((a.line for a in ancestors if a.line), 1)
        for match in _UNCHECKED.finditer(text.astext()):
            message = labels.ERR_UNCHECKED_TEXT.format(
                found=match.group(0), date=etat_du_droit, cutoff=labels.LAW_CHECK_CUTOFF
            )
            found.append((line, message))
    return sorted(found, key=lambda f: f[0])


def _french_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {labels.MONTHS[day.month - 1]} {day.year}"


def build_fiche(meta: metadata.ModuleMeta, objectifs, prerequis) -> course_fiche:
    """Build the fiche box; the two blocks are moved into it from where they were written."""
    fields = nodes.field_list(classes=["course-fiche-champs"])

    def add(name: str, value: str) -> None:
        fields.append(
            nodes.field(
                "", nodes.field_name("", name), nodes.field_body("", nodes.paragraph("", value))
            )
        )

    add(
        labels.DURATION,
        labels.DURATION_VALUE.format(
            total=metadata.format_minutes(meta.duree_totale),
            lecture=metadata.format_minutes(meta.duree_lecture),
            activites=metadata.format_minutes(meta.duree_activites),
        ),
    )
    add(labels.AUDIENCE, meta.public)
    add(labels.LEVEL, meta.niveau)
    if meta.etat_du_droit:
        add(labels.LAW_AS_OF, labels.LAW_AS_OF_VALUE.format(date=_french_date(meta.etat_du_droit)))
    fiche = course_fiche(classes=["course-fiche"])
    fiche += nodes.paragraph("", labels.FICHE_TITLE, classes=["course-fiche-titre"])
    fiche += fields
    for block, title in ((objectifs, labels.OBJECTIVES_INTRO), (prerequis, labels.PREREQUISITES)):
        block.parent.remove(block)
        block.insert(0, nodes.paragraph("", title, classes=["course-block-title"]))
        fiche += block
    return fiche


def add_exercises(env, fiche: course_fiche, slug: str) -> None:
    """List the exercises that serve this module (declared in each exercise's metadata)."""
    out = env.config.course_exercises_output.rstrip("/")
    found = exercises_for(env, slug)
    if not found:
        return
    para = nodes.paragraph()
    for index, ex in enumerate(found):
        if index:
            para += nodes.Text(" ; ")
        ref = doc_xref(env, f"/{out}/{ex['slug']}", ex["title"])
        para += ref
        para += nodes.Text(f" ({metadata.format_minutes(ex['duree'])})")
    fields = next(iter(fiche.findall(nodes.field_list)))
    fields += nodes.field("", nodes.field_name("", labels.EXERCISES), nodes.field_body("", para))


# -- HTML -------------------------------------------------------------------------------------


def visit_block(self, node):
    self.body.append(self.starttag(node, "div", CLASS=f"course-block course-{node['kind']}"))


def depart_block(self, node):
    self.body.append("</div>\n")


def visit_fiche(self, node):
    self.body.append(self.starttag(node, "aside", **{"aria-label": labels.FICHE_TITLE}))


def depart_fiche(self, node):
    self.body.append("</aside>\n")
