"""``python -m course lms``: every LMS export of a built learner site.

Writes, under ``--out`` (default ``_build/lms``)::

    scorm12/<slug>.zip, scorm12/cours-complet.zip        SCORM 1.2 (Chamilo, Moodle…)
    scorm2004/<slug>.zip, scorm2004/cours-complet.zip    SCORM 2004 4th edition
    moodle/<slug>.xml                                    Moodle XML question banks
    gift/<slug>.gift.txt                                 GIFT question banks

The mastery score (default 80 %) comes from ``args.mastery`` when the caller has that option,
else from the ``COURSE_LMS_MASTERY`` environment variable. The output folder is replaced as a
whole, only once everything has been built.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from . import MASTERY_DEFAULT, LmsError, gift, moodle, package
from .site import load_course

COURSE_ZIP = "cours-complet.zip"
FOLDERS = {"1.2": "scorm12", "2004": "scorm2004"}


def mastery_score(args) -> int:
    value = (
        getattr(args, "mastery", None) or os.environ.get("COURSE_LMS_MASTERY") or MASTERY_DEFAULT
    )
    try:
        score = int(value)
    except ValueError:
        score = -1
    if not 0 <= score <= 100:
        raise LmsError(f"score de maîtrise invalide : {value!r} (entier de 0 à 100 attendu)")
    return score


def export(site: Path, out: Path, mastery: int = MASTERY_DEFAULT) -> dict[str, bytes]:
    """Every export file, as {path relative to ``out``: bytes} (nothing written)."""
    course = load_course(site)
    modules = course["modules"]
    if not modules:
        raise LmsError(f"{site} : aucun module dans _course/cours.json.")
    files: dict[str, bytes] = {}
    for version, folder in FOLDERS.items():
        for module in modules:
            files[f"{folder}/{module['slug']}.zip"] = package.build(
                site, course, [module], version, mastery
            )
        files[f"{folder}/{COURSE_ZIP}"] = package.build(
            site, course, modules, version, mastery, whole_course=True
        )
    for module in modules:
        if module.get("questions"):
            files[f"moodle/{module['slug']}.xml"] = moodle.bank(course, module).encode("utf-8")
            files[f"gift/{module['slug']}.gift.txt"] = gift.bank(course, module).encode("utf-8")
    return files


def main(args) -> int:
    """Build every export from ``args.site`` into ``args.out``; 0 on success, 1 on error."""
    site, out = Path(args.site), Path(args.out)
    try:
        files = export(site, out, mastery_score(args))
    except LmsError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a page the site lists is missing: never a traceback
        print(
            f"Erreur : fichier illisible {exc.filename} ({exc.strerror}) ; reconstruisez le "
            "site apprenant (make html) sans avertissement avant l'export",
            file=sys.stderr,
        )
        return 1
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for name, data in files.items():
        target = tmp / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    counts = {
        folder: sum(1 for n in files if n.startswith(folder + "/"))
        for folder in (*FOLDERS.values(), "moodle", "gift")
    }
    print(
        f"Exports LMS écrits dans {out} : " + ", ".join(f"{n} dans {k}/" for k, n in counts.items())
    )
    return 0


if __name__ == "__main__":  # python -m course.lms.cli --site … --out …
    parser = argparse.ArgumentParser(description="Exports LMS (SCORM, Moodle XML, GIFT)")
    parser.add_argument("--site", default="_build/html")
    parser.add_argument("--out", default="_build/lms")
    parser.add_argument("--mastery", type=int, default=None)
    sys.exit(main(parser.parse_args()))
