"""HTML translator fixes for accessibility (WCAG 2.1 AA, checked by axe-core and vnu).

* Toctree captions (sidebar and page) are ``<p role="heading">`` in Sphinx, which ARIA only
  allows with an ``aria-level``: they get ``aria-level="2"`` (they label sections under the H1).
* Wide notebook outputs (tables) scroll horizontally: the scrolling region must be reachable
  with the keyboard, so it gets ``tabindex="0"``, a role and a French label.

Also, for the theme: its words in French (:func:`translate_theme`), and its templates'
compiled code kept in ``<course_cache_dir>/jinja`` (:func:`cache_templates`).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from myst_parser.parsers.docutils_ import depart_container_html as _myst_depart_container
from myst_parser.parsers.docutils_ import visit_container_html as _myst_visit_container
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

from . import labels


class CourseHTMLTranslator(HTML5Translator):
    def visit_title(self, node) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            self.body.append(
                self.starttag(
                    node, "p", "", CLASS="caption", ROLE="heading", ARIA_LEVEL="2"
                ).replace("aria_level=", "aria-level=")
            )
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
            return
        super().visit_title(node)


def visit_container(self, node) -> None:
    """Scrolling notebook outputs are focusable regions; other containers as myst-parser does."""
    if {"output_area", "rendered_html"} <= set(node["classes"]):
        tag = self.starttag(
            node,
            "div",
            CLASS="docutils container",
            TABINDEX="0",
            ROLE="region",
            ARIA_LABEL=labels.OUTPUT_REGION,
        )
        self.body.append(tag.replace("aria_label=", "aria-label="))
        return
    _myst_visit_container(self, node)


def depart_container(self, node) -> None:
    _myst_depart_container(self, node)


def install(app) -> None:
    """Use the translator for the HTML builders (unless the project chose its own).

    myst-parser registers its own container visitors with ``add_node``; ours wrap them, so
    this must run after myst-parser is set up.
    """
    app.add_node(nodes.container, override=True, html=(visit_container, depart_container))
    for builder in ("html", "dirhtml", "singlehtml"):
        if builder not in app.registry.translators:
            app.set_translator(builder, CourseHTMLTranslator)


_TOC_TITLE = re.compile(r'(<span class="toc-title">\s*)On this page(\s*</span>)')


def french_theme_words(html: str) -> str:
    """``html`` with the theme's English words in French (see ``labels.THEME_FR``)."""
    for english, french in labels.THEME_FR:
        html = html.replace(english, french)
    return _TOC_TITLE.sub(rf"\g<1>{labels.THEME_FR_TOC_TITLE}\g<2>", html)


def translate_theme(app) -> None:
    """``builder-inited``: French pages say everything in French, the theme's words included.

    Furo writes its labels in English (several outside gettext: ARIA labels of the menus and
    of the theme switch); a screen reader would read them with a French voice (RGAA 8.7).
    """
    templates = getattr(app.builder, "templates", None)
    if not (app.config.language or "").startswith("fr") or templates is None:
        return
    render = templates.render

    def render_in_french(template, context):
        return french_theme_words(render(template, context))

    templates.render = render_in_french


def cache_templates(app) -> None:
    """``builder-inited``: keep the theme templates' compiled code between builds.

    Jinja compiles every template at each build (about 0.1 s of a no-op rebuild here); its
    bytecode cache is keyed on the template's source and written atomically.
    """
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None:
        return
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.srcdir) / app.config.course_cache_dir / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
