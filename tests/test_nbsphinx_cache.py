"""The caches in front of nbsphinx: same results as without them, from the second call on."""

from __future__ import annotations

import os
import re
from types import SimpleNamespace

import nbformat
import nbsphinx
import pytest

from course.sphinxext import exercises, nbsphinx_cache

# an HTML image in Markdown: nbsphinx's pandoc filter collects its reST definition on the side,
# under a random substitution name
IMAGE = 'Une image : <img src="carte.png" alt="Carte du quartier">\n'
TEXT = "Texte *en italique*, une [référence](https://www.insee.fr) et une liste :\n\n- un\n- deux\n"


def same_names(rst: str) -> str:
    return re.sub(r"[0-9a-f]{32}", "NOM", rst)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", os.environ["PATH"])  # restored after the test
    exercises.expose_pandoc(None, None)  # the pandoc of the pypandoc-binary wheel
    monkeypatch.setattr(nbsphinx, "pandoc", nbsphinx.pandoc)
    exporter = nbsphinx.Exporter
    monkeypatch.setattr(exporter, "from_notebook_node", exporter.from_notebook_node)
    plain = {text: nbsphinx.markdown2rst(text) for text in (IMAGE, TEXT)}
    app = SimpleNamespace(srcdir=str(tmp_path), config=SimpleNamespace(course_cache_dir="c"))
    nbsphinx_cache.install(app)
    yield tmp_path / "c" / "pandoc", plain
    monkeypatch.setattr(nbsphinx_cache, "_CACHE_DIR", None)


def test_text_converts_the_same_from_the_cache(cache):
    folder, plain = cache
    assert nbsphinx.markdown2rst(TEXT) == plain[TEXT]  # fills the cache
    runs = sorted(folder.iterdir())
    assert len(runs) == 2  # markdown -> json, json -> rst
    assert nbsphinx.markdown2rst(TEXT) == plain[TEXT]  # from the cache
    assert sorted(folder.iterdir()) == runs


def test_an_image_keeps_its_definition_when_pandoc_comes_from_the_cache(cache):
    """Regression: caching the filtered result lost the image definitions, which the filter
    collects on the side, and left an undefined substitution in the page."""
    _, plain = cache
    assert ".. |" in plain[IMAGE] and "carte.png" in plain[IMAGE]
    for _ in range(2):
        assert same_names(nbsphinx.markdown2rst(IMAGE)) == same_names(plain[IMAGE])


def test_prewarm_fills_the_cache_for_every_markdown_cell(cache):
    folder, plain = cache
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(TEXT),
            nbformat.v4.new_code_cell("1 + 1"),
            nbformat.v4.new_markdown_cell("Autre *cellule*"),
        ]
    )
    nbsphinx_cache.prewarm([nb, nb], workers=2)
    assert len(list(folder.iterdir())) == 4
    assert nbsphinx.markdown2rst(TEXT) == plain[TEXT]
    assert len(list(folder.iterdir())) == 4  # nothing new: all from the cache
