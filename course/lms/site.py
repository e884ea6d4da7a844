"""Read a built learner site and make module pages self-contained for a SCORM package.

A packaged page keeps the site's relative layout (``modules/<slug>.html``, ``_static/…``,
``_images/…``) so its relative URLs stay valid. For each page:

- every local asset it loads (stylesheets, scripts, images, media, fonts and images that
  stylesheets reference, recursively) is collected; a third-party resource is an error;
- ``?v=`` cache-busting queries are dropped from asset URLs (the zip holds plain files);
- links to anything that is not in the package (other pages of the site, other web sites,
  e-mail addresses) become plain text (``<span>``): navigating away from a SCO ends its LMS
  session, and navigation between modules is the LMS's job; in-page anchors are kept;
- site navigation (sidebar tree, search form, previous/next links) is removed;
- the SCORM run-time is injected (``_static/scorm-runtime.js``, last in the body).
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import RUNTIME, LmsError

RUNTIME_PATH = "_static/scorm-runtime.js"
ASSET_ATTRS = {
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "iframe": ("src",),
}
# <link rel> values that load something; the others (next, prev, index, search…) are links.
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "preload",
    "modulepreload",
    "apple-touch-icon",
    "manifest",
    "prefetch",
}
# Site navigation, useless (and dead) inside an LMS: Furo's and the basic theme's.
CHROME = (
    "div.sidebar-tree",
    "div.related-pages",
    "div.related",
    "ul.this-page-menu",
    "search#searchbox",
    "div#searchbox",
)
BLOCKS = ["div", "p", "ul", "ol", "dl", "table", "section", "figure", "h1", "h2", "h3", "h4"]
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.I)
SOURCE_MAP = re.compile(
    r"^\s*(?://[#@]\s*sourceMappingURL=\S+|/\*[#@]\s*sourceMappingURL=[^*]*\*/)"
    r"\s*$",
    re.M,
)


def load_course(site: Path) -> dict:
    """Read ``_course/cours.json``; refuse anything but a learner-edition site."""
    path = Path(site) / "_course" / "cours.json"
    if not path.exists():
        raise LmsError(f"{path} introuvable : construisez d'abord le site apprenant (make html).")
    course = json.loads(path.read_text(encoding="utf-8"))
    if course.get("edition") != "apprenant":
        raise LmsError(
            f"{site} est l'édition « {course.get('edition')} » : les paquets LMS se "
            "font uniquement depuis l'édition apprenant (make html)."
        )
    if any(m.get("notes_formateur") for m in course["modules"]):
        raise LmsError(f"{site} contient des notes pour le formateur : refusé.")
    return course


def _split(url: str) -> tuple[str, str, str]:
    """(scheme-or-host marker, path, fragment) of a URL."""
    parts = urlsplit(url.strip())
    external = "external" if parts.scheme or parts.netloc else ""
    return external, unquote(parts.path), parts.fragment


def resolve(base: str, url: str) -> str | None:
    """The package path a relative URL points to, from file ``base``; None if outside."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(base), url))
    return None if target.startswith("../") or target == ".." else target


class Collector:
    """Collects the files a set of pages needs from ``site``; memoises stylesheets."""

    def __init__(self, site: Path):
        self.site = Path(site)
        self.files: dict[str, bytes] = {}

    def asset(self, base: str, url: str, where: str) -> str | None:
        """Register the asset ``url`` used by ``base``; return the URL to write (no query)."""
        external, path, _ = _split(url)
        if url.strip().startswith("data:"):
            return None
        if external:
            raise LmsError(f"{where} charge une ressource externe ({url}) : refusé.")
        if not path:
            return None
        target = resolve(base, path)
        if target is None or not (self.site / target).is_file():
            raise LmsError(f"{where} utilise {url}, introuvable dans le site construit.")
        if target not in self.files:
            data = (self.site / target).read_bytes()
            if target.endswith((".css", ".js")):
                data = SOURCE_MAP.sub("", data.decode("utf-8")).encode("utf-8")
            self.files[target] = data
            if target.endswith(".css"):
                self.stylesheet(target)
        return path

    def stylesheet(self, target: str) -> None:
        text = self.files[target].decode("utf-8")
        for match in CSS_URL.finditer(text):
            url = match.group(2) or match.group(4)
            if not url.startswith(("data:", "#")):
                self.asset(target, url, target)


def rewrite_page(
    collector: Collector,
    page: str,
    version: str,
    mastery: int,
    objectives: dict[int, list[str]] | None = None,
) -> bytes:
    """The self-contained HTML of ``page`` (a path in the site); its assets go to ``collector``.

    ``objectives`` maps a question's number to the SCORM ids of the objectives it assesses:
    they go to the question's ``data-objectifs``, which the run-time reports per objective.

    Links to the page itself and to collected files are kept; links to other pages, even
    other SCOs of the same package, become text: a SCO leaving its page would end its LMS
    session and the next page would start one the LMS does not expect.
    """
    from bs4 import BeautifulSoup

    html = (collector.site / page).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    removed = set()
    for selector in CHROME:
        for element in soup.select(selector):
            removed |= {e["id"] for e in element.find_all(id=True)} | (
                {element["id"]} if element.get("id") else set()
            )
            element.decompose()
    for inline in soup.find_all("script", src=False):  # scripts that drive removed elements
        if any(f"'{i}'" in inline.get_text() or f'"{i}"' in inline.get_text() for i in removed):
            inline.decompose()
    for form in soup.find_all("form"):
        form.decompose()
    for number, ids in (objectives or {}).items():
        fieldset = soup.find("fieldset", id=f"question-{number}")
        if fieldset is not None and ids:
            fieldset["data-objectifs"] = " ".join(ids)
    for tag, attrs in ASSET_ATTRS.items():
        for element in soup.find_all(tag):
            if tag == "link" and not LOADING_RELS & set(element.get("rel") or []):
                element.decompose()
                continue
            for attr in attrs:
                value = element.get(attr)
                if not value:
                    continue
                if attr == "srcset":
                    element[attr] = ", ".join(_srcset(collector, page, value))
                else:
                    new = collector.asset(page, value, page)
                    if new is not None:
                        element[attr] = new
    for style in soup.find_all(style=True):
        for match in CSS_URL.finditer(style["style"]):
            url = match.group(2) or match.group(4)
            if not url.startswith(("data:", "#")):
                collector.asset(page, url, page)
    for link in soup.find_all("a", href=True):
        _link(collector, page, link)
    script = soup.new_tag(
        "script",
        attrs={
            "defer": "defer",
            "src": posixpath.relpath(RUNTIME_PATH, posixpath.dirname(page)),
            "data-scorm": version,
            "data-mastery": str(mastery),
        },
    )
    # last in the body: after the theme's and the quiz's scripts (it waits for the quiz anyway)
    (soup.body or soup).append(script)
    collector.files[RUNTIME_PATH] = RUNTIME.read_bytes()
    return str(soup).encode("utf-8")


def _srcset(collector: Collector, page: str, value: str) -> list[str]:
    out = []
    for candidate in value.split(","):
        bits = candidate.split()
        if bits:
            bits[0] = collector.asset(page, bits[0], page) or bits[0]
            out.append(" ".join(bits))
    return out


def _link(collector: Collector, page: str, link) -> None:
    href = link["href"]
    external, path, fragment = _split(href)
    if not external and not path:
        return  # in-page anchor
    target = (
        None
        if external or href.startswith(("mailto:", "tel:", "javascript:"))
        else resolve(page, path)
    )
    if target is not None and (target == page or target in collector.files):
        return
    if link.find(BLOCKS):  # e.g. Furo's brand: keep the content, drop the link
        link.unwrap()
        return
    link.name = "span"  # same text, no longer a link (an <a> without href still looks like one)
    link.attrs = {
        "class": ["course-lms-hors-paquet"],
        "title": "Lien disponible sur le site du cours, pas dans ce module LMS",
    }
