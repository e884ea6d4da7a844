"""Disk caches in front of nbsphinx's two costly steps.

1. **pandoc**: nbsphinx converts every Markdown cell with two pandoc processes. Each run is
   cached by its command and input (``<course_cache_dir>/pandoc/``); :func:`prewarm` fills
   this cache while the kernels run.
2. **conversion**: nbsphinx turns every notebook into reST through nbconvert's Jinja
   templates, which it compiles again for each notebook. The result is cached by the
   notebook, its resources and the versions (``<course_cache_dir>/nbsphinx/``). Only
   conversions that execute nothing and log no warning are stored: a warning must show
   again at the next build.

Later builds, and parallel readers, reuse both.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import subprocess
from concurrent.futures import ThreadPoolExecutor
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
# nbsphinx.pandoc runs ``pandoc --from FMT --to json``, applies a Python filter to the JSON,
# then runs ``pandoc --from json --to rst``. Each pandoc run is cached by its command line and
# input; the filter always runs, so what it collects on the side (image definitions) is kept.


def _pandoc_run(command: list[str], data: bytes) -> bytes:
    path = None
    if _CACHE_DIR is not None:
        key = _digest([*command, *_versions(), hashlib.sha256(data).hexdigest()])
        path = _CACHE_DIR / "pandoc" / f"{key}.out"
        if path.exists():
            return path.read_bytes()
    done = subprocess.run(command, input=data, stdout=subprocess.PIPE, check=False)
    if done.returncode == 0 and path is not None:
        atomic_write(path, done.stdout)
    return done.stdout


def _pandoc(source, fmt, to, filter_func=None):
    """nbsphinx.pandoc (same commands, same result), with each pandoc run cached."""
    import nbconvert.utils.pandoc
    import nbconvert.utils.version

    data = source if isinstance(source, bytes) else source.encode("utf-8")
    nbconvert.utils.pandoc.check_pandoc_version()
    command = ["pandoc"]
    if nbconvert.utils.version.check_version(nbconvert.utils.pandoc.get_pandoc_version(), "2.0"):
        command += ["--eol", "lf"]
    json_data = _pandoc_run([*command, "--from", fmt, "--to", "json"], data)
    if filter_func:
        json_data = filter_func(json_data.decode("utf-8")).encode("utf-8")
    out = _pandoc_run([*command, "--from", "json", "--to", to, "--columns=500"], json_data)
    return out.decode("utf-8").rstrip("\n")


def prewarm(notebooks: list, workers: int | None = None) -> None:
    """Convert the Markdown cells of ``notebooks`` now, in threads, to fill the pandoc cache.

    Called while the kernels run (they leave the processor partly idle): nbsphinx then finds
    each conversion in the cache. A cell converted differently later is only a cache miss.
    """
    import nbsphinx

    texts = {c.source for nb in notebooks for c in nb.cells if c.cell_type == "markdown"}
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        list(pool.map(nbsphinx.markdown2rst, sorted(texts)))


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
    nbsphinx.pandoc = _pandoc
    exporter = nbsphinx.Exporter
    if not getattr(exporter.from_notebook_node, "course_cached", False):
        exporter.from_notebook_node = _cached_conversion(exporter.from_notebook_node)
