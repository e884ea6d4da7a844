"""Each learner's server on the trainer's machine: a home folder of its own, and limits.

JupyterHub's ``SimpleLocalProcessSpawner`` runs every learner's server as the user who started
the hub, each in its own home folder: no system accounts to create, but no isolation either
(a learner's code could read another learner's folder). That is the trade-off of a workshop
hub on one machine, said in the organisations' page; Kubernetes (deploy/) isolates learners.

``LocalProcessSpawner`` enforces no ``mem_limit``. Here each process of a learner (the server,
each kernel) may reserve at most :data:`course.hub.settings.MEMORY_LIMIT` bytes of address
space (``RLIMIT_AS``, inherited by the kernels it starts): a cell that asks for too much fails
with ``MemoryError`` in that learner's notebook instead of starving the machine.
"""

from __future__ import annotations

import resource

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Integer


class WorkshopSpawner(SimpleLocalProcessSpawner):
    address_space_limit = Integer(
        0,
        config=True,
        help="RLIMIT_AS of the learner's server and of its kernels, in bytes (0: none).",
    )

    def make_preexec_fn(self, name):
        make_home = super().make_preexec_fn(name)
        limit = self.address_space_limit

        def preexec():
            make_home()
            if limit:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        return preexec
