"""JupyterHub configuration of the workshop hub (``jupyterhub -f`` this file).

Everything variable comes from the ``settings.json`` named by ``COURSE_HUB_SETTINGS`` (see
:mod:`course.hub.settings`), written by :mod:`course.hub.server`. What it sets up:

- accounts: ``apprenant01`` … (one shared password, ``SharedPasswordAuthenticator``) and
  ``formateur`` (administrator: sees and stops every learner's server, with its own password);
- each learner's server (``course.hub.spawner.WorkshopSpawner``) in its own home folder
  under the hub's folder, JupyterLab, one thread per kernel for the numeric libraries,
  an address-space limit, idle kernels and servers stopped;
- after logging in, a learner lands on nbgitpuller's ``git-pull``: the course notebooks are
  copied (first time) or updated (later, without overwriting the learner's edits), then
  JupyterLab opens on them; an exercise's own launch link does the same for one notebook;
- a server that is not running starts when its link is opened (no « Launch » button);
- French login and waiting pages (``templates/``).
"""

import os
from pathlib import Path

from course.hub.settings import TRAINER, Settings

c = get_config()  # noqa: F821 - given by JupyterHub when it loads this file

s = Settings.read(Path(os.environ["COURSE_HUB_SETTINGS"]))
state = Path(s.state)

# -- where it listens: the proxy on the room's network, the rest on this machine only ---------
c.JupyterHub.bind_url = f"http://{s.ip}:{s.port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = s.hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
c.ConfigurableHTTPProxy.command = s.proxy_command
c.ConfigurableHTTPProxy.auth_token = s.proxy_token
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server
c.JupyterHub.cleanup_proxy = True

# -- accounts --------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = s.user_password
c.SharedPasswordAuthenticator.admin_password = s.admin_password
c.Authenticator.allowed_users = set(s.learners)
c.Authenticator.admin_users = {TRAINER}
c.JupyterHub.admin_access = True  # the trainer can open a learner's server to help
# the test suite and the benchmark drive the hub through its REST API
c.JupyterHub.services = [{"name": "course-outils", "api_token": s.api_token}]
c.JupyterHub.load_roles = [
    {
        "name": "course-outils",
        "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"],
        "services": ["course-outils"],
    }
]

# -- each learner's server -------------------------------------------------------------------
c.JupyterHub.spawner_class = "course.hub.spawner.WorkshopSpawner"
c.WorkshopSpawner.home_dir_template = str(state / "apprenants" / "{username}")
c.WorkshopSpawner.address_space_limit = s.memory_limit
c.Spawner.cmd = [s.python, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = s.default_url()
c.Spawner.args = [
    f"--MappingKernelManager.cull_idle_timeout={s.kernel_idle_timeout}",
    "--MappingKernelManager.cull_interval=60",
    f"--ServerApp.shutdown_no_activity_timeout={s.server_idle_timeout}",
    # JupyterLab in French, no news or update check from the Internet (lab/overrides.json)
    f"--LabApp.app_settings_dir={Path(__file__).parent / 'lab'}",
    # no shell on the trainer's machine from a browser
    "--ServerApp.terminals_enabled=False",
    *(["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []),
]
c.Spawner.environment = {
    # a kernel of a learner uses one core at most for numeric work: the room shares two
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NBGITPULLER_APP": "lab",
}
c.Spawner.mem_limit = s.memory_limit  # shown to the server (MEM_LIMIT), not enforced
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.active_server_limit = len(s.learners) + 1
c.JupyterHub.implicit_spawn_seconds = 0.5

# -- pages in French -------------------------------------------------------------------------
c.JupyterHub.template_paths = [str(Path(__file__).parent / "templates")]
c.JupyterHub.shutdown_on_logout = False
