"""LMS export: SCORM 1.2 / 2004 4th edition packages and Moodle question banks.

Built from a learner-edition site (``make html``) and its ``_course/cours.json``:

- :mod:`course.lms.site` reads the course data and turns a module page into a self-contained
  page (its local assets only, links out of the package neutralised, the run-time injected);
- :mod:`course.lms.manifest` writes ``imsmanifest.xml`` and the metadata files (IMS MD for 1.2,
  IEEE LOM for 2004);
- :mod:`course.lms.package` assembles deterministic zips (one per module, one for the course);
- :mod:`course.lms.gift` and :mod:`course.lms.moodle` write the question banks;
- :mod:`course.lms.check` validates manifests (XSD + the rules the XSDs cannot express);
- ``static/scorm-runtime.js`` is the SCO run-time (API discovery, status, score, time, bookmark).

The pitfalls this code avoids are documented in ``research/lms.md`` (P1–P17).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "schemas"
RUNTIME = HERE / "static" / "scorm-runtime.js"
MASTERY_DEFAULT = 80
VERSIONS = ("1.2", "2004")


class LmsError(Exception):
    """A problem that stops the export; the message is in French (shown to the user)."""
