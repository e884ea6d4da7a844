"""What a workshop hub is: its accounts, addresses, notebooks repository and limits.

:class:`Settings` is written as JSON next to the hub's state (``settings.json``) and read by
:mod:`course.hub.jupyterhub_config`, the configuration file JupyterHub loads: one place says
what the hub does, and the tests read the same file.
"""

from __future__ import annotations

import json
import secrets
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import links

SETTINGS_FILE = "settings.json"
LEARNER_PREFIX = "apprenant"
TRAINER = "formateur"
USER_PASSWORD_MIN = 8  # SharedPasswordAuthenticator's own rules
ADMIN_PASSWORD_MIN = 32
# easy to read aloud and to copy from a board: no 0/o, 1/l/i
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

#: per process (each learner's server, each kernel): the most address space it may reserve.
#: A runaway cell then fails with MemoryError instead of taking the machine's memory from
#: everyone; the heaviest exercise's kernel reserves far less (see benchmarks/hub_bench.py).
MEMORY_LIMIT = 4 * 1024**3
#: a kernel idle this long is stopped (its notebook stays; the learner restarts it)
KERNEL_IDLE_TIMEOUT = 30 * 60
#: a learner's server with no activity this long stops (the next click starts it again)
SERVER_IDLE_TIMEOUT = 2 * 60 * 60


def learner_names(count: int) -> list[str]:
    width = max(2, len(str(count)))
    return [f"{LEARNER_PREFIX}{i:0{width}d}" for i in range(1, count + 1)]


def new_password(length: int) -> str:
    """Groups of five characters separated by dashes (« k7qmz-3thpa »)."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(length))
    return "-".join(chars[i : i + 5] for i in range(0, length, 5))


@dataclass
class Settings:
    state: str  # the hub's folder: database, logs, learners' homes
    learners: list[str]
    user_password: str
    admin_password: str
    repo_url: str  # the notebooks repository every learner's server pulls
    ip: str = "0.0.0.0"
    port: int = 8000
    hub_port: int = 0  # on 127.0.0.1: the hub itself, behind the proxy
    proxy_api_port: int = 0
    proxy_command: list[str] = field(default_factory=list)
    branch: str = "main"
    python: str = sys.executable  # runs jupyterhub-singleuser, hence the kernels
    memory_limit: int = MEMORY_LIMIT
    kernel_idle_timeout: int = KERNEL_IDLE_TIMEOUT
    server_idle_timeout: int = SERVER_IDLE_TIMEOUT
    api_token: str = field(default_factory=lambda: secrets.token_hex(32))
    proxy_token: str = field(default_factory=lambda: secrets.token_hex(32))

    @property
    def folder(self) -> str:
        """The folder of every learner's home the notebooks are pulled into."""
        return links.target_folder(self.repo_url)

    def home(self, user: str) -> Path:
        return Path(self.state) / "apprenants" / user

    def default_url(self) -> str:
        """Where a learner lands after logging in: the pull, then the notebooks in JupyterLab."""
        query = links.git_pull_query(self.repo_url, self.branch, f"lab/tree/{self.folder}")
        return f"/git-pull?{query}"

    def public_url(self, host: str | None = None) -> str:
        return f"http://{host or ('127.0.0.1' if self.ip == '0.0.0.0' else self.ip)}:{self.port}"

    def write(self) -> Path:
        path = Path(self.state) / SETTINGS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), encoding="utf-8")
        path.chmod(0o600)  # passwords and tokens
        return path

    @classmethod
    def read(cls, path: Path) -> Settings:
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))
