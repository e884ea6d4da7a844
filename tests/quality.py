"""Helpers for tests/test_quality.py: local server, headless Chromium, axe-core, vnu, links.

Nothing here reaches the network: pages are served from 127.0.0.1, Chromium is Debian's
(never downloaded) and started without background networking, and every request that would
leave 127.0.0.1 is recorded and aborted.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import CSS_URL, RESOURCE_ATTRS, is_external

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pages(outdir: Path) -> list[Path]:
    return sorted(outdir.rglob("*.html"))


# -- local HTTP server -------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# -- axe-core ----------------------------------------------------------------------------------

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
  }));
}"""


def axe_violations(page, axe_source: str) -> list[dict]:
    """Inject axe-core into the loaded ``page`` and return its WCAG 2.1 A/AA violations."""
    page.evaluate(axe_source)
    return page.evaluate(AXE_RUN, AXE_TAGS)


def format_violations(found: dict[str, list[dict]]) -> str:
    lines = []
    for url, violations in found.items():
        for v in violations:
            first = v["nodes"][0]
            summary = " ".join(first["summary"].split())[:240]
            lines.append(
                f"{url}: {v['id']} ({v['impact']}) × {len(v['nodes'])} — "
                f"{first['target']} — {summary}"
            )
    return "\n".join(lines)


# -- Nu Html Checker -----------------------------------------------------------------------------

# Errors we cannot fix in what we write (theme, Sphinx, nbsphinx), matched on the exact
# message: {message: (upstream reference, justification)}. Keep it minimal: an entry that
# no longer matches anything makes test_allowlist_is_minimal fail, so it is removed when the
# upstream fix arrives.
VNU_ALLOWED: dict[str, tuple[str, str]] = {}


def run_vnu(vnu_jar: Path, *dirs: Path) -> list[dict]:
    """Every message of the Nu Html Checker on the HTML files under ``dirs``."""
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--format", "json", "--skip-non-html", *map(str, dirs)],
        capture_output=True,
        text=True,
    )
    # vnu writes its JSON report on stderr and exits 1 when it finds errors
    try:
        return json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise RuntimeError(f"vnu: sortie illisible ({exc}): {result.stderr[-2000:]}") from None


def vnu_path(message: dict) -> Path | None:
    """The file a vnu message is about (vnu writes ``file:/abs/path``, not ``file:///``)."""
    url = message.get("url", "")
    if not url.startswith("file:"):
        return None
    return Path("/" + unquote(url[len("file:") :]).lstrip("/"))


def vnu_errors(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def format_vnu(messages: list[dict], base: Path) -> str:
    lines = []
    for m in messages:
        path = vnu_path(m)
        where = path.relative_to(base) if path and path.is_relative_to(base) else m.get("url")
        extract = " ".join((m.get("extract") or "").split())[:120]
        lines.append(f"{where}:{m.get('lastLine', '?')}: {m['message']}  [{extract}]")
    return "\n".join(lines)


# -- internal links ----------------------------------------------------------------------------

# every place a page loads something from (conftest.RESOURCE_ATTRS), plus plain links
LINK_ATTRS = {**RESOURCE_ATTRS, "a": ["href"], "form": ["action"], "area": ["href"]}
NOT_A_FILE = re.compile(r"^(mailto|tel|javascript|data):", re.I)


def _urls(element, attr: str) -> list[str]:
    value = element.get(attr) or ""
    if attr == "srcset":
        return [part.split()[0] for part in value.split(",") if part.split()]
    return [value]


class LinkChecker:
    """Resolves every local href/src of an output folder, fragments included."""

    def __init__(self, outdir: Path):
        self.outdir = outdir.resolve()
        self._ids: dict[Path, set[str]] = {}

    def ids(self, page: Path) -> set[str]:
        if page not in self._ids:
            from bs4 import BeautifulSoup

            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            found = {el["id"] for el in soup.find_all(id=True)}
            found |= {el["name"] for el in soup.find_all("a", attrs={"name": True})}
            self._ids[page] = found
        return self._ids[page]

    def check_url(self, source: Path, url: str) -> str | None:
        """None when ``url`` (found in ``source``) resolves, else the reason it does not."""
        url = url.strip()
        if not url or is_external(url) or NOT_A_FILE.match(url):
            return None
        parts = urlsplit(url)
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if path.startswith("/"):
            return "chemin absolu (le site doit fonctionner dans un sous-dossier)"
        target = (source.parent / path).resolve() if path else source.resolve()
        if not target.is_relative_to(self.outdir):
            return "hors du site"
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return "fichier absent"
        if fragment and target.suffix == ".html" and fragment not in self.ids(target):
            return f"ancre #{fragment} absente de {target.relative_to(self.outdir)}"
        return None

    def broken(self) -> list[str]:
        from bs4 import BeautifulSoup

        problems = []
        for page in pages(self.outdir):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            self._ids.setdefault(
                page,
                {el["id"] for el in soup.find_all(id=True)}
                | {el["name"] for el in soup.find_all("a", attrs={"name": True})},
            )
            for tag, attrs in LINK_ATTRS.items():
                for element in soup.find_all(tag):
                    for attr in attrs:
                        for url in _urls(element, attr):
                            reason = self.check_url(page, url)
                            if reason:
                                problems.append(
                                    f"{page.relative_to(self.outdir)}: "
                                    f"<{tag} {attr}={url}> : {reason}"
                                )
        for css in sorted(self.outdir.rglob("*.css")):
            for url in CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
                if url.startswith("#"):  # SVG references inside data URLs
                    continue
                reason = self.check_url(css, url)
                if reason:
                    problems.append(f"{css.relative_to(self.outdir)}: url({url}) : {reason}")
        return problems
