"""Page weight: each page's HTML plus the local CSS, JS and images it loads (raw and gzip)."""

from __future__ import annotations

import gzip
import statistics
import sys
from pathlib import Path

from common import ROOT

ASSETS = (("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"))


def page_weights(outdir: Path) -> dict:
    """HTML + local CSS/JS/images each page loads: bytes and gzip bytes, per page."""
    from bs4 import BeautifulSoup

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import is_external

    gz_cache: dict[Path, tuple[int, int]] = {}

    def size(path: Path) -> tuple[int, int]:
        if path not in gz_cache:
            data = path.read_bytes()
            gz_cache[path] = (len(data), len(gzip.compress(data, compresslevel=6)))
        return gz_cache[path]

    pages, skipped, external = {}, [], 0
    for page in sorted(outdir.rglob("*.html")):
        rel = page.relative_to(outdir).as_posix()
        if rel.startswith(("node_modules/", "_build/", ".venv/")):
            skipped.append(rel)  # not course pages (conf.py exclusions), see the report
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        files = {page}
        for tag, attr in ASSETS:
            for element in soup.find_all(tag):
                if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload"} & set(
                    element.get("rel") or []
                ):
                    continue
                url = (element.get(attr) or "").split("#")[0].split("?")[0]
                if not url or url.startswith("data:"):
                    continue
                if is_external(url):
                    external += 1
                    continue
                target = (page.parent / url).resolve()
                if target.is_file():
                    files.add(target)
        raw = sum(size(f)[0] for f in files)
        gz = sum(size(f)[1] for f in files)
        pages[rel] = (raw, gz)
    if not pages:
        raise RuntimeError(f"aucune page dans {outdir}")
    by_gz = sorted(pages.items(), key=lambda kv: kv[1][1])
    largest = by_gz[-1]
    return {
        "pages": len(pages),
        "median_raw_kb": round(statistics.median(v[0] for v in pages.values()) / 1024, 1),
        "median_gz_kb": round(statistics.median(v[1] for v in pages.values()) / 1024, 1),
        "largest_page": largest[0],
        "largest_raw_kb": round(largest[1][0] / 1024, 1),
        "largest_gz_kb": round(largest[1][1] / 1024, 1),
        "external_refs": external,
        "skipped": skipped,
    }
