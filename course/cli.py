"""Command line: ``python -m course <command>`` (also installed as ``course``).

Commands:
  notebooks   write the learner notebooks (with verif.py and data) as a folder ready to be
              pushed to the repository that JupyterHub (nbgitpuller) or Binder open
  lms         SCORM packages and question banks from a built learner site
  sphinx      sphinx-build, with errors in the course's sources told in plain French
  publish     build an output aside, publish it only if the build succeeded (course.publish)
  session     the trainer's session kit (programme, tests, survey, attendance sheets,
              certificates, handouts) from a built learner site and a session file
  hub         a JupyterHub for a training room on this machine, until Ctrl-C (course.hub)
  live        rebuild on every save, serve the last good site, show failures in the browser
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from . import exercises, leaks
from .hub import contents


def cmd_notebooks(args) -> int:
    source = Path(args.source)
    data_dir = source / exercises.DATA_DIR
    out = Path(args.out)
    loaded = []
    for path in exercises.discover(source):
        try:
            loaded.append(exercises.load(path, data_dir))
        except exercises.ExerciseError as exc:
            print(f"Erreur : {exc}", file=sys.stderr)
            return 1
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    folders = [(ex, exercises.download_files(ex, exercises.learner(ex), data_dir)) for ex in loaded]
    leaked = [  # the last guard: no solution line in what learners get
        leaks.message(str(ex.path), secret, f"{out / name}")
        for ex, files in folders
        for name, secret in leaks.in_files(leaks.secrets(ex.source), files)
    ]
    if leaked:
        print("\n".join(f"Erreur : {text}" for text in leaked), file=sys.stderr)
        return 1
    for _, files in folders:
        for name, data in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
    # what makes the folder a repository a hub can pull (README for the organisation…)
    for name, text in contents.root_files([(ex.slug, ex.title) for ex in loaded]).items():
        (tmp / name).write_text(text, encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    print(f"{len(loaded)} notebook(s) apprenant écrits dans {out}")
    return 0


def cmd_lms(args) -> int:
    from .lms import cli as lms_cli  # imported lazily: the LMS export has its own needs

    return lms_cli.main(args)


# commands that take their own arguments (parsed by their module)
PASS_THROUGH = {
    "sphinx": "sphinx-build, erreurs des sources en français (mêmes options que sphinx-build)",
    "publish": "construit une sortie à part et ne la publie que si la construction a réussi",
    "live": "reconstruit à chaque enregistrement, sert la dernière version réussie",
}


def cmd_session(args) -> int:
    from .session import cli as session_cli  # imported lazily: WeasyPrint is slow to import

    return session_cli.main(args)


def cmd_hub(args) -> int:
    from .hub import cli as hub_cli  # imported lazily: JupyterHub is only needed here

    return hub_cli.run(args)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sphinx"]:
        from .sphinxext import command

        return command.main(argv[1:])
    if argv[:1] == ["publish"]:
        from . import publish

        return publish.main(argv[1:])
    if argv[:1] == ["live"]:
        from . import live

        return live.main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="course", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    nb = sub.add_parser("notebooks", help="notebooks apprenant pour JupyterHub / Binder")
    nb.add_argument("--source", default="exercises")
    nb.add_argument("--out", default="_build/notebooks")
    nb.set_defaults(func=cmd_notebooks)
    lms = sub.add_parser("lms", help="paquets SCORM et banques de questions")
    lms.add_argument("--site", default="_build/html", help="site apprenant construit")
    lms.add_argument("--out", default="_build/lms")
    lms.add_argument(
        "--mastery", type=int, default=None, help="score de maîtrise en % (par défaut 80)"
    )
    lms.set_defaults(func=cmd_lms)
    for name, text in PASS_THROUGH.items():
        sub.add_parser(name, help=text, add_help=False)
    session = sub.add_parser("session", help="kit de session du formateur (PDF, banques)")
    session.add_argument("--site", default="_build/html", help="site apprenant construit")
    session.add_argument("--session", default="session-exemple.yaml", help="fichier de session")
    session.add_argument("--out", default="_build/session")
    session.add_argument("--exercises", default="exercises", help="sources des exercices")
    session.add_argument(
        "--formateur-site", default=None, help="édition formateur construite (guide du formateur)"
    )
    session.set_defaults(func=cmd_session)
    hub = sub.add_parser("hub", help="JupyterHub d'atelier sur cette machine (jusqu'à Ctrl-C)")
    hub.add_argument("--notebooks", default="_build/notebooks", help="sortie de make notebooks")
    hub.add_argument("--source", default="exercises", help="sources des exercices (liens)")
    hub.add_argument("--state", default="_build/hub", help="dossier du hub (travail, journaux)")
    hub.add_argument("--learners", type=int, default=12, help="nombre de comptes apprenant")
    hub.add_argument("--ip", default="0.0.0.0", help="adresse d'écoute (0.0.0.0 : le réseau)")
    hub.add_argument("--port", type=int, default=8000, help="port des apprenants")
    hub.add_argument("--git-port", type=int, default=9418, help="git daemon, sur 127.0.0.1")
    hub.add_argument("--password", default=None, help="mot de passe des apprenants (8 car. min.)")
    hub.set_defaults(func=cmd_hub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
