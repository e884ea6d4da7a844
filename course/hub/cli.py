"""``python -m course hub`` (``make hub``): a JupyterHub for a training room, until Ctrl-C.

Starts :class:`course.hub.server.WorkshopHub` on the machine's addresses (``--ip 0.0.0.0``),
prints in French what the trainer tells the room (address, accounts, password), writes the
same with every exercise's link to ``<state>/ACCES.txt``, then waits. Ctrl-C (or SIGTERM, or
closing the terminal) stops the hub, every learner's server and the git daemon; the learners'
work stays in ``<state>/apprenants/``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from .. import exercises
from . import links
from .server import HubError, WorkshopHub
from .settings import TRAINER, Settings

ACCESS_FILE = "ACCES.txt"
MAX_LEARNERS = 200


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on its networks (read from ``ip``; nothing is sent)."""
    if shutil.which("ip") is None:
        return []
    done = subprocess.run(
        ["ip", "-o", "-4", "addr", "show", "scope", "global"], capture_output=True, text=True
    )
    return re.findall(r"\binet (\d+\.\d+\.\d+\.\d+)/", done.stdout)


def gib(n: int) -> str:
    return f"{n / 1024**3:.0f} Gio"


def instructions(s: Settings, hosts: list[str], slugs: list[str]) -> tuple[str, str]:
    """What the terminal shows, and the fuller ``ACCES.txt`` (with each exercise's link)."""
    urls = [s.public_url(host) for host in hosts] or [s.public_url()]
    first, last = s.learners[0], s.learners[-1]
    text = [
        f"Hub de l'atelier prêt : {len(s.learners)} comptes apprenant.",
        "",
        "Les apprenants ouvrent dans leur navigateur (même réseau que cette machine) :",
        *(f"    {url}/" for url in urls),
        f"  identifiant : {first} à {last}, un par personne",
        f"  mot de passe : {s.user_password}",
        "Après la connexion, leur espace démarre et les notebooks du cours s'ouvrent dans",
        "JupyterLab ; leur travail est conservé d'une séance à l'autre.",
        "",
        f"Vous : identifiant {TRAINER}, mot de passe {s.admin_password}",
        f"  administration (serveurs des apprenants) : {urls[0]}/hub/admin",
        "",
        f"Limites par apprenant : {gib(s.memory_limit)} de mémoire réservable par processus ;",
        f"noyau inactif arrêté après {s.kernel_idle_timeout // 60} min, serveur inactif après "
        f"{s.server_idle_timeout // 3600} h.",
        "Combien d'apprenants cette machine tient : make bench (benchmarks/README.md).",
        f"Journal : {Path(s.state) / 'hub.log'} ; tout ceci, avec le lien de chaque exercice :",
        f"{Path(s.state) / ACCESS_FILE}",
        "",
        "Pour arrêter le hub : Ctrl-C dans ce terminal (le travail des apprenants reste dans",
        f"{Path(s.state) / 'apprenants'}).",
    ]
    access = text[:-3] + ["", "Liens des exercices (ouvrent un exercice après la connexion) :"]
    for slug in slugs:
        url = links.nbgitpuller_url(urls[0], s.repo_url, s.branch, f"{slug}/{slug}.ipynb")
        access += [f"- {slug} :", f"  {url}"]
    access += [
        "",
        "Pour que le site du cours affiche ces liens (conf.py) :",
        f'  course_jupyterhub_url = "{urls[0]}"',
        f'  course_notebooks_repo = "{s.repo_url}"',
    ]
    return "\n".join(text), "\n".join(access) + "\n"


def run(args) -> int:
    if not 1 <= args.learners <= MAX_LEARNERS:
        print(f"Erreur : --learners doit être entre 1 et {MAX_LEARNERS}", file=sys.stderr)
        return 2
    if os.geteuid() == 0:
        print(
            "Attention : le hub tourne en root ; le code des apprenants s'exécute alors avec "
            "les droits de root sur cette machine. Lancez plutôt make hub depuis un compte "
            "ordinaire.",
            file=sys.stderr,
        )
    hub = WorkshopHub(
        Path(args.notebooks),
        Path(args.state),
        learners=args.learners,
        ip=args.ip,
        port=args.port,
        password=args.password,
        root=Path.cwd(),
        git_port=args.git_port,
    )
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set())
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    try:
        print("Démarrage du hub…", flush=True)
        try:
            settings = hub.start()
        except HubError as exc:
            print(f"Erreur : {exc}", file=sys.stderr)
            return 1
        slugs = [path.stem for path in exercises.discover(Path(args.source))]
        hosts = lan_addresses() if args.ip == "0.0.0.0" else [args.ip]
        shown, access = instructions(settings, hosts, slugs)
        access_file = Path(settings.state) / ACCESS_FILE
        access_file.write_text(access, encoding="utf-8")
        access_file.chmod(0o600)
        print(shown, flush=True)
        while not stop.wait(1):
            if not hub.hub.alive():
                print(f"Erreur : JupyterHub s'est arrêté ; journal :\n{hub.hub.log_tail()}")
                return 1
        return 0
    finally:
        print("Arrêt du hub…", flush=True)
        hub.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        print("Hub arrêté.", flush=True)
