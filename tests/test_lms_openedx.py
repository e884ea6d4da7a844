"""The Open edX SCORM XBlock's own import code (openedx-scorm-xblock from PyPI) reads each
package of the tiny course: SCORM version, launch page, navigation menu, completion scan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_lms import FOLDERS, PACKAGES, export_tiny_course

# webob (an XBlock dependency) imports the deprecated cgi module: upstream, not ours
CGI_WARNING = "ignore:'cgi' is deprecated:DeprecationWarning"
pytestmark = [pytest.mark.filterwarnings(CGI_WARNING)]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return export_tiny_course(tmp_path_factory)


def openedx_import(zip_path: Path, work: Path):
    """Run ``ScormXBlock.extract_package`` and ``update_package_fields`` on a stand-in block."""
    import importlib.util

    from conftest import require_tool

    require_tool(
        all(importlib.util.find_spec(m) for m in ("django", "openedxscorm")),
        "openedx-scorm-xblock absent : pip install openedx-scorm-xblock django",
    )
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            USE_I18N=False,
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        )
        import django

        django.setup()
    from django.core.files.storage import FileSystemStorage
    from openedxscorm import scormxblock

    block_cls = scormxblock.ScormXBlock

    class Block:
        storage = FileSystemStorage(location=str(work))
        extract_folder_path = "paquet"
        extract_folder_base_path = "paquet"
        proxy_base_url = "/proxy"
        log_package_warnings = staticmethod(lambda warnings: None)
        for _name in (
            "extract_package",
            "update_package_fields",
            "extract_navigation_titles",
            "find_titles_recursively",
            "recursive_unorderedlist",
            "sanitize_input",
            "find_relative_file_path",
            "find_file_path",
            "get_file_path",
        ):
            locals()[_name] = getattr(block_cls, _name)

    block = Block()
    with open(zip_path, "rb") as handle:
        block.extract_package(handle)
    block.update_package_fields()
    return block


@pytest.mark.parametrize(("version", "name"), PACKAGES)
def test_open_edx_scorm_xblock_reads_the_package(course, tmp_path, version, name):
    block = openedx_import(course["out"] / FOLDERS[version] / f"{name}.zip", tmp_path)
    assert block.scorm_version == ("SCORM_12" if version == "1.2" else "SCORM_2004")
    first = "alpha" if name != "beta" else "beta"
    assert block.index_page_path == f"modules/{first}.html"
    assert block.package_warnings == []  # it finds the completion reporting
    menu = re.findall(
        r"<li href='([^']+)' class='navigation-title'>([^<]+)</li>", block.navigation_menu
    )
    expected = {"alpha": ["alpha"], "beta": ["beta"], "cours-complet": ["alpha", "beta"]}[name]
    assert [href for href, _ in menu] == [f"/proxy/modules/{s}.html" for s in expected]
    assert [title for _, title in menu] == [f"Module {s}" for s in expected]
