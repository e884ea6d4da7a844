"""Disk caches in front of nbsphinx's two costly steps.

1. **pandoc**: nbsphinx converts every Markdown cell with two pandoc processes.
2. **conversion**: nbsphinx turns every notebook into reST through nbconvert's Jinja
   templates, which it compiles again for each notebook.

For the same input and the same versions the result is the same, so both are stored under
``<course_cache_dir>/pandoc/`` and ``<course_cache_dir>/nbsphinx/`` and reused by later builds
(and by parallel readers). Only conversions that execute nothing and log no warning are
stored: a warning must show again at the next build.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import pickle
from pathlib import Path

from ..files import atomic_write

_CACHE_DIR: Path | None = None


def _versions() -> list[str]:
    import nbconvert
    import nbconvert.utils.pandoc
    import nbsphinx

    return [
        nbsphinx.__version__,
        nbconvert.__version__,
        str(nbconvert.utils.pandoc.get_pandoc_version()),
    ]


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


# -- 1. pandoc ----------------------------------------------------------------------------------


def _pandoc_key(source, fmt: str, to: str, filter_func) -> str:
    text = source if isinstance(source, str) else source.decode("utf-8")
    name = getattr(filter_func, "__qualname__", "") if filter_func else ""
    return _digest([text, fmt, to, name, *_versions()])


def _cached_pandoc(original):
    @functools.wraps(original)
    def pandoc(source, fmt, to, filter_func=None):
        if _CACHE_DIR is None:
            return original(source, fmt, to, filter_func)
        path = _CACHE_DIR / "pandoc" / f"{_pandoc_key(source, fmt, to, filter_func)}.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
        result = original(source, fmt, to, filter_func)
        atomic_write(path, result.encode("utf-8"))
        return result

    pandoc.course_cached = True
    return pandoc


# -- 2. notebook -> reST -------------------------------------------------------------------------

# the parts of nbsphinx's resources that reach the result (paths of output files, docname)
_RESOURCE_KEYS = ("metadata", "output_files_dir", "unique_key", "nbsphinx_docname")
# nbsphinx.Exporter's settings
_EXPORTER_KEYS = ("_execute", "_kernel_name", "_allow_errors", "_timeout", "_codecell_lexer")


def _conversion_key(exporter, nb, resources: dict) -> str:
    settings = {k: repr(getattr(exporter, k, None)) for k in _EXPORTER_KEYS}
    settings["_execute_arguments"] = repr(getattr(exporter, "_execute_arguments", None))
    parts = [
        json.dumps(nb, sort_keys=True, ensure_ascii=False),
        json.dumps({k: resources.get(k) for k in _RESOURCE_KEYS}, sort_keys=True, default=str),
        json.dumps(settings, sort_keys=True),
        *_versions(),
    ]
    return _digest(parts)


class _Warnings(logging.Handler):
    """Counts the warnings nbsphinx logs while one notebook is converted."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _executes(exporter, nb) -> bool:
    return nb.metadata.get("nbsphinx", {}).get("execute", exporter._execute) != "never"


def _cached_conversion(original):
    @functools.wraps(original)
    def from_notebook_node(self, nb, resources=None, **kw):
        if _CACHE_DIR is None or resources is None or kw or _executes(self, nb):
            return original(self, nb, resources, **kw)
        path = _CACHE_DIR / "nbsphinx" / f"{_conversion_key(self, nb, resources)}.pickle"
        if path.exists():
            rst, out = pickle.loads(path.read_bytes())
            if "nbsphinx_save_notebook" in resources:  # the side effect of the original
                import nbformat

                nbformat.write(nb, resources["nbsphinx_save_notebook"])
            return rst, out
        counter = _Warnings()
        logger = logging.getLogger("sphinx.nbsphinx")
        logger.addHandler(counter)
        try:
            rst, out = original(self, nb, resources, **kw)
        finally:
            logger.removeHandler(counter)
        if not counter.count:
            atomic_write(path, pickle.dumps((rst, out), protocol=pickle.HIGHEST_PROTOCOL))
        return rst, out

    from_notebook_node.course_cached = True
    return from_notebook_node


def install(app) -> None:
    """``builder-inited``: route nbsphinx's pandoc calls and conversions through the caches."""
    global _CACHE_DIR
    import nbsphinx

    _CACHE_DIR = Path(app.srcdir) / app.config.course_cache_dir
    if not getattr(nbsphinx.pandoc, "course_cached", False):
        nbsphinx.pandoc = _cached_pandoc(nbsphinx.pandoc)
    exporter = nbsphinx.Exporter
    if not getattr(exporter.from_notebook_node, "course_cached", False):
        exporter.from_notebook_node = _cached_conversion(exporter.from_notebook_node)
