"""``python -m course sphinx …``: ``sphinx-build``, with course errors told in plain French.

Same arguments as ``sphinx-build``. A :class:`~course.sphinxext.errors.CourseError` (a bad
source, already explained by located warnings), a configuration error (``conf.py``, ``-D``)
and an interruption (Ctrl-C, or SIGTERM, handled alike) are printed as one French line,
without Sphinx's « … error! / To report this error to the developers » banner and traceback;
with ``-v`` or ``-T`` (or ``-P``), Sphinx's own report is printed as before. Any other
exception is a bug of the tools: Sphinx's report is kept, except a failed read or write (a
full disk, a folder that cannot be written: :mod:`course.oserrors`), which is one French line
naming the file too, whether it was raised here, in an event handler or in a parallel worker.
"""

from __future__ import annotations

import signal
import sys

HINT = "(relancez avec -v pour la trace complète)"


def main(argv: list[str]) -> int:
    import sphinx._cli.util.errors as sphinx_errors
    from sphinx.cmd.build import build_main
    from sphinx.errors import ConfigError

    from .errors import CourseError

    where = _folders(argv)

    original = sphinx_errors.handle_exception

    def handle(exception, /, *, stderr=sys.stderr, use_pdb=False, print_traceback=False, **kw):
        if not (use_pdb or print_traceback):
            if isinstance(exception, KeyboardInterrupt):
                print("\nConstruction interrompue.", file=stderr)
                return None
            if isinstance(exception, CourseError):
                print(f"\nErreur : {exception} {HINT}", file=stderr)
                return None
            if isinstance(exception, ConfigError):  # conf.py or -D: the user's, not a bug
                print(f"\nErreur de configuration : {exception} {HINT}", file=stderr)
                return None
            system = _os_error(exception, where)
            if system:
                print(f"\nErreur : {system} {HINT}", file=stderr)
                return None
        return original(
            exception, stderr=stderr, use_pdb=use_pdb, print_traceback=print_traceback, **kw
        )

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    try:  # killed: stop as on Ctrl-C (kernels shut down)
        previous = signal.signal(signal.SIGTERM, interrupted)
    except ValueError:  # not the main thread
        previous = None
    sphinx_errors.handle_exception = handle
    try:
        return build_main(argv)
    finally:
        sphinx_errors.handle_exception = original
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _os_error(exception: BaseException, where: str | None) -> str | None:
    """The French line for a failed read or write, however Sphinx passed it on; else None."""
    from sphinx.errors import ExtensionError, SphinxParallelError

    from ..oserrors import from_exception

    if isinstance(exception, ExtensionError) and isinstance(exception.orig_exc, OSError):
        exception = exception.orig_exc
    if isinstance(exception, OSError | SphinxParallelError):
        return from_exception(exception, where)
    return None


def _folders(argv: list[str]) -> str | None:
    """« <output> (ou <doctrees>) »: where a write without a file name was going."""
    out = argv[-1] if argv and not argv[-1].startswith("-") else None
    doctrees = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "-d"), None)
    if out and doctrees:
        return f"{out} ou de {doctrees}"
    return out
