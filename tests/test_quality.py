"""Quality of every page of both editions: accessibility (RGAA / WCAG 2.1 AA), valid HTML, links.

- axe-core in headless Chromium, WCAG 2.1 A and AA rules, light and dark colour schemes;
- the quizzes with the keyboard alone; a text alternative on every image;
- no request leaves 127.0.0.1 while the pages load;
- the Nu Html Checker: no error in what we write (upstream errors: ``quality.VNU_ALLOWED``);
- no broken internal link or anchor.

The site is built once per session (the ``site`` fixture of conftest.py, shared with
test_site.py). Browser and Java/npm tools: skipped with a reason when absent, mandatory in CI.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import quality
from bs4 import BeautifulSoup
from conftest import require_tool

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]

EDITIONS = ["html", "formateur"]
QUIZ_PAGE = "modules/loi-2014.html"
FILENAME_ALT = re.compile(r"(^|/)[^/\s]+\.(png|jpe?g|gif|svg|webp)$", re.I)


def built(site, edition: str) -> Path:
    outdir, result = site[edition]
    if not (outdir / "index.html").exists():
        pytest.fail(f"l'édition {edition} n'a pas été construite : {result.stderr[-2000:]}")
    return outdir


# -- browser --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def server(site):
    """Both editions served from 127.0.0.1: ``<url>/html/…`` and ``<url>/formateur/…``."""
    base = site["html"][0].parent
    with quality.serve(base) as url:
        yield url


@pytest.fixture(scope="session")
def axe_source(node_modules) -> str:
    return (node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def offline_context(browser, outside: list[str], **options):
    """A browser context where every request that would leave 127.0.0.1 is noted and aborted."""
    context = browser.new_context(**options)

    def guard(route):
        url = route.request.url
        if re.match(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?/", url) or url.startswith(
            ("data:", "blob:", "about:")
        ):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    return context


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_axe_finds_no_wcag21_aa_violation_and_nothing_leaves_localhost(
    site, server, browser, axe_source, edition, scheme
):
    outdir = built(site, edition)
    found, outside, errors = {}, [], []
    context = offline_context(browser, outside, color_scheme=scheme)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    try:
        for path in quality.pages(outdir):
            rel = path.relative_to(outdir).as_posix()
            page.goto(f"{server}/{edition}/{rel}", wait_until="load")
            violations = quality.axe_violations(page, axe_source)
            if violations:
                found[rel] = violations
    finally:
        context.close()
    assert not found, "violations axe-core (WCAG 2.1 A/AA) :\n" + quality.format_violations(found)
    assert outside == [], "requêtes hors de 127.0.0.1"
    assert errors == [], "erreurs JavaScript"


@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_quiz_works_with_the_keyboard_alone(site, server, browser, edition):
    built(site, edition)
    outside: list[str] = []
    context = offline_context(browser, outside)
    page = context.new_page()
    try:
        page.goto(f"{server}/{edition}/{QUIZ_PAGE}", wait_until="load")
        score = page.locator(".course-score")
        before = score.inner_text()
        active = "(sel) => { const a = document.activeElement; return !!a && a.matches(sel); }"
        # Tab from the top of the page until an option of the first question has the focus
        for _ in range(600):
            page.keyboard.press("Tab")
            if page.evaluate(active, "fieldset.course-question input"):
                break
        else:
            pytest.fail("aucune option de question n'est atteignable avec Tab")
        question = page.evaluate(
            "() => document.activeElement.closest('fieldset.course-question').id"
        )
        page.keyboard.press("Space")
        assert page.evaluate("() => document.activeElement.checked"), "Espace coche l'option"
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate(active, f"#{question} button.course-check"):
                break
        else:
            pytest.fail("le bouton « Vérifier ma réponse » n'est pas atteignable avec Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "Vérifier ma réponse"
        page.keyboard.press("Enter")
        result = page.locator(f"#{question} .course-result")
        assert result.inner_text().strip(), "la zone de résultat annonce le verdict"
        assert result.get_attribute("role") == "status"
        assert page.locator(f"#{question}").get_attribute("data-state") in ("correct", "faux")
        after = score.inner_text()
        assert after != before and "1 vérifiée(s)" in after, after
    finally:
        context.close()
    assert outside == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_image_has_a_text_alternative(site, edition):
    """RGAA 1.1 / 1.3: an ``alt`` on every ``<img>``, and never a file name as the alternative."""
    outdir = built(site, edition)
    missing = []
    for path in quality.pages(outdir):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for img in soup.find_all("img"):
            alt = img.get("alt")
            if alt is None:
                missing.append(f"{path.relative_to(outdir)}: {img.get('src')} sans alt")
            elif FILENAME_ALT.search(alt.strip()):
                missing.append(
                    f"{path.relative_to(outdir)}: {img.get('src')} alt={alt!r} "
                    "(un nom de fichier n'est pas une alternative)"
                )
    assert missing == [], "\n".join(missing)


# -- HTML validity ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def vnu_messages(site, node_modules):
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require_tool(
        shutil.which("java") is not None, "Java absent : sudo apt install default-jre-headless"
    )
    dirs = [built(site, edition) for edition in EDITIONS]
    return quality.run_vnu(jar, *dirs)


@pytest.mark.parametrize("edition", EDITIONS)
def test_html_is_valid(site, vnu_messages, edition):
    outdir = built(site, edition).resolve()
    errors = [
        m
        for m in quality.vnu_errors(vnu_messages)
        if (path := quality.vnu_path(m)) and path.is_relative_to(outdir)
    ]
    ours = [m for m in errors if m["message"] not in quality.VNU_ALLOWED]
    assert ours == [], f"{len(ours)} erreur(s) HTML :\n" + quality.format_vnu(ours, outdir)


def test_vnu_reports_errors_where_we_look_for_them(node_modules, tmp_path):
    """The checker itself: an invalid page gives an error attributed to that file."""
    require_tool(shutil.which("java") is not None, "Java absent")
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>t</title></head>'
        '<body><p role="heading">x</p></body></html>',
        encoding="utf-8",
    )
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    errors = quality.vnu_errors(quality.run_vnu(jar, tmp_path))
    assert [quality.vnu_path(m) for m in errors] == [page.resolve()], errors


def test_allowlist_is_minimal(vnu_messages):
    """Each allowed upstream error is documented and still happens (else: remove it)."""
    seen = {m["message"] for m in quality.vnu_errors(vnu_messages)}
    for message, (reference, why) in quality.VNU_ALLOWED.items():
        assert reference.startswith("https://") and why, message
        assert message in seen, f"plus rencontrée, à retirer de VNU_ALLOWED : {message}"


# -- links -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_broken_internal_link_or_anchor(site, edition):
    outdir = built(site, edition)
    broken = quality.LinkChecker(outdir).broken()
    assert broken == [], f"{len(broken)} lien(s) cassé(s) :\n" + "\n".join(broken[:100])


def test_link_checker_catches_missing_files_and_anchors(tmp_path):
    """The checker itself: a missing page, a missing anchor and an escaping path are reported."""
    (tmp_path / "a.html").write_text(
        '<p id="ici"><a href="b.html#la">b</a> <a href="#ici">ok</a> <a href="#nulle-part">x</a>'
        ' <a href="c.html">c</a> <a href="../hors.html">h</a> <a href="https://ex.org/">e</a>'
        ' <img src="img.png" alt="i"></p>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h1 id="la">B</h1>', encoding="utf-8")
    (tmp_path / "img.png").write_bytes(b"")
    broken = quality.LinkChecker(tmp_path).broken()
    assert len(broken) == 3, broken
    assert any("#nulle-part" in b for b in broken) and any("c.html" in b for b in broken)
    assert any("hors du site" in b for b in broken)
