"""Printing built pages: what is kept, what is removed, links as text, nothing from the web."""

from __future__ import annotations

from io import BytesIO

import pytest

from course.session import pages, pdf

PAGE = """<!DOCTYPE html><html lang="fr"><head><title>M</title></head><body>
<nav class="sidebar">Menu du site</nav>
<article role="main">
<h1>Module imprimé<a class="headerlink" href="#m">¶</a></h1>
<p>Voir <a class="reference internal" href="autre.html">l'autre module</a> et
<a class="reference external" href="https://www.legifrance.gouv.fr/loda/id/JORFTEXT000028636804"
>la loi</a>.</p>
<fieldset class="course-question" id="question-1"><legend>Question 1 Qui signe ?</legend>
<div class="course-option"><input data-correct="1" type="radio"><label>le préfet</label>
<div class="course-feedback" hidden>Exact : retour secret de la bonne réponse.</div></div>
<div class="course-actions"><button>Vérifier ma réponse</button></div>
<details class="course-correction"><summary>Voir la correction</summary>
<p>Explication : texte de correction à ne pas imprimer.</p></details>
</fieldset>
<script>console.log("écran")</script>
</article></body></html>
"""


@pytest.fixture
def site(tmp_path):
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "m.html").write_text(PAGE, encoding="utf-8")
    return tmp_path


def test_printable_content_keeps_the_text_and_drops_screen_only_parts(site):
    html = pages.printable(site, "modules/m.html")
    assert "Module imprimé" in html and "Qui signe ?" in html and "☐ le préfet" in html
    for gone in ("Menu du site", "¶", "retour secret", "texte de correction", "Vérifier", "écran"):
        assert gone not in html
    assert "data-correct" not in html and "<input" not in html
    assert '<a class="reference external" href="https://www.legifrance' in html
    assert 'href="autre.html"' not in html and "l'autre module" in html


def test_web_addresses_are_printed_and_nothing_is_fetched_from_the_web(site):
    from pypdf import PdfReader

    body = pages.printable(site, "modules/m.html")
    document = (
        '<html lang="fr"><head><title>Essai</title></head><body>'
        f'{body}<img src="https://example.org/image.png" alt="distante"></body></html>'
    )
    data = pdf.render(document, site / "modules")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())
    assert "la loi <https://www.legifrance.gouv.fr/loda/id/JORFTEXT000028636804>" in text.replace(
        "/ ", "/"
    )
    assert "Page 1 sur 1" in text
    with pytest.raises(ValueError, match="ressource externe refusée"):
        pdf.check_local("https://example.org/image.png")
