"""Learners on a real JupyterHub: launch links, the notebooks repository, a workshop hub.

- :mod:`course.hub.links`: nbgitpuller and Binder links (used by the site, pure);
- :mod:`course.hub.repository`: ``make notebooks``'s folder as a git repository, served by
  ``git daemon``;
- :mod:`course.hub.process`: background servers that always stop with what they started;
- :mod:`course.hub.settings`: what a workshop hub is (accounts, ports, limits), as JSON;
- :mod:`course.hub.jupyterhub_config`: the JupyterHub configuration file that reads it;
- :mod:`course.hub.spawner`: each learner's server, with its resource limits;
- :mod:`course.hub.server`: start a hub (and its git daemon), wait for it, stop it;
- :mod:`course.hub.cli`: ``python -m course hub`` (``make hub``), for a trainer's room.

Nothing here is imported by the Sphinx build but :mod:`course.hub.links`.
"""
