"""Course paths (``{parcours}`` blocks) read from Markdown sources, without Sphinx.

The trainer's guide declares its paths with the ``{parcours}`` directive (see
:mod:`course.sphinxext.paths`); the learner edition does not read ``formateur/``, yet the
session kit needs the paths from a learner site. :func:`from_text` reads the blocks straight
from the source text, and the export writes them in ``cours.json`` (``parcours``) for both
editions. A path is ``{id, titre, disponible, page, ligne, seances: [{nom, modules}]}``;
``id`` is the title as a slug (``Une journée`` → ``une-journee``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_OPEN = re.compile(r"^(?P<fence>:{3,}|`{3,})\{parcours\}\s*(?P<title>.*?)\s*$")
_OPTION = re.compile(r"^:(?P<name>[a-z-]+):\s*(?P<value>.*?)\s*$")


def slug(title: str) -> str:
    """``Cinq demi-journées`` → ``cinq-demi-journees`` (ASCII, lowercase, dashes)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def parse_line(line: str) -> tuple[str, list[str]] | None:
    """``Matin : loi-2014, dst`` → ``("Matin", ["loi-2014", "dst"])``; None if malformed."""
    name, sep, slugs = line.partition(":")
    modules = [s.strip() for s in slugs.split(",") if s.strip()]
    if not sep or not modules:
        return None
    return name.strip(), modules


def from_text(text: str, page: str = "") -> list[dict]:
    """Every ``{parcours}`` block of a MyST page, in page order (malformed lines skipped:
    the Sphinx build reports them)."""
    paths, current, fence = [], None, ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if current is None:
            match = _OPEN.match(line)
            if match:
                fence = match["fence"]
                title = match["title"]
                current = {
                    "id": slug(title),
                    "titre": title,
                    "disponible": 0,
                    "page": page,
                    "ligne": number,
                    "seances": [],
                }
            continue
        if line == fence:
            paths.append(current)
            current = None
            continue
        option = _OPTION.match(line)
        if option and not current["seances"]:
            if option["name"] == "disponible" and option["value"].isdigit():
                current["disponible"] = int(option["value"])
            continue
        parsed = parse_line(line) if line else None
        if parsed:
            current["seances"].append({"nom": parsed[0], "modules": parsed[1]})
    return paths


def from_sources(srcdir: Path, folder: str = "formateur") -> list[dict]:
    """The paths of every page of ``srcdir/folder``, pages in name order."""
    paths = []
    for source in sorted((Path(srcdir) / folder).glob("*.md")):
        page = source.relative_to(srcdir).with_suffix("").as_posix()
        paths += from_text(source.read_text(encoding="utf-8"), page)
    return paths
