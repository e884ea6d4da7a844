"""The course syllabus (« Programme »), generated from every module's metadata.

Syntax (MyST), on the page that shows it::

    :::{programme}
    :::
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .. import metadata
from . import labels, registry


class course_programme(nodes.General, nodes.Element):
    """Placeholder replaced by the syllabus table when the page is written."""


class ProgrammeDirective(SphinxDirective):
    """Insert the syllabus table (module, duration, objectives; total duration)."""

    def run(self):
        registry.data(self.env)["aggregators"][self.env.docname] = "programme"
        node = course_programme()
        self.set_source_info(node)
        return [node]


def make_table(caption: str, head: tuple[str, ...], widths: tuple[int, ...], ident: str) -> tuple:
    """Return an empty docutils table (with a caption and an id) and its body to fill."""
    table = nodes.table(classes=["course-table"], ids=[ident])
    table += nodes.title("", caption)
    group = nodes.tgroup(cols=len(head))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    row = nodes.row()
    for text in head:
        row += nodes.entry("", nodes.paragraph("", text))
    group += nodes.thead("", row)
    body = nodes.tbody()
    group += body
    return table, body


def doc_xref(env, target: str, text: str) -> nodes.Node:
    """A ``{doc}`` reference resolved (and warned about) by Sphinx, titled ``text`` when given."""
    node = addnodes.pending_xref(
        "",
        refdomain="std",
        reftype="doc",
        reftarget=target,
        refexplicit=bool(text),
        refwarn=True,
        refdoc=env.docname,
    )
    node += nodes.inline(text, text)
    return node


def doc_link(app, fromdocname: str, docname: str, text: str, anchor: str = "") -> nodes.Node:
    uri = app.builder.get_relative_uri(fromdocname, docname) + (f"#{anchor}" if anchor else "")
    return nodes.reference("", text, internal=True, refuri=uri)


def exercises_for(env, slug: str) -> list[dict]:
    """The exercises that declare ``module: <slug>``, in slug order."""
    found = [ex for ex in getattr(env, "course_exercises", {}).values() if ex["module"] == slug]
    return sorted(found, key=lambda ex: ex["slug"])


def build_programme(app, fromdocname: str) -> nodes.table:
    env = app.env
    modules = registry.ordered_modules(env)
    out = app.config.course_exercises_output.rstrip("/")
    table, body = make_table(
        labels.SYLLABUS_CAPTION, labels.SYLLABUS_HEAD, (25, 12, 45, 18), "programme-du-cours"
    )
    total = total_ex = 0
    for mod in modules:
        row = nodes.row()
        title = nodes.paragraph()
        title += doc_link(app, fromdocname, mod["docname"], mod["title"])
        row += nodes.entry("", title)
        row += nodes.entry("", nodes.paragraph("", metadata.format_minutes(mod["duree_totale"])))
        objectives = nodes.bullet_list()
        for text in mod["objectifs"]:
            objectives += nodes.list_item("", nodes.paragraph("", text))
        row += nodes.entry("", objectives)
        cell = nodes.bullet_list()
        for ex in exercises_for(env, mod["slug"]):
            para = nodes.paragraph()
            para += doc_link(app, fromdocname, f"{out}/{ex['slug']}", ex["title"])
            para += nodes.Text(f" ({metadata.format_minutes(ex['duree'])})")
            cell += nodes.list_item("", para)
            total_ex += ex["duree"]
        row += nodes.entry("", cell if cell.children else nodes.paragraph("", "—"))
        body += row
        total += mod["duree_totale"]
    row = nodes.row(classes=["course-total"])
    row += nodes.entry("", nodes.paragraph("", labels.SYLLABUS_TOTAL.format(count=len(modules))))
    row += nodes.entry("", nodes.paragraph("", metadata.format_minutes(total)))
    row += nodes.entry("", nodes.paragraph("", ""))
    row += nodes.entry("", nodes.paragraph("", metadata.format_minutes(total_ex)))
    body += row
    return table


def resolve_programme(app, doctree, fromdocname: str) -> None:
    """``doctree-resolved``: replace each placeholder with the current syllabus."""
    for node in list(doctree.findall(course_programme)):
        node.replace_self(build_programme(app, fromdocname))
