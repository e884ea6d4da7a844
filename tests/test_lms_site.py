"""The LMS export of the real course (learner edition, built once into a temporary folder):
every package valid and read by the Open edX XBlock, every bank parsed, no exercise solution
and no trainer note anywhere, identical bytes on a second export, one SCO played per version.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import solution_lines
from test_lms import FOLDERS
from test_lms_banks import gift_parse
from test_lms_openedx import CGI_WARNING, openedx_import

from course.lms import check, cli, moodle

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]


def test_every_module_has_its_packages_and_banks(exported):
    out = exported["out"]
    for module in exported["course"]["modules"]:
        for folder in FOLDERS.values():
            assert (out / folder / f"{module['slug']}.zip").is_file()
        assert (out / "moodle" / f"{module['slug']}.xml").is_file()
        assert (out / "gift" / f"{module['slug']}.gift.txt").is_file()
    for folder in FOLDERS.values():
        assert (out / folder / "cours-complet.zip").is_file()


@pytest.mark.filterwarnings(CGI_WARNING)
def test_every_package_is_valid_and_read_by_open_edx(exported, tmp_path):
    problems = {}
    for version, folder in FOLDERS.items():
        for path in sorted((exported["out"] / folder).glob("*.zip")):
            found = check.package_problems(path.read_bytes(), version)
            if found:
                problems[f"{folder}/{path.name}"] = found
    assert not problems, problems
    modules = exported["course"]["modules"]
    for version, folder in FOLDERS.items():
        block = openedx_import(exported["out"] / folder / "cours-complet.zip", tmp_path / folder)
        assert block.scorm_version == ("SCORM_12" if version == "1.2" else "SCORM_2004")
        assert block.index_page_path == modules[0]["page"]
        assert block.navigation_menu.count("class='navigation-title'") == len(modules)


def test_every_bank_parses_and_uses_moodle_weights(exported, node_modules):
    from lxml import etree

    for module in exported["course"]["modules"]:
        parsed = gift_parse(node_modules, exported["out"] / "gift" / f"{module['slug']}.gift.txt")
        assert len(parsed) == 1 + len(module["questions"]), module["slug"]
        root = etree.parse(str(exported["out"] / "moodle" / f"{module['slug']}.xml")).getroot()
        weights = [a.get("fraction") for a in root.iter("answer")]
        assert weights and set(weights) <= moodle.ALLOWED, module["slug"]


def test_no_solution_and_no_trainer_note_in_any_export(exported):
    secrets = solution_lines()
    assert secrets
    for path in sorted(exported["out"].rglob("*")):
        if path.suffix == ".zip":
            archive = zipfile.ZipFile(path)
            blobs = {
                name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            }
        elif path.is_file():
            blobs = {path.name: path.read_text(encoding="utf-8")}
        else:
            continue
        for name, text in blobs.items():
            leaked = [s for s in secrets if s in text]
            assert not leaked, (path.name, name, leaked[:3])
            if name.endswith(".html"):
                assert "course-note-formateur" not in text, (path.name, name)


def test_a_second_export_gives_the_same_bytes(exported):
    again = cli.export(exported["site"], exported["out"])
    on_disk = {
        p.relative_to(exported["out"]).as_posix(): p.read_bytes()
        for p in exported["out"].rglob("*")
        if p.is_file()
    }
    assert again == on_disk


def test_module_packages_carry_only_their_page(exported):
    archive = zipfile.ZipFile(
        io.BytesIO((exported["out"] / "scorm12" / "loi-2014.zip").read_bytes())
    )
    pages = [n for n in archive.namelist() if n.endswith(".html")]
    assert pages == ["modules/loi-2014.html"]
    assert sum(len(archive.read(n)) for n in archive.namelist()) < 600_000


@pytest.mark.browser
@pytest.mark.parametrize("version", list(FOLDERS))
def test_a_real_module_played_against_scorm_again_passes(
    exported, browser, node_modules, tmp_path, version
):
    import shutil

    import quality
    from test_lms_browser import EL, PLAYER, TIME, Session

    www = tmp_path / "www"
    www.mkdir()
    (www / "player.html").write_text(PLAYER, encoding="utf-8")
    shutil.copy(node_modules / "scorm-again" / "dist" / "scorm-again.js", www)
    zipfile.ZipFile(exported["out"] / FOLDERS[version] / "cours-complet.zip").extractall(
        www / "pkg"
    )
    el = EL[version]
    with quality.serve(www) as url:
        session = Session(browser)
        try:
            frame = session.launch(url, version, "pkg/modules/loi-2014.html")
            questions = frame.locator("fieldset.course-question")
            for index in range(questions.count()):
                question = questions.nth(index)
                for box in question.locator("input[data-correct='1']").all():
                    box.check()
                question.locator("button.course-check").click()
            session.leave(version)
            assert float(session.value(el["raw"])) == 100
            assert (
                session.value(
                    "cmi.core.lesson_status" if version == "1.2" else "cmi.success_status"
                )
                == "passed"
            )
            assert TIME[version].match(session.value(el["time"]))
            assert len(session.value("cmi.suspend_data")) <= 4096
            assert not [c for c in session.calls() if c["r"] == "false"]
            session.assert_clean()
        finally:
            session.close()


def test_packaged_pages_are_valid_html(exported, node_modules, tmp_path):
    import shutil

    import quality
    from conftest import require_tool

    require_tool(
        shutil.which("java") is not None, "Java absent : sudo apt install default-jre-headless"
    )
    for folder in FOLDERS.values():
        archive = zipfile.ZipFile(exported["out"] / folder / "cours-complet.zip")
        for name in archive.namelist():
            if name.endswith(".html"):
                target = tmp_path / folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    errors = quality.vnu_errors(quality.run_vnu(jar, tmp_path))
    assert errors == [], quality.format_vnu(errors, tmp_path)


@pytest.mark.browser
def test_packaged_page_has_no_wcag_violation(exported, browser, node_modules, tmp_path):
    import quality

    zipfile.ZipFile(exported["out"] / "scorm12" / "loi-2014.zip").extractall(tmp_path)
    axe = (node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    with quality.serve(tmp_path) as url:
        for scheme in ("light", "dark"):
            context = browser.new_context(color_scheme=scheme)
            page = context.new_page()
            page.goto(f"{url}/modules/loi-2014.html", wait_until="load")
            violations = quality.axe_violations(page, axe)
            context.close()
            assert violations == [], quality.format_violations({scheme: violations})
