"""Furo's navigation computed once per folder (course/sphinxext/navigation.py): every page
comes out byte for byte as Furo writes it page by page."""

from __future__ import annotations

from pathlib import Path

from conftest import build, copy_root, edit, write

from course.sphinxext import navigation


def nested_course(tmp_path: Path) -> Path:
    """test-basic with Furo, and a branch three levels deep in a subfolder."""
    src = copy_root("basic", tmp_path)
    edit(src / "conf.py", 'html_theme = "basic"', 'html_theme = "furo"')
    edit(src / "index.md", "programme\n:::", "programme\netudes/index\n:::")
    write(src / "etudes/index.md", "# Études\n\n:::{toctree}\na\nb\n:::\n")
    write(src / "etudes/a.md", "# Étude A\n\nTexte.\n")
    write(src / "etudes/b.md", "# Étude B\n\n:::{toctree}\nsous/c\n:::\n")
    write(src / "etudes/sous/c.md", "# Étude C\n\nTexte.\n")
    return src


def pages(outdir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(outdir)): p.read_text(encoding="utf-8")
        for p in sorted(outdir.rglob("*.html"))
    }


def test_every_page_has_furos_own_navigation(tmp_path, monkeypatch):
    src = nested_course(tmp_path)
    fast = pages(build(src, tmp_path / "fast").outdir)
    with monkeypatch.context() as patch:  # Furo's own computation, page by page
        patch.setattr(navigation.FolderCache, "__call__", lambda self, ctx: self.compute(ctx))
        slow = pages(build(src, tmp_path / "slow").outdir)
    assert set(fast) == set(slow)
    assert {"etudes/sous/c.html", "etudes/b.html", "modules/alpha.html"} <= set(fast)
    for name, html in slow.items():
        assert fast[name] == html, name
    # the deepest page: its whole branch is marked, its own link points to itself
    page = fast["etudes/sous/c.html"]
    assert 'class="toctree-l3 current current-page"' in page
    assert '<a class="current reference internal" href="#">Étude C</a>' in page


def test_a_page_marks_only_its_own_branch():
    html = (
        '<ul><li class="toctree-l1 has-children"><a class="reference internal" href="a.html">A</a>'
        '<input aria-label="x" class="toctree-checkbox" id="t1" name="t1" role="switch" '
        'type="checkbox"/><ul><li class="toctree-l2"><a class="reference internal" '
        'href="b.html">B</a></li></ul></li><li class="toctree-l1"><a class="reference internal" '
        'href="c.html">C</a></li></ul>'
    )
    template = navigation._template(html)
    marked = navigation._mark(template, "b.html")
    assert marked == (
        '<ul class="current"><li class="toctree-l1 current has-children"><a class="reference '
        'internal" href="a.html">A</a><input aria-label="x" checked="" class="toctree-checkbox" '
        'id="t1" name="t1" role="switch" type="checkbox"/><ul class="current"><li '
        'class="toctree-l2 current current-page"><a class="current reference internal" '
        'href="#">B</a></li></ul></li><li class="toctree-l1"><a class="reference internal" '
        'href="c.html">C</a></li></ul>'
    )
    assert navigation._unmark(marked, "b.html") == html
    assert navigation._mark(template, "absent.html") == html
