"""Furo's sidebar navigation, computed once per folder instead of once per page.

Furo puts the whole course tree in every page's sidebar: for each page it asks Sphinx for the
global toctree (resolved and deep-copied again for each page) and rewrites it with
BeautifulSoup (checkboxes to fold the branches). Both cost as much as the tree is large, for
every page: on a course ten times larger, ten times more pages each pay ten times more
(measured: a third of a clean build of 120 modules).

What differs from one page to the next is small: links are relative to the page's folder, and
the branch leading to the page is marked (``current`` on its ``<ul>`` and ``<li>``,
``current-page`` on the last ``<li>``, its link ``class="current reference internal"
href="#"``, its checkboxes ``checked``). So the tree is asked of Furo once per folder, the
marks are taken off, and each page gets a copy with its own branch marked by string edits at
positions found once. ``tests/test_navigation.py`` checks that every page comes out byte for
byte as Furo writes it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

_MARKS = {"current", "current-page"}
_LI = re.compile(r'<li class="([^"]*)">')
_UL_CURRENT = '<ul class="current">'
_TOKENS = re.compile(
    r'<li class="(?P<li>[^"]*)">|</li>|<ul(?P<ul_class> class="current")?>|</ul>'
    r'|<a class="reference internal" href="(?P<href>[^"]*)">'
    r'|<input aria-label="[^"]*"(?P<checkbox>) class="toctree-checkbox"'
)


@dataclass
class _Item:
    """One ``<li>``: where its class value ends, where its checkbox could take ``checked``."""

    class_start: int
    class_end: int
    checkbox: int | None = None


@dataclass
class _Template:
    """A folder's navigation without marks, and for each link the branch that leads to it."""

    html: str
    branches: dict[str, list[tuple[int, list[_Item], list[int]]]] = field(default_factory=dict)


def _unmark(html: str, own: str) -> str:
    """Furo's navigation for the page whose link is ``own``, without that page's marks."""
    html = html.replace(
        '<a class="current reference internal" href="#">',
        f'<a class="reference internal" href="{own}">',
    )
    html = html.replace(_UL_CURRENT, "<ul>").replace(' checked=""', "")

    def classes(match: re.Match) -> str:
        kept = [c for c in match.group(1).split() if c not in _MARKS]
        return f'<li class="{" ".join(kept)}">'

    return _LI.sub(classes, html)


def _template(html: str) -> _Template:
    """Index the unmarked navigation: every link, with its ``<li>`` and ``<ul>`` ancestors."""
    template = _Template(html)
    items: list[_Item] = []  # open <li>, innermost last
    lists: list[int] = []  # position just after "<ul" of each open <ul>
    for match in _TOKENS.finditer(html):
        token = match.group(0)
        if match.group("li") is not None:
            items.append(_Item(match.start("li"), match.end("li")))
        elif token == "</li>":
            items.pop()
        elif token.startswith("<ul"):
            lists.append(match.start() + 3)
        elif token == "</ul>":
            lists.pop()
        elif match.group("href") is not None:
            branch = (match.start(), list(items), list(lists))
            template.branches.setdefault(match.group("href"), []).append(branch)
        elif items:  # the checkbox of the innermost <li>
            items[-1].checkbox = match.start("checkbox")
    return template


def _mark(template: _Template, own: str) -> str:
    """The navigation of the page whose link is ``own``: its branches marked as Furo does."""
    branches = template.branches.get(own)
    if not branches:
        return template.html
    edits: dict[int, tuple[int, str]] = {}  # position → (length replaced, new text)
    link = f'<a class="reference internal" href="{own}">'
    current_items = {}
    for start, items, lists in branches:
        edits[start] = (len(link), '<a class="current reference internal" href="#">')
        for position in lists:
            edits[position] = (0, ' class="current"')
        for item in items:
            current_items[item.class_start] = item
    last = max(current_items)
    for start, item in current_items.items():
        classes = template.html[item.class_start : item.class_end].split()
        classes.insert(1, "current")  # after toctree-lN, before Furo's has-children
        if start == last:
            classes.append("current-page")
        edits[item.class_start] = (item.class_end - item.class_start, " ".join(classes))
        if item.checkbox is not None:
            edits[item.checkbox] = (0, ' checked=""')
    html, end = [], len(template.html)
    for position in sorted(edits, reverse=True):
        length, text = edits[position]
        html.append(template.html[position + length : end])
        html.append(text)
        end = position
    html.append(template.html[:end])
    return "".join(reversed(html))


class FolderCache:
    """Furo's ``_compute_navigation_tree`` for one build, one template per folder of pages."""

    def __init__(self, compute, builder):
        self.compute, self.builder = compute, builder
        self.templates: dict[str, _Template] = {}

    def __call__(self, context: dict) -> str:
        pagename = context.get("pagename")
        if pagename is None or "toctree" not in context:
            return self.compute(context)
        uri = self.builder.get_target_uri(pagename)
        folder, own = posixpath.split(uri)
        template = self.templates.get(folder)
        if template is None:
            html = self.compute(context)  # Furo's own result for this first page
            template = self.templates[folder] = _template(_unmark(html, own))
            return html
        return _mark(template, own)


def install(app) -> None:
    """``builder-inited``: with the Furo theme, its navigation is computed once per folder."""
    try:
        import furo
    except ImportError:
        return
    if app.config.html_theme != "furo" or not hasattr(furo, "_compute_navigation_tree"):
        return
    original = getattr(furo._compute_navigation_tree, "compute", furo._compute_navigation_tree)
    furo._compute_navigation_tree = FolderCache(original, app.builder)
