"""Deterministic SCORM zips: one per module, one for the whole course (one SCO per module).

Layout of a package (manifest and schemas at the root: research/lms.md, P1)::

    imsmanifest.xml                 the manifest
    *.xsd, common/, …               the schema files of the version (unmodified copies)
    imsmd-<slug>.xml / lom-<slug>.xml   metadata (title, description, typical duration)
    modules/<slug>.html             the SCO pages, self-contained
    _static/…, _images/…            exactly the assets those pages use

Two runs give identical bytes: entries sorted, fixed timestamps and permissions.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..files import deterministic_zip
from . import SCHEMAS
from . import manifest as mf
from .site import Collector, rewrite_page

SCHEMA_DIRS = {"1.2": "scorm12", "2004": "scorm2004-4th"}
META_PREFIX = {"1.2": "imsmd", "2004": "lom"}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "cours"


def schema_files(version: str) -> dict[str, bytes]:
    """The schema set of ``version``, paths relative to the zip root."""
    root = SCHEMAS / SCHEMA_DIRS[version]
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def objective_id(ref: str) -> str:
    """The SCORM id of objective ``module/id``: the Moodle XML tag of the same objective."""
    return f"objectif-{ref}"


def sco_objectives(course: dict, module: dict) -> list[str]:
    """The module's own objectives (in order), then any other its questions assess."""
    own = [
        row["ref"]
        for entry in course.get("alignment", [])
        if entry["module"] == module["slug"]
        for row in entry["objectifs"]
    ]
    others = [r for q in module.get("questions", []) for r in q.get("objectifs", [])]
    return [objective_id(ref) for ref in dict.fromkeys(own + others)]


def question_objectives(module: dict) -> dict[int, list[str]]:
    """Question number → SCORM ids of the objectives it assesses."""
    return {
        q["number"]: [objective_id(ref) for ref in q.get("objectifs", [])]
        for q in module.get("questions", [])
    }


def _sco(course: dict, module: dict) -> mf.Sco:
    return mf.Sco(
        slug=module["slug"],
        title=module["title"],
        href=module["page"],
        description=module.get("resume", ""),
        minutes=int(module["duree_totale"]),
        scored=bool(module.get("questions")),
        objectives=sco_objectives(course, module),
    )


def build(
    site: Path,
    course: dict,
    modules: list[dict],
    version: str,
    mastery: int,
    whole_course: bool = False,
) -> bytes:
    """The zip of a package holding ``modules`` (one SCO each) for SCORM ``version``."""
    language = course.get("langue") or "fr"
    scos = [_sco(course, m) for m in modules]
    files: dict[str, bytes] = {}
    for sco in scos:
        sco.metadata = f"{META_PREFIX[version]}-{mf.ncname(sco.slug)}.xml"
        files[sco.metadata] = mf.metadata(
            version, sco.title, sco.description, sco.minutes, language
        ).encode("utf-8")
    if whole_course:
        titles = " ; ".join(m["title"] for m in modules)
        pkg = mf.Package(
            identifier=f"{slugify(course['titre'])}.cours-complet",
            version=str(course.get("version", "1.0")),
            title=course["titre"],
            description=f"Cours complet en {len(modules)} modules : {titles}.",
            minutes=sum(s.minutes for s in scos),
            scos=scos,
            metadata=f"{META_PREFIX[version]}-cours.xml",
        )
        files[pkg.metadata] = mf.metadata(
            version, pkg.title, pkg.description, pkg.minutes, language
        ).encode("utf-8")
    else:
        (sco,) = scos
        pkg = mf.Package(
            identifier=f"{slugify(course['titre'])}.{sco.slug}",
            version=str(course.get("version", "1.0")),
            title=sco.title,
            description=sco.description,
            minutes=sco.minutes,
            scos=scos,
            metadata=sco.metadata,
        )
    collector = Collector(site)
    pages = {sco.href for sco in scos}
    for sco, module in zip(scos, modules, strict=True):
        files[sco.href] = rewrite_page(
            collector, sco.href, version, mastery, question_objectives(module)
        )
    pkg.shared = sorted(set(collector.files) - pages)
    files.update({path: collector.files[path] for path in pkg.shared})
    files["imsmanifest.xml"] = mf.manifest(pkg, version, mastery).encode("utf-8")
    files.update(schema_files(version))
    return deterministic_zip(files)
