"""Exercises in the site: configuration, the page of each edition, links from modules, header.

The notebooks and downloads are generated before reading (``builder-inited``) by
:mod:`course.sphinxext.generation`; nbsphinx then renders the notebooks
(``nbsphinx_execute = "never"``: we executed them). This module connects the rest: exercise
sources kept out of the pages, nbsphinx without CDN, each edition's executed page swapped in
at ``source-read``, the ``{exercice}`` role, the links under an exercise's title, alt texts.

Syntax (MyST), in a module::

    Faites l'exercice {exercice}`seuil-qpv`.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .. import exercises as ex_lib
from ..hub import links as hub_links
from . import labels
from .config import is_trainer
from .syllabus import doc_xref

logger = logging.getLogger(__name__)


def exercise_paths(app) -> tuple[Path, Path, Path, Path]:
    """Exercise sources, their data, the generated folder, the build cache's root."""
    src = Path(app.srcdir) / app.config.course_exercises_source
    out = Path(app.srcdir) / app.config.course_exercises_output
    return src, src / ex_lib.DATA_DIR, out, Path(app.srcdir) / app.config.course_cache_dir


def exclude_sources(app, config) -> None:
    """``config-inited``: exercise sources and generated side files are not pages."""
    out = config.course_exercises_output.rstrip("/")
    config.exclude_patterns.extend(
        [
            config.course_exercises_source.rstrip("/") + "/**",
            f"{out}/{ex_lib.DATA_DIR}/**",
            f"{out}/{ex_lib.DOWNLOADS}/**",
        ]
    )


def configure_nbsphinx(app, config) -> None:
    """``config-inited``: we execute notebooks ourselves, and nothing comes from a CDN."""
    config.nbsphinx_execute = "never"  # executed (and cached) by generate() below
    # offline and private: nbsphinx would otherwise load require.js from a CDN
    config.nbsphinx_requirejs_path = ""
    config.nbsphinx_widgets_path = ""
    config.nbsphinx_assume_equations = False  # else MathJax from a CDN on every notebook page
    if not config.nbsphinx_prolog:
        config.nbsphinx_prolog = ".. course-exercice-liens::\n"


def expose_pandoc(app, config) -> None:
    """``config-inited``: nbsphinx calls ``pandoc``; use the one the pypandoc-binary wheel ships."""
    if shutil.which("pandoc"):
        return
    try:
        import pypandoc

        pandoc = Path(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return  # nbsphinx will say that pandoc is missing
    os.environ["PATH"] = f"{pandoc.parent}{os.pathsep}{os.environ.get('PATH', '')}"


def render_edition(app, docname: str, source: list[str]) -> None:
    """``source-read``: an exercise page is read from this edition's executed notebook."""
    out = app.config.course_exercises_output.rstrip("/")
    if not docname.startswith(out + "/"):
        return
    exercise = getattr(app.env, "course_exercises", {}).get(docname[len(out) + 1 :])
    if exercise and "rendered" in exercise:
        source[0] = Path(exercise["rendered"]).read_text(encoding="utf-8")
        app.env.note_dependency(exercise["rendered"])  # re-read when this edition's page changes


class ExerciseRole(SphinxRole):
    """``{exercice}`slug``` → a link to the exercise page, titled with its title."""

    def run(self):
        slug = self.text.strip()
        out = self.config.course_exercises_output.rstrip("/")
        if slug not in getattr(self.env, "course_exercises", {}):
            src = f"{self.config.course_exercises_source}/{slug}.md"
            logger.warning(
                labels.EX_LINK_MISSING.format(slug=slug, path=src),
                location=self.get_location(),
                type="course",
                subtype="exercise",
            )
            return [nodes.literal(slug, slug)], []
        node = doc_xref(self.env, f"/{out}/{slug}", "")  # Sphinx titles it with the H1
        return [node], []


class ExerciseLinksDirective(SphinxDirective):
    """Header of an exercise page: downloads, JupyterHub and Binder links (from config)."""

    def run(self):
        slug = self.env.docname.rsplit("/", 1)[-1]
        if slug not in getattr(self.env, "course_exercises", {}):
            return []
        out = self.config.course_exercises_output.rstrip("/")
        links = nodes.bullet_list(classes=["course-exercise-links"])
        downloads = [(f"{slug}.zip", labels.EX_DOWNLOAD)]
        if is_trainer(self.config):
            downloads.append((f"{slug}-corrige.zip", labels.EX_DOWNLOAD_TRAINER))
        for filename, text in downloads:
            ref = addnodes.download_reference(
                "",
                "",
                reftarget=f"/{out}/{ex_lib.DOWNLOADS}/{filename}",
                refdoc=self.env.docname,
                refexplicit=True,
                refdomain="",
                reftype="download",
            )
            ref += nodes.inline(text, text)
            links += nodes.list_item("", nodes.paragraph("", "", ref))
        for url, text in launch_links(self.config, slug):
            ref = nodes.reference(text, text, refuri=url)
            # what happens after the click, for a learner who has never seen a hub
            help_text = nodes.paragraph(LINK_HELP[text], LINK_HELP[text])
            help_text["classes"].append("course-launch-help")
            links += nodes.list_item("", nodes.paragraph("", "", ref), help_text)
        return [links]


def place_links(app, doctree) -> None:
    """``doctree-read``: the prolog comes before the notebook; put the links under the title."""
    for links in list(doctree.findall(nodes.bullet_list)):
        if "course-exercise-links" not in links["classes"]:
            continue
        section = next(iter(doctree.findall(nodes.section)), None)
        if section is not None:
            links.parent.remove(links)
            section.insert(1, links)


_OUTPUT_IMAGE = re.compile(r"_(\d+)_\d+\.(?:png|jpg|jpeg|svg)$")


def add_alt_texts(app, doctree) -> None:
    """``doctree-read``: a chart takes its text alternative from its cell's ``alt`` option.

    nbsphinx names output images ``<doc>_<cell>_<output>.png`` and gives them no alt; the
    exercise source declares one per chart cell (``:alt: "…"`` under ``{code-cell}``).
    """
    out = app.config.course_exercises_output.rstrip("/")
    docname = app.env.docname
    exercise = getattr(app.env, "course_exercises", {}).get(docname[len(out) + 1 :])
    if not docname.startswith(out + "/") or not exercise or "rendered" not in exercise:
        return
    # written by generate(): read without validating it again
    cells = nbformat.v4.reads(Path(exercise["rendered"]).read_text(encoding="utf-8")).cells
    for image in doctree.findall(nodes.image):
        match = _OUTPUT_IMAGE.search(image["uri"])
        if not match or int(match.group(1)) >= len(cells):
            continue
        alt = cells[int(match.group(1))].metadata.get("alt")
        if alt:
            image["alt"] = alt
        else:
            logger.warning(
                labels.EX_NO_ALT.format(cell=int(match.group(1)) + 1),
                location=f"{exercise['path']}:1",
                type="course",
                subtype="exercise",
            )


def check_modules(app, env) -> None:
    """``env-check-consistency``: each exercise names a module that exists."""
    modules_dir = app.config.course_modules_dir.rstrip("/")
    for slug, ex in getattr(env, "course_exercises", {}).items():
        if f"{modules_dir}/{ex['module']}" not in env.found_docs:
            lines = Path(ex["path"]).read_text(encoding="utf-8").splitlines()
            line = next(
                (i for i, text in enumerate(lines, 1) if text.strip().startswith("module:")), 1
            )
            logger.warning(
                f"exercice « {slug} » : module inconnu « {ex['module']} » (course.module)",
                location=f"{ex['path']}:{line}",
                type="course",
                subtype="exercise",
            )


def launch_links(config, slug: str) -> list[tuple[str, str]]:
    """JupyterHub (nbgitpuller) and Binder links for one exercise, when configured."""
    found = hub_links.launch_links(
        slug,
        hub=config.course_jupyterhub_url,
        repo=config.course_notebooks_repo,
        branch=config.course_notebooks_branch,
        binder=config.course_binder_url,
        binder_spec=config.course_binder_repo,
        path_template=config.course_launch_path,
    )
    return [(url, LINK_LABELS[kind]) for url, kind in found]


LINK_LABELS = {"hub": labels.EX_HUB, "binder": labels.EX_BINDER}
LINK_HELP = {labels.EX_HUB: labels.EX_HUB_HELP, labels.EX_BINDER: labels.EX_BINDER_HELP}
