"""The tests that share the real site run on one worker (``--dist loadgroup``).

``make test`` runs ``pytest -n auto --dist loadgroup``: tests marked ``xdist_group("site")``
must reach the same worker, so that the session-scoped ``site`` fixture builds the real site
once and the real-Moodle tests never write to the same Moodle from two processes at once. With
pytest 9.2 and pytest-xdist 3.8 the marks were silently ignored (xdist renames items through an
attribute pytest no longer reads): both workers built the site into the same ``exercices/``,
and Moodle answered « Error writing to database ». This runs a tiny suite the same way.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_group_of_tests_and_its_session_fixture_stay_on_one_worker(tmp_path):
    log = tmp_path / "workers.log"
    (tmp_path / "test_grouped.py").write_text(
        textwrap.dedent(
            f"""
            import os
            import pytest

            pytestmark = pytest.mark.xdist_group("site")

            @pytest.fixture(scope="session")
            def built():
                with open({str(log)!r}, "a") as out:
                    out.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")

            @pytest.mark.parametrize("n", range(8))
            def test_grouped(built, n):
                pass
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "test_free.py").write_text(
        "import pytest\n\n@pytest.mark.parametrize('n', range(8))\ndef test_free(n):\n    pass\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup"]
        + ["-p", "no:cacheprovider", "-p", "no:randomly", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "16 passed" in done.stdout
    workers = log.read_text(encoding="utf-8").split()
    assert len(workers) == 1, f"fixture du groupe construite sur {workers}"
