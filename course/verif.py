"""Outils de vérification des exercices du cours « Politique de la ville ».

Ce fichier est livré à côté de chaque notebook d'exercice, avec le dossier
``donnees/`` (fichiers de données et leur liste d'empreintes ``SHA256SUMS``).
Il n'utilise que la bibliothèque standard et pandas.

Fonctions principales :

- ``charger(nom, **options)`` : lit ``donnees/<nom>`` après avoir contrôlé son
  empreinte SHA-256 ;
- ``verifier(question, valeur, attendu, indice=..., decimales=None)`` : compare
  une réponse à l'empreinte attendue et affiche une ligne de résultat ;
- ``empreinte(valeur, decimales=None)`` : calcule l'empreinte d'une réponse ;
- ``bilan()`` : récapitule les résultats de la session ;
- ``nombre_fr(x, decimales=0)`` : écrit un nombre à la française
  (espace fine insécable entre les milliers, virgule décimale).

Les réponses attendues ne figurent dans les notebooks que sous forme
d'empreintes : on ne peut pas les lire, seulement vérifier une réponse.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import numbers
import unicodedata
from pathlib import Path

import pandas as pd

__all__ = [
    "DonneesError",
    "RESULTATS",
    "bilan",
    "charger",
    "empreinte",
    "nombre_fr",
    "verifier",
]

#: Résultat de chaque question vérifiée pendant la session :
#: ``"correct"``, ``"a_completer"`` ou ``"faux"``.
RESULTATS: dict[str, str] = {}

NOM_DOSSIER = "donnees"
NOM_EMPREINTES = "SHA256SUMS"
_TAILLE_BLOC = 1 << 16


# ---------------------------------------------------------------------------
# Données
# ---------------------------------------------------------------------------


class DonneesError(Exception):
    """Fichier de données absent, non répertorié ou modifié.

    Dans Jupyter, l'erreur s'affiche en quelques lignes, sans la pile
    d'appels (méthode ``_render_traceback_`` utilisée par IPython).
    """

    def __init__(self, message: str, fichier: str | None = None):
        super().__init__(message)
        self.message = message
        self.fichier = fichier

    def _render_traceback_(self) -> list[str]:
        return ["DonneesError : problème de données", *self.message.splitlines()]


def _dossier_donnees(dossier=None) -> Path:
    """Dossier des données : argument explicite, sinon ``donnees/`` à côté de
    ce fichier, sinon ``donnees/`` dans le dossier courant."""
    if dossier is not None:
        return Path(dossier)
    pres_du_module = Path(__file__).resolve().parent / NOM_DOSSIER
    if pres_du_module.is_dir():
        return pres_du_module
    return Path.cwd() / NOM_DOSSIER


def _sha256(chemin: Path) -> str:
    h = hashlib.sha256()
    with open(chemin, "rb") as f:
        for bloc in iter(lambda: f.read(_TAILLE_BLOC), b""):
            h.update(bloc)
    return h.hexdigest()


def _lire_empreintes(fichier: Path) -> dict[str, str]:
    """Lit un fichier au format ``sha256sum`` : ``<hex>  <nom>`` par ligne."""
    empreintes = {}
    for ligne in fichier.read_text(encoding="utf-8").splitlines():
        ligne = ligne.strip()
        if not ligne or ligne.startswith("#"):
            continue
        morceaux = ligne.split(maxsplit=1)
        if len(morceaux) != 2:
            continue
        hexa, nom = morceaux
        nom = nom.lstrip("*").strip()  # « *nom » : mode binaire de sha256sum
        if nom.startswith("./"):
            nom = nom[2:]
        empreintes[nom] = hexa.lower()
    return empreintes


def verifier_fichier(nom: str, dossier=None) -> Path:
    """Contrôle l'empreinte SHA-256 de ``donnees/<nom>`` et renvoie son chemin.

    Lève ``DonneesError`` si le fichier manque, s'il n'est pas répertorié dans
    ``SHA256SUMS`` ou si son contenu a changé.
    """
    base = _dossier_donnees(dossier)
    affiche = f"{NOM_DOSSIER}/{nom}"
    if not nom or "/" in nom or "\\" in nom or nom in (".", ".."):
        raise DonneesError(
            f"Nom de fichier invalide : « {nom} ».\n"
            f"Donnez seulement le nom d'un fichier du dossier « {NOM_DOSSIER} », "
            'par exemple charger("mon_fichier.csv").',
            nom,
        )
    chemin = base / nom
    if not chemin.is_file():
        raise DonneesError(
            f"Fichier de données introuvable : {affiche}\n"
            f"Placez le dossier « {NOM_DOSSIER} » fourni avec l'exercice à côté du "
            f"notebook (il doit contenir {nom} et {NOM_EMPREINTES}), puis relancez la cellule.",
            nom,
        )
    fichier_empreintes = base / NOM_EMPREINTES
    if not fichier_empreintes.is_file():
        raise DonneesError(
            f"Liste des empreintes introuvable : {NOM_DOSSIER}/{NOM_EMPREINTES}\n"
            f"Impossible de vérifier {affiche}. Téléchargez à nouveau le dossier "
            f"« {NOM_DOSSIER} » complet de l'exercice.",
            nom,
        )
    attendue = _lire_empreintes(fichier_empreintes).get(nom)
    if attendue is None:
        raise DonneesError(
            f"Le fichier {affiche} n'est pas répertorié dans "
            f"{NOM_DOSSIER}/{NOM_EMPREINTES}.\n"
            "Ce n'est pas un fichier livré avec l'exercice : vérifiez son nom, ou "
            f"téléchargez à nouveau le dossier « {NOM_DOSSIER} » de l'exercice.",
            nom,
        )
    if _sha256(chemin) != attendue:
        raise DonneesError(
            f"Le fichier {affiche} a été modifié ou est incomplet "
            "(son empreinte SHA-256 ne correspond pas à celle de la version livrée).\n"
            f"Téléchargez à nouveau le dossier « {NOM_DOSSIER} » de l'exercice. Ne modifiez "
            "pas les fichiers fournis : transformez les données dans le notebook.",
            nom,
        )
    return chemin


def _en_tableau(objet, nom: str) -> pd.DataFrame:
    if isinstance(objet, dict) and objet.get("type") == "FeatureCollection":
        return pd.json_normalize(
            [entite.get("properties") or {} for entite in objet.get("features", [])]
        )
    if isinstance(objet, list):
        return pd.DataFrame.from_records(objet)
    if isinstance(objet, dict):
        return pd.json_normalize(objet)
    raise DonneesError(
        f"Le contenu de {NOM_DOSSIER}/{nom} ne peut pas être présenté en tableau.", nom
    )


def charger(nom: str, *, dossier=None, **options):
    """Charge ``donnees/<nom>`` après contrôle de son empreinte SHA-256.

    - ``.csv`` : ``pandas.read_csv(chemin, **options)`` ;
    - ``.json`` ou ``.geojson`` : sans option, l'objet Python lu par
      ``json.load`` ; avec ``tableau=True``, un ``DataFrame`` (pour un
      GeoJSON, une ligne par entité avec ses propriétés ; pour une liste
      d'objets, une ligne par objet) ; ``dtype=`` convertit ensuite des
      colonnes (``astype``). Les codes restent du texte (« 01 » ne devient
      pas 1).

    Lève ``DonneesError`` si le fichier manque, n'est pas répertorié dans
    ``donnees/SHA256SUMS`` ou a été modifié.
    """
    chemin = verifier_fichier(nom, dossier)
    suffixe = chemin.suffix.lower()
    if suffixe in (".csv", ".txt"):
        return pd.read_csv(chemin, **options)
    if suffixe in (".json", ".geojson"):
        tableau = options.pop("tableau", False)
        dtype = options.pop("dtype", None)
        if options:
            raise TypeError(
                "Options inconnues pour un fichier JSON : "
                + ", ".join(sorted(options))
                + " (options possibles : tableau=True, dtype=...)."
            )
        with open(chemin, encoding="utf-8") as f:
            objet = json.load(f)
        if not tableau:
            if dtype is not None:
                raise TypeError("L'option dtype demande aussi tableau=True.")
            return objet
        df = _en_tableau(objet, nom)
        return df.astype(dtype) if dtype is not None else df
    if options:
        raise TypeError(
            f"Aucune option n'est prévue pour un fichier {suffixe or 'sans extension'}."
        )
    return chemin.read_bytes()


# ---------------------------------------------------------------------------
# Empreintes
# ---------------------------------------------------------------------------


def _nombre(x, decimales):
    """Forme canonique d'un nombre (texte)."""
    if isinstance(x, numbers.Integral) and decimales is None:
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if decimales is not None:
        x = round(x, decimales)
    if x == 0:
        x = 0.0  # -0.0 et 0.0 ont la même empreinte
    if decimales is None and x.is_integer() and abs(x) < 2**53:
        return str(int(x))  # 12.0 et 12 ont la même empreinte
    return repr(x)


def _index_porte_des_libelles(index: pd.Index) -> bool:
    """Un index entier (0, 1, 2… ou numéros de lignes) ne compte pas."""
    return not pd.api.types.is_integer_dtype(index.dtype)


def _canonique(v, decimales):
    """Transforme une valeur en structure JSON canonique (étiquetée par type)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ["z"]
    if hasattr(v, "item") and type(v).__module__ == "numpy" and getattr(v, "ndim", 0) == 0:
        v = v.item()  # scalaire numpy -> scalaire Python
    if isinstance(v, bool):
        return ["b", v]
    if isinstance(v, numbers.Real):
        return ["n", _nombre(v, decimales)]
    if isinstance(v, str):
        return ["s", unicodedata.normalize("NFC", v).strip().casefold()]
    if isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp)):
        return ["t", v.isoformat()]
    if isinstance(v, pd.DataFrame):
        contenu = {
            "colonnes": [str(c) for c in v.columns],
            "lignes": v.to_numpy(dtype=object).tolist(),
        }
        if _index_porte_des_libelles(v.index):
            contenu["index"] = list(v.index)
        return ["df", _canonique(contenu, decimales)]
    if isinstance(v, pd.Series):
        if _index_porte_des_libelles(v.index):
            return _canonique(v.to_dict(), decimales)
        return _canonique(v.tolist(), decimales)
    if isinstance(v, pd.Index):
        return _canonique(v.tolist(), decimales)
    if isinstance(v, dict):
        paires = [[_canonique(k, decimales), _canonique(val, decimales)] for k, val in v.items()]
        paires.sort(key=lambda p: json.dumps(p[0], ensure_ascii=True))
        return ["d", paires]
    if isinstance(v, (set, frozenset)):
        elements = [_canonique(e, decimales) for e in v]
        elements.sort(key=lambda e: json.dumps(e, ensure_ascii=True))
        return ["e", elements]
    if isinstance(v, (list, tuple)):
        return ["l", [_canonique(e, decimales) for e in v]]
    if hasattr(v, "tolist"):  # tableau numpy
        return _canonique(v.tolist(), decimales)
    raise TypeError(f"type de réponse non pris en charge : {type(v).__name__}")


def empreinte(valeur, decimales: int | None = None) -> str:
    """Empreinte stable (16 caractères hexadécimaux) d'une réponse.

    Forme canonique : nombres arrondis à ``decimales`` si demandé (un entier
    et un réel entier, 12 et 12.0, donnent la même empreinte) ; textes sans
    espaces aux extrémités et sans distinction de casse ; listes et tuples
    dans l'ordre ; ensembles triés ; dictionnaires triés par clé ; Series et
    DataFrame par leurs valeurs (et leur index quand il porte des libellés,
    pas quand ce sont des numéros de lignes).
    """
    forme = json.dumps(_canonique(valeur, decimales), ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(forme.encode("ascii")).hexdigest()[:16]


# ---------------------------------------------------------------------------
# Vérification des réponses
# ---------------------------------------------------------------------------


class _Ligne(str):
    """Texte du résultat : affiché une seule fois dans Jupyter (par ``print``)."""

    def _ipython_display_(self):  # pragma: no cover - appelé par IPython
        pass


def verifier(
    question: str, valeur, attendu: str, *, indice: str, decimales: int | None = None
) -> str:
    """Compare ``valeur`` à l'empreinte ``attendu``, affiche et renvoie le résultat.

    Ne lève jamais d'exception pour une réponse fausse ou manquante : une
    réponse laissée à ``...`` (ou ``None``) est « à compléter », une réponse
    d'un type inattendu est fausse.
    """
    if valeur is Ellipsis or valeur is None:
        statut = "a_completer"
        ligne = f"✏️ {question} : à compléter."
    else:
        try:
            juste = empreinte(valeur, decimales) == str(attendu).strip().lower()
        except Exception:  # réponse d'un type inattendu : simplement fausse
            juste = False
        if juste:
            statut = "correct"
            ligne = f"✅ {question} : correct."
        else:
            statut = "faux"
            ligne = f"❌ {question} : pas encore. Indice : {indice}"
    RESULTATS[question] = statut
    print(ligne)
    return _Ligne(ligne)


def bilan() -> dict[str, int]:
    """Affiche le récapitulatif des questions vérifiées et renvoie les comptes."""
    comptes = {"correct": 0, "a_completer": 0, "faux": 0}
    for statut in RESULTATS.values():
        comptes[statut] = comptes.get(statut, 0) + 1
    total = len(RESULTATS)
    if total == 0:
        print("Aucune question vérifiée pour l'instant.")
        return comptes
    print(
        f"Bilan : {comptes['correct']} correcte(s), {comptes['faux']} à revoir, "
        f"{comptes['a_completer']} à compléter, sur {total} question(s)."
    )
    symboles = {"correct": "✅", "faux": "❌", "a_completer": "✏️"}
    for question, statut in RESULTATS.items():
        print(f"  {symboles.get(statut, '?')} {question}")
    return comptes


# ---------------------------------------------------------------------------
# Affichage
# ---------------------------------------------------------------------------

ESPACE_FINE = "\u202f"  # espace fine insécable, séparateur des milliers


def nombre_fr(x, decimales: int = 0) -> str:
    """Écrit un nombre à la française : ``nombre_fr(12345.6, 1)`` → « 12 345,6 »."""
    texte = f"{float(x):,.{decimales}f}"
    return texte.replace(",", ESPACE_FINE).replace(".", ",").replace("-", "−")
