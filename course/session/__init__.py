"""The trainer's session kit: the documents a training body needs for one session.

``python -m course session --site _build/html --session FILE --out _build/session`` reads a
built learner site (its ``_course/cours.json`` and module pages) and a session file the
trainer fills in once per session, and writes the programme, the positioning test and the
end-of-training assessment, the satisfaction survey, the attendance sheets, the certificates
and the module handouts, as HTML and PDF (WeasyPrint), plus Moodle XML / GIFT banks; and,
from a trainer-edition build (``--formateur-site``), the trainer's guide.

- :mod:`course.session.sessionfile`: the session file's schema, read with line numbers;
- :mod:`course.session.plan`: the chosen modules, objectives, half-days and durations;
- :mod:`course.session.assessments`: the deterministic choice of questions for both tests;
- :mod:`course.session.documents`: every document as HTML (Jinja templates in ``templates/``);
- :mod:`course.session.pages`: what the kit reads from built pages (content, case studies);
- :mod:`course.session.handouts`: module handouts from the learner pages, leak-checked;
- :mod:`course.session.pdf`: HTML → PDF with WeasyPrint (fonts embedded, PDF/UA, fixed dates);
- :mod:`course.session.cli`: the command.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


class SessionError(Exception):
    """Stops the kit; the message is in French and located (``file:line``) when it can be."""
