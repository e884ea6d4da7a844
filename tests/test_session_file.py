"""The session file: the example is valid; each mistake is a French error at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from course import cli
from course.session import SessionError, sessionfile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "session-exemple.yaml"


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the example with ``old`` (which must be there) replaced by ``new``."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "session.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def error_of(path: Path) -> str:
    with pytest.raises(SessionError) as info:
        sessionfile.load(path)
    return str(info.value)


def test_example_is_valid_and_fictional():
    session = sessionfile.load(EXAMPLE)
    assert session["formation"]["parcours"] == "une-journee"
    assert session["participants"] == [""] * 12  # blank lines on the sheets
    assert session["dates"][0]["matin"] == (9 * 60, 12 * 60 + 45)
    text = EXAMPLE.read_text(encoding="utf-8").lower()
    assert "fictif" in text and "fictive" in text
    for person in (session["referent_handicap"]["nom"], *session["formateurs"]):
        assert "fictif" in person or "fictive" in person


def test_participants_by_name(tmp_path):
    path = variant(tmp_path, "participants: 12", "participants:\n  - Alex Fictif\n  - Sam Fictif")
    assert sessionfile.load(path)["participants"] == ["Alex Fictif", "Sam Fictif"]


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("  delai: Inscription", "  delais: Inscription", "delais:", "champ inconnu « delais »"),
        ('    matin: "9:00-12:45"', '    matin: "9 heures"', "9 heures", "horaires"),
        ("  - date: 2027-03-15", "  - date: 2027-02-30", "2027-02-30", "date AAAA-MM-JJ"),
        ("  montant: 350", "  montant: gratuit", "montant:", "nombre positif"),
        ("  modalite: presentiel", "  modalite: sur place", "modalite:", "« sur place » inconnu"),
        ("  nda: 00000000000 ", "  nda: 123 ", "nda:", "11 chiffres"),
        ("participants: 12", "participants: douze", "participants:", "un nombre (1 à 200)"),
    ],
)
def test_invalid_field_is_located(tmp_path, old, new, where, message):
    path = variant(tmp_path, old, new)
    error = error_of(path)
    assert f"{path}:{line_of(path, where)}:" in error
    assert message in error


def test_missing_field_is_located_at_its_section(tmp_path):
    path = variant(tmp_path, "  contact: handicap@organisme-fictif.example\n", "")
    error = error_of(path)
    assert f"{path}:{line_of(path, 'referent_handicap:')}:" in error
    assert "champ obligatoire « contact » manquant dans « referent_handicap »" in error


def test_every_problem_is_reported_at_once(tmp_path):
    path = variant(tmp_path, "  montant: 350", "  montant: -1")
    path.write_text(
        path.read_text(encoding="utf-8").replace("formateurs:\n", "formateur:\n"),
        encoding="utf-8",
    )
    error = error_of(path)
    assert "nombre positif" in error
    assert "champ inconnu « formateur »" in error
    assert "champ obligatoire « formateurs » manquant" in error


def test_path_and_module_list_exclude_each_other(tmp_path):
    path = variant(tmp_path, "  parcours: une-journee", "  parcours: une-journee\n  modules: [dst]")
    error = error_of(path)
    assert f"{path}:{line_of(path, 'formation:')}:" in error
    assert "soit « parcours »" in error


def test_remote_session_needs_its_tool(tmp_path):
    path = variant(tmp_path, "  modalite: presentiel", "  modalite: distanciel")
    assert "« lieu.distanciel »" in error_of(path)


def test_yaml_syntax_error_is_located(tmp_path):
    path = variant(tmp_path, '  intitule: "Politique', "  intitule: Politique")
    error = error_of(path)
    assert f"{path}:{line_of(path, 'intitule:')}:" in error
    assert "YAML invalide" in error


def test_command_exits_non_zero_without_traceback(tmp_path, capsys):
    path = variant(
        tmp_path, "  mention: par participant, net de taxe (exemple fictif)", "  mention: ''"
    )
    code = cli.main(
        [
            "session",
            "--site",
            str(tmp_path / "absent"),
            "--session",
            str(path),
            "--out",
            str(tmp_path / "out"),
        ]  # fmt: skip
    )
    err = capsys.readouterr().err
    assert code == 1
    assert f"Erreur : {path}:{line_of(path, 'mention:')}: « tarif.mention » est vide" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_missing_site_is_a_french_error(tmp_path, capsys):
    code = cli.main(["session", "--site", str(tmp_path), "--session", str(EXAMPLE)])
    assert code == 1
    assert "construisez d'abord le site apprenant" in capsys.readouterr().err


def course_data() -> dict:
    """A two-module course, as cours.json describes it (only what the plan reads)."""
    module = {"duree_totale": 60, "objectifs": [], "questions": [], "prerequis": ["Aucun."]}
    short = {"id": "court", "titre": "Court", "seances": [{"nom": "Matin", "modules": ["beta"]}]}
    return {
        "titre": "Cours",
        "modules": [
            {**module, "slug": "alpha", "title": "Alpha"},
            {**module, "slug": "beta", "title": "Beta"},
        ],
        "parcours": [short],
        "alignment": [],
        "exercices": [],
    }


def test_unknown_path_or_module_is_located_at_the_formation(tmp_path):
    from course.session import plan

    path = variant(tmp_path, "  parcours: une-journee", "  parcours: trois-jours")
    with pytest.raises(SessionError) as info:
        plan.build(course_data(), sessionfile.load(path))
    assert f"{path}:{line_of(path, 'formation:')}: parcours inconnu « trois-jours »" in str(
        info.value
    )
    assert "court" in str(info.value)
    path = variant(tmp_path, "  parcours: une-journee", "  modules: [alpha, gamma]")
    with pytest.raises(SessionError) as info:
        plan.build(course_data(), sessionfile.load(path))
    assert "module(s) inconnu(s) : gamma" in str(info.value)


def test_path_or_module_list_gives_the_modules_in_order(tmp_path):
    from course.session import plan

    path = variant(tmp_path, "  parcours: une-journee", "  parcours: court")
    assert [m["slug"] for m in plan.build(course_data(), sessionfile.load(path)).modules] == [
        "beta"
    ]
    path = variant(tmp_path, "  parcours: une-journee", "  modules: [beta, alpha]")
    the_plan = plan.build(course_data(), sessionfile.load(path))
    assert [m["slug"] for m in the_plan.modules] == ["beta", "alpha"]
    assert the_plan.duration == "2 h" and the_plan.presence == "7 h 30 min"
    assert the_plan.prerequisites == []


def test_document_date_from_the_file_then_source_date_epoch(tmp_path, monkeypatch):
    import datetime as dt

    from course.session import plan

    assert plan.issue_date(sessionfile.load(EXAMPLE)) == dt.date(2027, 2, 1)
    path = variant(tmp_path, "date_edition: 2027-02-01\n", "")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15 08:00 UTC
    assert plan.issue_date(sessionfile.load(path)) == dt.date(2027, 1, 15)
    assert plan.french_date(dt.date(2027, 3, 1), weekday=True) == "lundi 1er mars 2027"
