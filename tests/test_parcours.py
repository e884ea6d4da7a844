"""Course paths read from the sources, and exported in cours.json for both editions."""

from __future__ import annotations

import json
import textwrap

import pytest
from conftest import build, copy_root

from course import parcours


def test_blocks_are_read_with_their_options_and_sessions():
    text = textwrap.dedent(
        """
        # Parcours

        ::::{parcours} Cinq demi-journées
        :disponible: 740

        Demi-journée 1 : histoire, loi-2014
        ligne sans deux-points
        Demi-journée 2 : dst
        ::::

        :::{note}
        Matin : pas un parcours
        :::
        """
    )
    (path,) = parcours.from_text(text, "formateur/parcours")
    assert path == {
        "id": "cinq-demi-journees",
        "titre": "Cinq demi-journées",
        "disponible": 740,
        "page": "formateur/parcours",
        "ligne": 4,
        "seances": [
            {"nom": "Demi-journée 1", "modules": ["histoire", "loi-2014"]},
            {"nom": "Demi-journée 2", "modules": ["dst"]},
        ],
    }


@pytest.mark.parametrize("line", ["Midi sans deux-points", "Matin :", "Matin : , ,"])
def test_malformed_lines_are_refused(line):
    assert parcours.parse_line(line) is None


@pytest.mark.parametrize("edition", ["apprenant", "formateur"])
def test_cours_json_has_the_paths_in_both_editions(tmp_path, edition):
    src = copy_root("basic", tmp_path)
    result = build(src, src / "_build" / edition, edition=edition)
    assert result.warnings == ""
    course = json.loads((result.outdir / "_course" / "cours.json").read_text(encoding="utf-8"))
    assert course["parcours"] == [
        {
            "id": "une-demi-journee",
            "titre": "Une demi-journée",
            "disponible": 180,
            "page": "formateur/notes.html",
            "ligne": 6,
            "seances": [
                {"nom": "Première partie", "modules": ["alpha"]},
                {"nom": "Seconde partie", "modules": ["beta", "alpha"]},
            ],
        }
    ]


def test_real_course_paths_are_found():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    ids = [p["id"] for p in parcours.from_sources(root)]
    assert ids == [
        "une-journee",
        "deux-jours",
        "cinq-demi-journees",
        "autoformation-en-six-semaines",
    ]


def test_each_real_path_s_text_gives_the_time_the_build_checks():
    """The « Temps disponible » paragraph under each block states the block's ``:disponible:``
    and what its modules need (reading + activities, quiz included): when a module's duration
    changes, this fails until the timetable written in the page is reworked (it once said 360
    minutes for modules that needed 378)."""
    import re
    from pathlib import Path

    from course import metadata

    root = Path(__file__).resolve().parent.parent
    text = (root / "formateur" / "parcours.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    for path in parcours.from_sources(root):
        total = 0
        for slug in {m for s in path["seances"] for m in s["modules"]}:
            module = (root / "modules" / f"{slug}.md").read_text(encoding="utf-8")
            fields, problems = metadata.read_front_matter(module)
            assert not problems, slug
            total += fields["duree_lecture"][0] + fields["duree_activites"][0]
        assert total <= path["disponible"], path["id"]
        after = "\n".join(lines[path["ligne"] :])
        paragraph = after[after.index("**Temps disponible.**") :].split("\n\n")[0]
        paragraph = " ".join(paragraph.split()).replace("\u202f", " ")
        stated = [int(n.replace(" ", "")) for n in re.findall(r"(\d[\d ]*) minutes", paragraph)]
        assert path["disponible"] in stated, (path["id"], paragraph)
        assert f"en demandent {total}" in paragraph, (path["id"], total, paragraph)
