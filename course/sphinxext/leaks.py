"""The leak guard in the build: learner notebooks, downloads and exercise pages.

:func:`check_outputs` is called by ``generate()`` (``builder-inited``) on every learner
notebook and download *before* it is written; :func:`check_pages` runs at
``build-finished`` on the learner edition's exercise pages. A leak is a located warning
(``course.leak``) and the build stops (a :class:`~course.sphinxext.errors.CourseError`, whether
``-W`` is given or not); a leaking page is removed from the output.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

from .. import leaks
from ..exercises import DOWNLOADS
from .errors import CourseError

logger = logging.getLogger(__name__)

FAILED = "solutions retrouvées dans une sortie apprenant : voir les messages ci-dessus"


def remember(app, slug: str, source: str, found: list[leaks.Secret]) -> None:
    """Keep an exercise's secrets for :func:`check_pages` (on the app, never in the env)."""
    if not hasattr(app, "course_secrets"):
        app.course_secrets = {}
    app.course_secrets[slug] = (source, found)


def _warn(text: str) -> None:
    logger.warning(text, type="course", subtype="leak")


def check_outputs(source: str, found, notebooks: dict[str, object], zips: dict[str, bytes]):
    """Warn about every leak in learner notebooks (``{label: nb}``) and zips (``{label:
    bytes}``); returns whether there was one."""
    leaked = False
    for label, nb in notebooks.items():
        for secret in leaks.found_in(found, leaks.notebook_text(nb)):
            _warn(leaks.message(source, secret, label))
            leaked = True
    for label, data in zips.items():
        for entry, secret in leaks.in_zip(found, data):
            _warn(leaks.message(source, secret, f"{label}, {entry}"))
            leaked = True
    return leaked


def check_learner(app, ex, learner_nb, learner_zip: bytes) -> bool:
    """Check an exercise's learner notebook and download (and remember its secrets)."""
    found = leaks.secrets(ex.source)
    remember(app, ex.slug, str(ex.path), found)
    out = app.config.course_exercises_output.rstrip("/")
    return check_outputs(
        str(ex.path),
        found,
        {f"{out}/{ex.slug}.ipynb": learner_nb},
        {f"{out}/{DOWNLOADS}/{ex.slug}.zip": learner_zip},
    )


def check_pages(app, exception) -> None:
    """``build-finished``: no learner exercise page holds a line of its solutions."""
    from .config import is_trainer

    if exception is not None or app.builder.format != "html" or is_trainer(app.config):
        return
    out = app.config.course_exercises_output.rstrip("/")
    leaked = False
    for slug, (source, found) in getattr(app, "course_secrets", {}).items():
        page = Path(app.builder.get_outfilename(f"{out}/{slug}"))
        if not page.exists():
            continue
        shown = leaks.found_in(found, leaks.html_text(page.read_text(encoding="utf-8")))
        for secret in shown:
            _warn(leaks.message(source, secret, str(page)))
        if shown:
            page.unlink()  # never left published
            leaked = True
    if leaked:
        raise CourseError(FAILED)
