"""HTML → PDF with WeasyPrint: tagged PDF/UA-1, embedded fonts, nothing from the network,
the same bytes from the same inputs.

- fonts: the print stylesheet names DejaVu (Debian's ``fonts-dejavu-core``); WeasyPrint embeds
  the subset of glyphs each document uses;
- network: the URL fetcher (:func:`check_local`) serves ``file:`` and ``data:`` URLs and
  refuses anything else (WeasyPrint then leaves the resource out, with a warning);
- reproducibility: the creation and modification dates come from the documents'
  ``dcterms.created`` / ``dcterms.modified`` meta (the session's date, see
  :func:`course.session.plan.issue_date`), and the file identifier is a hash of the HTML;
  WeasyPrint writes no other clock or random value;
- accessibility: ``pdf_variant="pdf/ua-1"`` writes a tagged PDF (structure tree from the HTML:
  headings, paragraphs, lists, tables, figures with their ``alt``), with the document's
  language (``<html lang="fr">``) and title (``<title>``, shown as the window title).
"""

from __future__ import annotations

import hashlib
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from . import STATIC, SessionError

PRINT_CSS = STATIC / "print.css"


def check_local(url: str) -> None:
    """ValueError unless ``url`` is a local file or a ``data:`` URL."""
    if urlsplit(url).scheme not in ("file", "data"):
        raise ValueError(f"ressource externe refusée : {url}")


@lru_cache(maxsize=1)
def _fetcher():
    """WeasyPrint's URL fetcher, for local files and ``data:`` URLs only (a refused URL is
    left out of the document, with a warning from WeasyPrint's logger)."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            check_local(url)
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"file", "data"})


@lru_cache(maxsize=1)
def _fonts():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet():
    from weasyprint import CSS

    return CSS(filename=str(PRINT_CSS), font_config=_fonts())


def render(html: str, base: Path | None = None) -> bytes:
    """The PDF of ``html`` (a complete document with ``lang``, ``<title>`` and the date
    meta); relative URLs resolve against the folder ``base``."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # pragma: no cover - depends on the machine
        raise SessionError(
            "WeasyPrint est introuvable ou incomplet (pip install weasyprint ; sur Debian, "
            f"apt install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core) : {exc}"
        ) from None
    base_url = (Path(base).resolve().as_uri() + "/") if base else None
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher())
    return document.write_pdf(
        stylesheets=[_stylesheet()],
        font_config=_fonts(),
        pdf_variant="pdf/ua-1",
        pdf_identifier=hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii"),
    )


def _render_job(job: tuple[str, str, Path | None]) -> tuple[str, bytes]:
    name, html, base = job
    return name, render(html, base)


def render_many(jobs: list[tuple[str, str, Path | None]]) -> dict[str, bytes]:
    """``{name: PDF}`` for ``(name, html, base)`` jobs, on up to two processes.

    Each PDF depends on its own job only, so the bytes are the same however the jobs are
    shared out; the longest documents start first. ``COURSE_SESSION_JOBS=1`` renders them
    one after the other.
    """
    workers = int(os.environ.get("COURSE_SESSION_JOBS", "0") or 0) or min(2, os.cpu_count() or 1)
    ordered = sorted(jobs, key=lambda job: -len(job[1]))
    if workers < 2 or len(jobs) < 2:
        return dict(_render_job(job) for job in ordered)
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return dict(pool.map(_render_job, ordered))
