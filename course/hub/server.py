"""A workshop hub: the notebooks repository, its git daemon and JupyterHub, started together.

:class:`WorkshopHub` is what ``make hub`` runs and what ``tests/test_hub.py`` and
``benchmarks/hub_bench.py`` start: the same hub, only the address and the folder differ.

1. ``make notebooks``'s folder is committed to ``<state>/depot/notebooks-apprenant.git``;
2. ``git daemon`` serves it on 127.0.0.1 (the learners' servers run on this machine);
3. JupyterHub starts with :mod:`course.hub.jupyterhub_config` and the settings written to
   ``<state>/settings.json``; it starts configurable-http-proxy (from ``node_modules``);
4. :meth:`WorkshopHub.wait` returns once the proxy answers for the hub's API.

:meth:`WorkshopHub.stop` stops JupyterHub (which stops every learner's server and the proxy),
then the git daemon; whatever is left is killed. The state folder is kept: learners' homes,
the password, the database (learners stay logged in when the hub starts again).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import repository
from .process import Background, free_port, port_in_use
from .settings import (
    ADMIN_PASSWORD_MIN,
    SETTINGS_FILE,
    USER_PASSWORD_MIN,
    Settings,
    learner_names,
    new_password,
)

CONFIG = Path(__file__).with_name("jupyterhub_config.py")
REPO_NAME = "notebooks-apprenant.git"
PROXY = "configurable-http-proxy"
GIT_PORT = 9418  # git's own port, on 127.0.0.1: the repository's address stays the same
START_TIMEOUT = 90  # seconds for JupyterHub and its proxy to answer


class HubError(RuntimeError):
    """The hub cannot start; the message is French and says what to do."""


def find_proxy(root: Path) -> list[str] | None:
    """configurable-http-proxy: ``node_modules/.bin`` of the project (npm ci), else PATH."""
    local = root / "node_modules" / ".bin" / PROXY
    if local.exists():
        return [str(local)]
    found = shutil.which(PROXY)
    return [found] if found else None


class WorkshopHub:
    def __init__(
        self,
        notebooks: Path,
        state: Path,
        learners: int = 12,
        ip: str = "0.0.0.0",
        port: int = 8000,
        password: str | None = None,
        root: Path | None = None,
        git_port: int = GIT_PORT,
    ):
        self.notebooks, self.state = Path(notebooks), Path(state).resolve()
        self.root = Path(root or Path.cwd())
        self.learners, self.ip, self.port, self.password = learners, ip, port, password
        self.git_port = git_port
        self.repo_path = self.state / "depot" / REPO_NAME
        self.daemon: repository.GitDaemon | None = None
        self.hub: Background | None = None
        self.settings: Settings | None = None

    # -- start ---------------------------------------------------------------------------
    def start(self) -> Settings:
        proxy = find_proxy(self.root)
        if proxy is None:
            raise HubError(
                f"{PROXY} introuvable (ni {self.root / 'node_modules/.bin'}, ni le PATH) : "
                "installez npm (Debian/Ubuntu : sudo apt install npm), puis lancez npm ci "
                "à la racine du dépôt"
            )
        if not repository.git_available():
            raise HubError("git introuvable : sudo apt install git")
        if not (self.notebooks / "README.md").exists():
            raise HubError(f"notebooks introuvables dans {self.notebooks} : lancez make notebooks")
        if port_in_use(self.ip, self.port):
            raise HubError(
                f"le port {self.port} est déjà utilisé sur {self.ip} (un autre hub ?) : "
                "arrêtez-le ou choisissez un autre port (make hub PORT=8001)"
            )
        if port_in_use("127.0.0.1", self.git_port):
            raise HubError(
                f"le port {self.git_port} (git) est déjà utilisé sur 127.0.0.1 : arrêtez le "
                "programme qui l'occupe ou choisissez un autre port (make hub GIT_PORT=9419)"
            )
        password = self.password or self._previous_password() or new_password(10)
        if len(password) < USER_PASSWORD_MIN:
            raise HubError(f"mot de passe trop court : {USER_PASSWORD_MIN} caractères au moins")
        self.state.mkdir(parents=True, exist_ok=True)
        try:
            repository.commit(self.notebooks, self.repo_path)
            self.daemon = repository.GitDaemon(
                self.repo_path.parent, self.state / "git-daemon.log", port=self.git_port
            )
        except repository.RepositoryError as exc:
            raise HubError(str(exc)) from None
        self.settings = Settings(
            state=str(self.state),
            learners=learner_names(self.learners),
            user_password=password,
            admin_password=new_password(ADMIN_PASSWORD_MIN),
            repo_url=self.daemon.url(REPO_NAME),
            ip=self.ip,
            port=self.port,
            hub_port=free_port(),
            proxy_api_port=free_port(),
            proxy_command=proxy,
            python=sys.executable,
        )
        homes = self.state / "apprenants"
        repository.retarget(sorted(homes.glob(f"*/{self.settings.folder}")), self.settings.repo_url)
        path = self.settings.write()
        env = {**os.environ, "COURSE_HUB_SETTINGS": str(path)}
        self.hub = Background(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            self.state / "hub.log",
            cwd=self.state,
            env=env,
        )
        try:
            self.wait()
        except HubError:
            self.stop()
            raise
        return self.settings

    def _previous_password(self) -> str | None:
        """The learners' password of the last run here: the room keeps the one on the board."""
        path = self.state / SETTINGS_FILE
        try:
            return Settings.read(path).user_password
        except (OSError, ValueError, TypeError):
            return None

    def wait(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.hub.alive():
                raise HubError(
                    f"JupyterHub s'est arrêté au démarrage (journal {self.hub.log}) :\n"
                    + self.hub.log_tail()
                )
            try:
                self.api("GET", "")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise HubError(f"JupyterHub ne répond pas après {timeout:.0f} s (journal {self.hub.log})")

    # -- use -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.settings.public_url()

    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        """JupyterHub's REST API (``/hub/api/<path>``) with the tools' service token."""
        request = urllib.request.Request(
            f"{self.url}/hub/api/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.settings.api_token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
        return json.loads(data) if data else None

    # -- stop ----------------------------------------------------------------------------
    def stop(self) -> None:
        if self.hub is not None:
            self.hub.stop()
            self.hub = None
        if self.daemon is not None:
            self.daemon.stop()
            self.daemon = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False
