"""The ``course_*`` configuration values: one table, validated once at ``config-inited``."""

from __future__ import annotations

from dataclasses import dataclass

from sphinx.errors import ConfigError

EDITIONS = ("apprenant", "formateur")


@dataclass(frozen=True)
class Option:
    name: str
    default: object
    rebuild: str  # what a change invalidates: "env" (re-read) or "html" (re-write)
    help: str


OPTIONS: tuple[Option, ...] = (
    Option("course_edition", "apprenant", "env", "édition construite : apprenant ou formateur"),
    Option("course_modules_dir", "modules", "env", "dossier des modules (une page par module)"),
    Option("course_trainer_dir", "formateur", "env", "pages réservées à l'édition formateur"),
    Option("course_exercises_source", "exercises", "env", "sources des exercices (jupytext MyST)"),
    Option("course_exercises_output", "exercices", "env", "notebooks générés (non versionnés)"),
    Option("course_execute", True, "env", "exécuter les notebooks générés (avec cache)"),
    Option("course_execute_timeout", 120, "env", "délai maximal par cellule, en secondes"),
    Option(
        "course_page_max_kb",
        1024,
        "env",
        "taille maximale d'une page source, en Ko (au-delà : erreur, rien n'est lu)",
    ),
    Option("course_cache_dir", "_build/.cache", "", "cache d'exécution, relatif à la racine"),
    Option(
        "course_quiz_shuffle",
        True,
        "env",
        "mélanger les options de chaque question (ordre fixe, tiré de son énoncé)",
    ),
    Option("course_jupyterhub_url", "", "html", "JupyterHub pour les liens nbgitpuller"),
    Option("course_notebooks_repo", "", "html", "dépôt git des notebooks apprenant (nbgitpuller)"),
    Option("course_notebooks_branch", "main", "html", "branche de ce dépôt"),
    Option("course_binder_url", "", "html", "service BinderHub, ex. https://mybinder.org"),
    Option("course_binder_repo", "", "html", "dépôt pour Binder, ex. gh/organisation/depot/main"),
    Option(
        "course_launch_path",
        "{slug}/{slug}.ipynb",
        "html",
        "chemin du notebook dans ce dépôt ({slug} = nom de l'exercice)",
    ),
)


def register(app) -> None:
    """Declare every ``course_*`` value on the Sphinx app."""
    for opt in OPTIONS:
        app.add_config_value(opt.name, opt.default, opt.rebuild, description=opt.help)


def validate(app, config) -> None:
    """``config-inited``: reject bad values with one clear French message each."""
    if config.course_edition not in EDITIONS:
        raise ConfigError(
            f"course_edition = {config.course_edition!r} : valeurs possibles {', '.join(EDITIONS)}"
        )
    for name in ("course_jupyterhub_url", "course_binder_url"):
        value = getattr(config, name)
        if value and not value.startswith(("https://", "http://")):
            raise ConfigError(f"{name} = {value!r} : une adresse http(s):// est attendue")
    if not isinstance(config.course_execute_timeout, int) or config.course_execute_timeout <= 0:
        raise ConfigError("course_execute_timeout doit être un entier positif (secondes)")
    if not isinstance(config.course_page_max_kb, int) or config.course_page_max_kb <= 0:
        raise ConfigError("course_page_max_kb doit être un entier positif (kilo-octets)")


def is_trainer(config) -> bool:
    return config.course_edition == "formateur"
