"""A disk cache in front of nbsphinx's pandoc calls.

nbsphinx converts every Markdown cell of every notebook with two pandoc processes. For the
same text, pandoc version and filter the result is the same, so it is stored under
``<course_cache_dir>/pandoc/`` and reused by later builds (and by parallel readers).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from ..files import atomic_write

_CACHE_DIR: Path | None = None


def _key(source, fmt: str, to: str, filter_func) -> str:
    import nbconvert.utils.pandoc
    import nbsphinx

    text = source if isinstance(source, str) else source.decode("utf-8")
    parts = [
        text,
        fmt,
        to,
        getattr(filter_func, "__qualname__", "") if filter_func else "",
        nbsphinx.__version__,
        str(nbconvert.utils.pandoc.get_pandoc_version()),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _cached(original):
    @functools.wraps(original)
    def pandoc(source, fmt, to, filter_func=None):
        if _CACHE_DIR is None:
            return original(source, fmt, to, filter_func)
        path = _CACHE_DIR / f"{_key(source, fmt, to, filter_func)}.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
        result = original(source, fmt, to, filter_func)
        atomic_write(path, result.encode("utf-8"))
        return result

    pandoc.course_cached = True
    return pandoc


def install(app) -> None:
    """``builder-inited``: route nbsphinx's pandoc calls through the cache."""
    global _CACHE_DIR
    import nbsphinx

    _CACHE_DIR = Path(app.srcdir) / app.config.course_cache_dir / "pandoc"
    if not getattr(nbsphinx.pandoc, "course_cached", False):
        nbsphinx.pandoc = _cached(nbsphinx.pandoc)
