"""Course paths for trainers: sessions of modules whose timings come from module metadata.

Syntax (MyST), in the trainer's guide::

    :::{parcours} Une journée
    :disponible: 360

    Matin : loi-2014, geographie-prioritaire
    Après-midi : contrat-de-ville, participation
    :::

Each line is « session : module slugs ». The table shows every session with its modules and
the sum of their durations (``duree_lecture + duree_activites``, never less than reading time
plus quiz and timed activities: see ``timing``), each module's quiz time shown; a path longer than
``:disponible:`` minutes, or an unknown slug, is a located error.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import metadata, parcours
from . import labels, registry, timing
from .config import is_trainer
from .syllabus import doc_link, make_table

logger = logging.getLogger(__name__)


class course_path(nodes.General, nodes.Element):
    """Placeholder: ``title``, ``available`` (minutes or 0), ``sessions`` [(name, [slugs])]."""


class PathDirective(SphinxDirective):
    """A course path: named sessions of modules, timed from the modules' metadata."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"disponible": directives.positive_int}

    def source_lines(self) -> list[int]:
        """The line, in the file, of each content line.

        MyST counts ``content_offset`` from the directive (after its options and a blank
        line), docutils from the top of the file: the lines are looked up in the file
        instead, after the directive's first line.
        """
        path = self.env.doc2path(self.env.docname)
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        found, start = [], self.lineno  # index of the line after the directive's first line
        for text in self.content:
            target = text.strip()
            index = next((i for i in range(start, len(lines)) if lines[i].strip() == target), None)
            if target and index is not None:
                start = index + 1
            found.append(index + 1 if target and index is not None else self.lineno)
        return found

    def run(self):
        sessions = []
        for line, number in zip(self.content, self.source_lines(), strict=True):
            if not line.strip():
                continue
            parsed = parcours.parse_line(line)
            if parsed is None:
                logger.warning(
                    f"[parcours] ligne « {line.strip()} » : « séance : module, module »",
                    location=(self.env.docname, number),
                    type="course",
                    subtype="path",
                )
                continue
            sessions.append((*parsed, number))
        registry.data(self.env)["aggregators"][self.env.docname] = "parcours"
        node = course_path(
            title=self.arguments[0], available=self.options.get("disponible", 0), sessions=sessions
        )
        self.set_source_info(node)
        return [node]


def build_path(app, node: course_path, fromdocname: str) -> nodes.Node:
    modules = {m["slug"]: m for m in registry.ordered_modules(app.env)}
    known = registry.known_slugs(app.env)
    ident = "parcours-" + nodes.make_id(node["title"])
    table, body = make_table(node["title"], labels.PATH_HEAD, (25, 60, 15), ident)
    total = 0
    for name, slugs, line in node["sessions"]:
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph("", name))
        cell = nodes.bullet_list()
        minutes = 0
        for slug in slugs:
            module = modules.get(slug)
            if module is None and slug in known:
                continue  # refused for its metadata: already reported, where it is
            if module is None:
                logger.warning(
                    f"[parcours] module inconnu « {slug} »",
                    location=(fromdocname, line),
                    type="course",
                    subtype="path",
                )
                continue
            timed = timing.path_minutes(app.env, module)
            minutes += timed
            quiz = timing.quiz_minutes(app.env, module["docname"])
            para = nodes.paragraph()
            para += doc_link(app, fromdocname, module["docname"], module["title"])
            detail = metadata.format_minutes(timed)
            if quiz:
                detail = labels.PATH_MODULE_QUIZ.format(
                    duree=detail, quiz=metadata.format_minutes(quiz)
                )
            para += nodes.Text(f" ({detail})")
            cell += nodes.list_item("", para)
        row += nodes.entry("", cell)
        row += nodes.entry("", nodes.paragraph("", metadata.format_minutes(minutes)))
        body += row
        total += minutes
    row = nodes.row(classes=["course-total"])
    row += nodes.entry("", nodes.paragraph("", labels.PATH_TOTAL))
    available = node["available"]
    note = (
        labels.PATH_AVAILABLE.format(available=metadata.format_minutes(available))
        if available
        else ""
    )
    row += nodes.entry("", nodes.paragraph("", note))
    row += nodes.entry("", nodes.paragraph("", metadata.format_minutes(total)))
    body += row
    if available and total > available:
        logger.warning(
            f"[parcours] « {node['title']} » : {metadata.format_minutes(total)} de "
            f"modules pour {metadata.format_minutes(available)} disponibles",
            location=node,
            type="course",
            subtype="path",
        )
    return table


def resolve_paths(app, doctree, fromdocname: str) -> None:
    for node in list(doctree.findall(course_path)):
        node.replace_self(build_path(app, node, fromdocname))


def check_sources(app, env) -> None:
    """``env-check-consistency``, learner edition: it does not read ``formateur/``, yet its
    ``cours.json`` carries the course paths (for ``make session``); an unknown module in
    one of them is the same located error as in the trainer edition."""
    if is_trainer(app.config):
        return  # the directive reports it where the path is rendered
    known = registry.known_slugs(env)
    srcdir = Path(app.srcdir)
    for path in parcours.from_sources(srcdir, app.config.course_trainer_dir):
        source = srcdir / f"{path['page']}.md"
        lines = source.read_text(encoding="utf-8").splitlines()
        for session in path["seances"]:
            for slug in session["modules"]:
                if slug in known:
                    continue
                line = next(
                    (
                        n
                        for n, text in enumerate(lines, 1)
                        if n > path["ligne"] and text.strip().startswith(session["nom"])
                    ),
                    path["ligne"],
                )
                logger.warning(
                    f"{source.relative_to(srcdir)}:{line}: [parcours] module inconnu « {slug} »",
                    type="course",
                    subtype="path",
                )
