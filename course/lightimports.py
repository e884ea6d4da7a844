"""One import made lighter in every process that imports ``course``: no IRI parser for jsonschema.

jsonschema, imported by nbformat to validate notebooks, tries ``import rfc3987_syntax`` to
check the « iri » string format; when that package is installed, its import builds 38 Lark
grammars: ``import nbformat`` took 1.70 s instead of 0.20 s here (6 Dec 2026), in every
build, every ``course`` command and every test that builds. It is installed with JupyterLab's
dependencies (jupyter-events asks for ``jsonschema[format-nongpl]``), so every environment made
by ``make setup`` has it. No notebook schema and nothing in a build uses the « iri » format.

:class:`SkipIriParser` refuses that one import *while jsonschema's format module is being
imported* (jsonschema then leaves the « iri » check out, as it does when the package is not
installed); any other import of ``rfc3987_syntax``, before or after, works as usual.
"""

from __future__ import annotations

import sys

SKIPPED = "rfc3987_syntax"
IMPORTER = "jsonschema._format"


class SkipIriParser:
    """A meta path finder that only says no to jsonschema's optional IRI parser."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == SKIPPED:
            importer = sys.modules.get(IMPORTER)
            if importer is not None and getattr(importer.__spec__, "_initializing", False):
                raise ImportError(f"{SKIPPED} : non chargé pendant l'import de {IMPORTER}")
        return None


def install() -> None:
    """Put the finder first (once per process)."""
    if not any(isinstance(finder, SkipIriParser) for finder in sys.meta_path):
        sys.meta_path.insert(0, SkipIriParser())
