"""Tests de course/verif.py (bibliothèque livrée avec chaque exercice)."""

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

RACINE = Path(__file__).resolve().parents[1]
CHEMIN_VERIF = RACINE / "course" / "verif.py"


def _importer_verif():
    """Importe verif.py comme un module autonome (il est copié seul à côté des notebooks)."""
    spec = importlib.util.spec_from_file_location("verif_sous_test", CHEMIN_VERIF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def verif():
    return _importer_verif()


@pytest.fixture()
def donnees(tmp_path):
    """Dossier donnees/ avec un CSV, un JSON, un GeoJSON et leur SHA256SUMS."""
    dossier = tmp_path / "donnees"
    dossier.mkdir()
    (dossier / "table.csv").write_bytes(b"code,valeur\n01,1.5\n02,2.5\n")
    (dossier / "liste.json").write_text(
        json.dumps([{"code": "01", "n": 1}, {"code": "02", "n": 2}]), encoding="utf-8"
    )
    (dossier / "points.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code_cv": "CV001", "pop": 10.0},
                        "geometry": None,
                    },
                    {
                        "type": "Feature",
                        "properties": {"code_cv": "CV002", "pop": 20.0},
                        "geometry": None,
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    (dossier / "non_liste.csv").write_text("a\n1\n", encoding="utf-8")
    lignes = []
    for nom in ("table.csv", "liste.json", "points.geojson"):
        h = hashlib.sha256((dossier / nom).read_bytes()).hexdigest()
        lignes.append(f"{h}  {nom}\n")
    (dossier / "SHA256SUMS").write_text("".join(lignes), encoding="utf-8")
    return dossier


# --- empreinte ------------------------------------------------------------------


def test_empreinte_format_et_stabilite(verif):
    e = verif.empreinte(42)
    assert len(e) == 16 and all(c in "0123456789abcdef" for c in e)
    assert verif.empreinte(42) == e
    # stable d'un processus à l'autre (pas de hachage aléatoire de Python)
    code = (
        "import importlib.util,sys;"
        f"s=importlib.util.spec_from_file_location('v',{str(CHEMIN_VERIF)!r});"
        "m=importlib.util.module_from_spec(s);s.loader.exec_module(m);"
        "print(m.empreinte({'b':[1,2.5,'x'],'a':{3,1,2}}))"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123"},
    ).stdout.strip()
    assert sortie == verif.empreinte({"a": {1, 2, 3}, "b": [1, 2.5, "x"]})


def test_empreinte_nombres_et_arrondis(verif):
    assert verif.empreinte(12) == verif.empreinte(12.0)
    assert verif.empreinte(np.int64(12)) == verif.empreinte(12)
    assert verif.empreinte(np.float64(0.1) + np.float64(0.2), 2) == verif.empreinte(0.3, 2)
    assert verif.empreinte(3.14159, 2) == verif.empreinte(3.14, 2)
    assert verif.empreinte(3.14159, 2) != verif.empreinte(3.15, 2)
    assert verif.empreinte(0.1 + 0.2) != verif.empreinte(0.3)  # sans arrondi : exact
    assert verif.empreinte(-0.0001, 2) == verif.empreinte(0.0, 2)
    assert verif.empreinte(11819.7, -2) == verif.empreinte(11800, -2)
    assert verif.empreinte(True) != verif.empreinte(1)
    assert verif.empreinte(np.bool_(True)) == verif.empreinte(True)
    assert verif.empreinte(float("nan")) == verif.empreinte(np.nan)


def test_empreinte_textes(verif):
    assert verif.empreinte("  Toulouse ") == verif.empreinte("toulouse")
    assert verif.empreinte("QP031001") == verif.empreinte("qp031001")
    assert verif.empreinte("a") != verif.empreinte("b")
    assert verif.empreinte("12") != verif.empreinte(12)


def test_empreinte_collections(verif):
    assert verif.empreinte([1, 2, 3]) == verif.empreinte((1, 2, 3))
    assert verif.empreinte([1, 2, 3]) != verif.empreinte([3, 2, 1])
    assert verif.empreinte({3, 1, 2}) == verif.empreinte(frozenset([1, 2, 3]))
    assert verif.empreinte({1, 2, 3}) != verif.empreinte([1, 2, 3])
    assert verif.empreinte({"b": 2, "a": 1}) == verif.empreinte({"a": 1, "b": 2})
    assert verif.empreinte({"a": 1}) != verif.empreinte({"a": 2})
    assert verif.empreinte(np.array([1, 2])) == verif.empreinte([1, 2])


def test_empreinte_pandas(verif):
    s = pd.Series([10, 20], index=["CV001", "CV002"])
    assert verif.empreinte(s) == verif.empreinte({"CV002": 20, "CV001": 10})
    # index de numéros de lignes : seules les valeurs comptent, dans l'ordre
    assert verif.empreinte(pd.Series([3, 1], index=[7, 2])) == verif.empreinte([3, 1])
    df = pd.DataFrame({"code": ["a", "b"], "x": [1.234, 5.678]})
    melange = df.iloc[[1, 0]]
    assert verif.empreinte(df, 2) == verif.empreinte(melange.sort_values("code"), 2)
    assert verif.empreinte(df, 2) != verif.empreinte(melange, 2)
    assert verif.empreinte(df, 2) != verif.empreinte(df.rename(columns={"x": "y"}), 2)
    assert verif.empreinte(df.set_index("code"), 1) == verif.empreinte(
        pd.DataFrame({"x": [1.23, 5.68]}, index=["a", "b"]), 1
    )


def test_empreinte_type_inconnu(verif):
    with pytest.raises(TypeError):
        verif.empreinte(object())


# --- verifier -------------------------------------------------------------------


def test_verifier_correct_a_completer_faux(verif, capsys):
    attendu = verif.empreinte(11900)
    ligne = verif.verifier("Question 1 — seuil", 11900.0, attendu, indice="arrondir")
    assert ligne == "✅ Question 1 — seuil : correct."
    assert verif.RESULTATS["Question 1 — seuil"] == "correct"

    ligne = verif.verifier("Question 2 — seuil", ..., attendu, indice="arrondir")
    assert ligne == "✏️ Question 2 — seuil : à compléter."
    assert verif.RESULTATS["Question 2 — seuil"] == "a_completer"
    assert verif.verifier("Q None", None, attendu, indice="x").endswith("à compléter.")

    ligne = verif.verifier("Question 3 — seuil", 11800, attendu, indice="Arrondissez au-dessus.")
    assert ligne == "❌ Question 3 — seuil : pas encore. Indice : Arrondissez au-dessus."
    assert verif.RESULTATS["Question 3 — seuil"] == "faux"

    sortie = capsys.readouterr().out.splitlines()
    assert sortie[0] == "✅ Question 1 — seuil : correct."
    assert sortie[-1].startswith("❌ Question 3")


def test_verifier_arrondi_liste_ensemble_dataframe(verif):
    assert verif.verifier("r", 44.04, verif.empreinte(44.0, 1), indice="i", decimales=1).startswith(
        "✅"
    )
    assert verif.verifier(
        "r2", 44.06, verif.empreinte(44.0, 1), indice="i", decimales=1
    ).startswith("❌")
    assert verif.verifier("l", ["a", "b"], verif.empreinte(["a", "b"]), indice="i").startswith("✅")
    assert verif.verifier("l2", ["b", "a"], verif.empreinte(["a", "b"]), indice="i").startswith(
        "❌"
    )
    assert verif.verifier("e", {"b", "a"}, verif.empreinte({"a", "b"}), indice="i").startswith("✅")
    df = pd.DataFrame({"n": [1, 2]}, index=["x", "y"])
    assert verif.verifier("d", df, verif.empreinte(df), indice="i").startswith("✅")
    assert verif.verifier("d2", df * 2, verif.empreinte(df), indice="i").startswith("❌")


def test_verifier_ne_leve_jamais(verif):
    attendu = verif.empreinte(3)
    assert verif.verifier("t", object(), attendu, indice="i").startswith("❌")
    assert verif.verifier("t2", "trois", attendu, indice="i").startswith("❌")
    assert verif.RESULTATS["t"] == "faux"


def test_bilan(verif, capsys):
    verif.RESULTATS.clear()
    verif.verifier("a", 1, verif.empreinte(1), indice="i")
    verif.verifier("b", ..., verif.empreinte(1), indice="i")
    verif.verifier("c", 2, verif.empreinte(1), indice="i")
    capsys.readouterr()
    comptes = verif.bilan()
    assert comptes == {"correct": 1, "a_completer": 1, "faux": 1}
    assert "1 correcte(s)" in capsys.readouterr().out


# --- charger ----------------------------------------------------------------------


def test_charger_csv_json_geojson(verif, donnees):
    df = verif.charger("table.csv", dossier=donnees, dtype={"code": str})
    assert list(df["code"]) == ["01", "02"]
    assert df["valeur"].sum() == pytest.approx(4.0)
    objet = verif.charger("liste.json", dossier=donnees)
    assert objet[0] == {"code": "01", "n": 1}
    tableau = verif.charger("liste.json", dossier=donnees, tableau=True)
    assert list(tableau["code"]) == ["01", "02"]  # les codes restent du texte
    cv = verif.charger("points.geojson", dossier=donnees, tableau=True)
    assert list(cv.columns) == ["code_cv", "pop"] and cv["pop"].sum() == 30


def test_charger_dossier_a_cote_du_module(tmp_path, donnees):
    """Cas réel : verif.py copié à côté du notebook, donnees/ à côté de lui."""
    (tmp_path / "verif.py").write_bytes(CHEMIN_VERIF.read_bytes())
    code = "import verif; print(len(verif.charger('table.csv')))"
    sortie = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert sortie == "2"


def test_charger_fichier_absent(verif, donnees):
    with pytest.raises(verif.DonneesError) as exc:
        verif.charger("absent.csv", dossier=donnees)
    assert "absent.csv" in str(exc.value)
    assert "introuvable" in str(exc.value)


def test_charger_fichier_non_repertorie(verif, donnees):
    with pytest.raises(verif.DonneesError) as exc:
        verif.charger("non_liste.csv", dossier=donnees)
    assert "non_liste.csv" in str(exc.value)
    assert "SHA256SUMS" in str(exc.value)


def test_charger_fichier_modifie(verif, donnees):
    with open(donnees / "table.csv", "ab") as f:
        f.write(b"03,3.5\n")
    with pytest.raises(verif.DonneesError) as exc:
        verif.charger("table.csv", dossier=donnees)
    message = str(exc.value)
    assert "table.csv" in message and "modifié" in message
    assert issubclass(verif.DonneesError, Exception)


def test_charger_sans_sha256sums(verif, donnees):
    (donnees / "SHA256SUMS").unlink()
    with pytest.raises(verif.DonneesError) as exc:
        verif.charger("table.csv", dossier=donnees)
    assert "table.csv" in str(exc.value) and "SHA256SUMS" in str(exc.value)


def test_charger_nom_invalide(verif, donnees):
    with pytest.raises(verif.DonneesError):
        verif.charger("../table.csv", dossier=donnees)


def test_affichage_court_dans_jupyter(verif, donnees):
    with pytest.raises(verif.DonneesError) as exc:
        verif.charger("absent.csv", dossier=donnees)
    lignes = exc.value._render_traceback_()
    assert isinstance(lignes, list) and all(isinstance(x, str) for x in lignes)
    assert len(lignes) <= 5
    assert any("absent.csv" in x for x in lignes)
    assert not any("Traceback" in x for x in lignes)


def test_sha256sums_format_sha256sum(verif, donnees):
    """Le format « <hex> *<nom> » (mode binaire de sha256sum) est accepté."""
    contenu = (
        (donnees / "SHA256SUMS").read_text(encoding="utf-8").replace("  table.csv", " *table.csv")
    )
    (donnees / "SHA256SUMS").write_text(contenu, encoding="utf-8")
    assert len(verif.charger("table.csv", dossier=donnees)) == 2


# --- nombre_fr --------------------------------------------------------------------


def test_nombre_fr(verif):
    assert verif.nombre_fr(12345.678, 1) == "12\u202f345,7"
    assert verif.nombre_fr(999) == "999"
    assert verif.nombre_fr(-1500) == "−1\u202f500"
