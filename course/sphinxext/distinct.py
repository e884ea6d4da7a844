"""Course-wide checks on the modules, once every page is read (``env-check-consistency``):
two modules never share a title nor a slug, and every module is in a ``toctree`` (said once,
in French: Sphinx's own English line for a module is dropped, :func:`one_message_per_module`)."""

from __future__ import annotations

import logging as std_logging
from pathlib import Path

from sphinx.util import logging
from sphinx.util.logging import WarningStreamHandler

from . import alignment, labels, registry

logger = logging.getLogger(__name__)


def check_titles(app, env) -> None:
    """``env-check-consistency``: two modules never share a title (LMS categories, menus) nor
    a slug (a module in a subfolder has the slug of its file name)."""
    titles: dict[str, str] = {}
    slugs: dict[str, str] = {}
    for meta in registry.ordered_modules(env):
        docname = meta["docname"]
        slug = docname.rsplit("/", 1)[-1]
        first = slugs.setdefault(slug, docname)
        if first != docname:
            message = labels.ERR_DUPLICATE_SLUG.format(slug=slug, other=env.doc2path(first, False))
            logger.warning(message, location=(docname, 1), type="course", subtype="metadata")
        key = " ".join(meta["title"].casefold().split())
        first = titles.setdefault(key, docname)
        if first == docname:
            continue
        lines = Path(env.doc2path(docname)).read_text(encoding="utf-8").splitlines()
        line = next((i for i, text in enumerate(lines, 1) if text.startswith("# ")), 1)
        other = env.doc2path(first, False)
        logger.warning(
            labels.ERR_DUPLICATE_TITLE.format(title=meta["title"], other=other),
            location=(docname, line),
            type="course",
            subtype="metadata",
        )


def check_in_toctree(app, env) -> None:
    """``env-check-consistency``: a module outside every ``toctree`` is in no menu and comes
    last in the syllabus; Sphinx says so in English (« document isn't included in any
    toctree »), this says it in French with what to do."""
    for meta in registry.ordered_modules(env):
        docname = meta["docname"]
        if docname not in env.files_to_rebuild and "orphan" not in env.metadata[docname]:
            logger.warning(
                labels.ERR_NOT_IN_TOCTREE.format(docname=docname),
                location=(docname, 1),
                type="course",
                subtype="metadata",
            )


class _SaidInFrench(std_logging.Filter):
    """Drops, for a module, two English lines that the course already says in French with
    what to do: Sphinx's « document isn't included in any toctree » (:func:`check_in_toctree`)
    and MyST's « Malformed YAML » (the front matter's own error, with its line). Other pages
    keep them."""

    TWINS = {("toc", "not_included"), ("myst", "topmatter")}

    def __init__(self, app):
        super().__init__()
        self.app = app

    def filter(self, record) -> bool:
        kind = (getattr(record, "type", ""), getattr(record, "subtype", ""))
        if kind not in self.TWINS:
            return True
        docname = _docname(self.app.env, getattr(record, "location", None))
        return docname is None or alignment.module_slug(self.app.env, docname) is None


def _docname(env, location) -> str | None:
    """The document a warning's location names (a docname, ``(docname, line)`` or a node)."""
    if isinstance(location, tuple):
        location = location[0]
    if isinstance(location, str):
        return location
    source = getattr(location, "source", None)
    document = getattr(location, "document", None)
    if not source and document is not None:
        source = document.get("source")
    return env.path2doc(source) if source else None


def one_message_per_module(app) -> None:
    """``builder-inited``: put the filter first on Sphinx's warning handler (before the one
    that counts warnings for ``-W``). Now: while documents are read, Sphinx moves that handler
    aside and replays what was held back through it afterwards."""
    for handler in std_logging.getLogger("sphinx").handlers:
        if isinstance(handler, WarningStreamHandler):
            handler.filters = [f for f in handler.filters if not isinstance(f, _SaidInFrench)]
            handler.filters.insert(0, _SaidInFrench(app))
