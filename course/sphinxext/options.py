"""Unknown directive options told in French, with the option the author probably meant.

MyST rejects an unknown option (``:objectifs:`` for ``:objectif:``) with an English message
(« Unknown option key ») and drops it, so that a question then « assesses no objective »,
which misleads. :func:`french` wraps each of our directives: the option reaches the directive
marked unknown, is reported with its file and line, the closest known option and the list of
known ones, then dropped as before.
"""

from __future__ import annotations

import difflib

from sphinx.util import logging

logger = logging.getLogger(__name__)

UNKNOWN = object()


class Options(dict):
    """An ``option_spec`` that lets any option through, marked :data:`UNKNOWN` if not known."""

    def __missing__(self, key):
        return _unknown


def _unknown(value):
    return UNKNOWN


def message(directive: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" ; vouliez-vous dire « :{close[0]}: » ?" if close else ""
    choices = ", ".join(f":{k}:" for k in sorted(known)) or "aucune"
    return f"[{directive}] option inconnue « :{name}: »{hint} (options possibles : {choices})"


def french(cls: type) -> type:
    """A subclass of the directive ``cls`` whose unknown options are reported in French."""
    known = dict(cls.option_spec or {})

    class Checked(cls):
        option_spec = Options(known)

        def run(self):
            for name in [k for k, value in self.options.items() if value is UNKNOWN]:
                logger.warning(
                    message(self.name, name, list(known)),
                    location=self.get_location(),
                    type="course",
                    subtype="option",
                )
                del self.options[name]
            return super().run()

    Checked.__name__ = Checked.__qualname__ = cls.__name__
    Checked.__doc__ = cls.__doc__
    return Checked
