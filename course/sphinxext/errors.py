"""The error a bad course source stops the build with.

Raised (after the located warnings that explain it) where the build cannot go on: invalid
exercises, an exercise that fails to run, a solution found in a learner output, a source that
is not UTF-8 or is larger than ``course_page_max_kb``. It is a
:class:`~sphinx.errors.SphinxError`, so Sphinx's event manager lets it through unchanged;
``python -m course sphinx`` (what ``make`` runs) prints it as a plain French message, without
Sphinx's crash banner, which is for bugs of the tools.
"""

from __future__ import annotations

from sphinx.errors import SphinxError


class CourseError(SphinxError):
    """A problem in the course's sources, explained by the messages logged before it."""

    category = "Erreur dans les sources du cours"


def check_pages(app, env, docnames: list[str]) -> None:
    """``env-before-read-docs``: every page about to be read decodes and is of a readable
    size, or a located French message per file and the build stops before reading: Sphinx's
    ``UnicodeDecodeError`` names no file, and a page of several megabytes (a data file or a
    log pasted by mistake) would take minutes to parse before anyone is told."""
    from sphinx.util import logging

    from ..files import utf8_problem
    from .labels import ERR_NOT_UTF8, ERR_PAGE_SIZE, ERR_TOO_LARGE

    logger = logging.getLogger(__name__)
    encoding = env.settings.get("input_encoding", "utf-8-sig")
    limit = app.config.course_page_max_kb * 1024
    bad = large = False
    for docname in sorted(docnames):
        try:
            data = env.doc2path(docname).read_bytes()
        except OSError:
            continue  # Sphinx reports a missing file itself
        if len(data) > limit:
            size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
            message = ERR_PAGE_SIZE.format(size=size, limit=app.config.course_page_max_kb)
            logger.warning(message, location=(docname, 1), type="course", subtype="size")
            large = True
            continue
        problem = utf8_problem(data, encoding)
        if problem:
            line, message = problem
            logger.warning(message, location=(docname, line), type="course", subtype="encoding")
            bad = True
    if bad or large:
        raise CourseError(ERR_NOT_UTF8 if bad else ERR_TOO_LARGE)
