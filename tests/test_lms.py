"""LMS export of a tiny course (tests/roots/test-basic: module alpha with 2 questions, beta
with none): every output, the official XSDs and the rules they miss, self-contained pages,
determinism, no trainer content, the mastery score. Question banks: test_lms_banks.py; Open
edX: test_lms_openedx.py; browser: test_lms_browser.py; the real course: test_lms_site.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from argparse import Namespace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build, copy_root, external_resources
from lxml import etree

from course.lms import SCHEMAS, check, cli, manifest

SHARED_SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "lms-schemas"
FOLDERS = {"1.2": "scorm12", "2004": "scorm2004"}
PACKAGES = [(v, name) for v in FOLDERS for name in ("alpha", "beta", "cours-complet")]
SECRET = "Consigne secrète de l'atelier alpha"  # a trainer note of test-basic


def export_tiny_course(tmp_path_factory) -> dict:
    """Build test-basic (learner edition) and export it; each test module calls this once."""
    base = tmp_path_factory.mktemp("lms")
    result = build(copy_root("basic", base), base / "_build")
    out = base / "lms"
    assert cli.main(Namespace(site=str(result.outdir), out=str(out))) == 0
    return {"site": result.outdir, "out": out, "base": base}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return export_tiny_course(tmp_path_factory)


def package(course, version, name) -> zipfile.ZipFile:
    return zipfile.ZipFile(course["out"] / FOLDERS[version] / f"{name}.zip")


def test_every_export_is_written(course):
    names = sorted(
        p.relative_to(course["out"]).as_posix() for p in course["out"].rglob("*") if p.is_file()
    )
    assert names == [
        "gift/alpha.gift.txt",
        "moodle/alpha.xml",  # beta has no question: no bank
        "scorm12/alpha.zip",
        "scorm12/beta.zip",
        "scorm12/cours-complet.zip",
        "scorm2004/alpha.zip",
        "scorm2004/beta.zip",
        "scorm2004/cours-complet.zip",
    ]


def test_vendored_schemas_are_unmodified_copies_of_the_shared_ones():
    if not SHARED_SCHEMAS.is_dir():
        pytest.skip("shared/lms-schemas absent (dépôt cloné seul)")
    ours = {p.relative_to(SCHEMAS): p.read_bytes() for p in SCHEMAS.rglob("*") if p.is_file()}
    theirs = {
        p.relative_to(SHARED_SCHEMAS): p.read_bytes()
        for p in SHARED_SCHEMAS.rglob("*")
        if p.is_file()
    }
    assert ours == theirs


@pytest.mark.parametrize(("version", "name"), PACKAGES)
def test_package_passes_xsd_and_the_rules_lmss_need(course, version, name):
    data = (course["out"] / FOLDERS[version] / f"{name}.zip").read_bytes()
    assert check.package_problems(data, version) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    raw = archive.read("imsmanifest.xml").decode("utf-8")
    assert raw.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<manifest ')
    assert f'xmlns="{manifest.NS[version]["cp"]}"' in raw and "ns0" not in raw
    assert f'xmlns:adlcp="{manifest.NS[version]["adlcp"]}"' in raw
    schemaversion = "1.2" if version == "1.2" else "2004 4th Edition"
    assert f"<schemaversion>{schemaversion}</schemaversion>" in raw
    spelled = "adlcp:scormtype=" if version == "1.2" else "adlcp:scormType="
    assert raw.count(spelled) == raw.count("<resource ")
    assert raw.count('isvisible="true"') == raw.count("<item ")
    for info in archive.infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0) and not info.is_dir()
        assert not info.filename.startswith(("/", "..")) and "\\" not in info.filename
    assert archive.namelist() == sorted(archive.namelist())
    if version == "2004":
        for lom in (n for n in archive.namelist() if n.startswith("lom-")):
            assert check.xsd_errors(archive.read(lom), "lom") == [], lom


BROKEN = {  # research/lms.md: schema-valid (or nearly) mistakes that break real LMSs
    "P2 ns0": lambda m: re.sub(r"<(/?)(?=[a-z])(?!adlcp|imsss)", r"<\1ns0:", m).replace(
        'xmlns="', 'xmlns:ns0="', 1
    ),
    "P3 prefix": lambda m: m.replace("xmlns:adlcp=", "xmlns:scorm=").replace("adlcp:", "scorm:"),
    "P4 schemaversion": lambda m: m.replace("2004 4th Edition", "2004 4th edition").replace(
        "<schemaversion>1.2<", "<schemaversion>1.2.0<"
    ),
    "P7 isvisible": lambda m: m.replace(' isvisible="true"', ""),
    "P6 identifierref": lambda m: m.replace('identifierref="RES-alpha"', 'identifierref="RES-x"'),
}


@pytest.mark.parametrize("version", list(FOLDERS))
@pytest.mark.parametrize("mistake", list(BROKEN))
def test_checker_catches_the_mistakes_xsd_alone_misses(course, version, mistake):
    archive = package(course, version, "alpha")
    files = {n: archive.read(n) for n in archive.namelist()}
    files["imsmanifest.xml"] = BROKEN[mistake](files["imsmanifest.xml"].decode()).encode()
    from course.files import deterministic_zip as zip_bytes

    assert check.package_problems(zip_bytes(files), version)


def test_checker_requires_the_manifest_at_the_root_and_every_file_listed(course):
    archive = package(course, "1.2", "alpha")
    nested = {f"alpha/{n}": archive.read(n) for n in archive.namelist()}
    from course.files import deterministic_zip as zip_bytes

    assert check.package_problems(zip_bytes(nested), "1.2") == [
        "imsmanifest.xml absent de la racine du zip (P1)"
    ]
    extra = {n: archive.read(n) for n in archive.namelist()} | {"_static/orphelin.js": b""}
    assert any("orphelin" in p for p in check.package_problems(zip_bytes(extra), "1.2"))


def test_manifest_metadata_come_from_the_course_data(course):
    data = json.loads((course["site"] / "_course" / "cours.json").read_text(encoding="utf-8"))
    alpha = data["modules"][0]
    raw = package(course, "1.2", "alpha").read("imsmanifest.xml").decode()
    assert f"<title>{alpha['title']}</title>" in raw
    assert "<adlcp:masteryscore>80</adlcp:masteryscore>" in raw
    assert "masteryscore" not in package(course, "1.2", "beta").read("imsmanifest.xml").decode()
    md = etree.fromstring(package(course, "1.2", "alpha").read("imsmd-alpha.xml"))
    ns = {"md": manifest.NS["1.2"]["md"]}
    assert md.findtext("md:general/md:description/md:langstring", namespaces=ns) == "Module alpha."
    assert (
        md.findtext("md:educational/md:typicallearningtime/md:datetime", namespaces=ns) == "PT45M"
    )
    raw04 = package(course, "2004", "alpha").read("imsmanifest.xml").decode()
    assert "<imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>" in raw04
    lom = etree.fromstring(package(course, "2004", "cours-complet").read("lom-cours.xml"))
    ns = {"l": manifest.NS["2004"]["lom"]}
    assert (
        lom.findtext("l:educational/l:typicalLearningTime/l:duration", namespaces=ns) == "PT1H45M"
    )  # 45 + 60 min
    assert lom.findtext("l:general/l:title/l:string", namespaces=ns) == data["titre"]


@pytest.mark.parametrize(("version", "name"), PACKAGES)
def test_sco_pages_are_self_contained(course, version, name):
    archive = package(course, version, name)
    names = set(archive.namelist())
    pages = [n for n in names if n.startswith("modules/") and n.endswith(".html")]
    assert pages
    for page in pages:
        html = archive.read(page).decode("utf-8")
        assert external_resources(html) == []
        soup = BeautifulSoup(html, "html.parser")
        runtime = soup.select('script[src$="scorm-runtime.js"]')
        assert len(runtime) == 1 and runtime[0]["data-scorm"] == version
        assert runtime[0]["data-mastery"] == "80"
        for element in soup.find_all(["a", "link", "script", "img"]):
            url = element.get("href") or element.get("src")
            if not url or url.startswith(("#", "data:")):
                continue
            assert "?" not in url and "://" not in url, url
            target = os.path.normpath(os.path.join(os.path.dirname(page), url.split("#")[0]))
            assert target in names, (page, url)
        assert not soup.find("form")
    for css in (n for n in names if n.endswith(".css")):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", archive.read(css).decode()):
            if not url.startswith(("data:", "#")):
                assert os.path.normpath(os.path.join(os.path.dirname(css), url)) in names


def test_two_exports_give_identical_bytes(course):
    first = cli.export(course["site"], course["out"])
    second = cli.export(course["site"], course["out"])
    assert first == second
    on_disk = {
        p.relative_to(course["out"]).as_posix(): p.read_bytes()
        for p in course["out"].rglob("*")
        if p.is_file()
    }
    assert on_disk == first


def test_no_trainer_content_in_any_export(course):
    for path in course["out"].rglob("*"):
        if path.suffix == ".zip":
            archive = zipfile.ZipFile(path)
            for name in archive.namelist():
                assert SECRET.encode() not in archive.read(name), (path, name)
        elif path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8")


def test_a_trainer_site_is_refused(course, capsys):
    site = course["base"] / "faux-formateur"
    shutil.copytree(course["site"], site)
    data_path = site / "_course" / "cours.json"
    data = json.loads(data_path.read_text(encoding="utf-8"))
    data_path.write_text(json.dumps({**data, "edition": "formateur"}), encoding="utf-8")
    out = course["base"] / "refus"
    assert cli.main(Namespace(site=str(site), out=str(out))) == 1
    assert "édition apprenant" in capsys.readouterr().err and not out.exists()
    data["modules"][0]["notes_formateur"] = [{"title": "Atelier"}]
    data_path.write_text(json.dumps(data), encoding="utf-8")
    assert cli.main(Namespace(site=str(site), out=str(out))) == 1


def test_a_page_missing_from_the_site_is_an_error_not_a_traceback(course, capsys):
    site = course["base"] / "incomplet"
    shutil.copytree(course["site"], site)
    (site / "modules" / "beta.html").unlink()
    out = course["base"] / "incomplet-lms"
    assert cli.main(Namespace(site=str(site), out=str(out))) == 1
    err = capsys.readouterr().err
    assert err.startswith("Erreur : fichier illisible ") and "beta.html" in err
    assert "make html" in err and not out.exists()


def test_mastery_score_is_configurable(course, monkeypatch):
    files = cli.export(
        course["site"], course["out"], mastery=cli.mastery_score(Namespace(mastery=65))
    )
    raw = zipfile.ZipFile(io.BytesIO(files["scorm12/alpha.zip"]))
    assert b"<adlcp:masteryscore>65</adlcp:masteryscore>" in raw.read("imsmanifest.xml")
    assert b'data-mastery="65"' in raw.read("modules/alpha.html")
    monkeypatch.setenv("COURSE_LMS_MASTERY", "70")
    assert cli.mastery_score(Namespace()) == 70
    monkeypatch.setenv("COURSE_LMS_MASTERY", "120")
    with pytest.raises(cli.LmsError):
        cli.mastery_score(Namespace())
