"""Notebook execution with a content-addressed cache (no Sphinx import).

The cache key covers everything that can change a result: the code and Markdown of every
cell, the kernel, the helper library and the data files given to the notebook. A cached
notebook is one that executed without error, so the site build and the tests can share it.
Kernels are started by :mod:`course.kernels`, imported only when a notebook must run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from . import zygote

KERNEL = "python3"


class ExecutionError(RuntimeError):
    """A notebook failed; the message names the notebook and the cell."""


EXECUTION_TAGS = ("raises-exception", "skip-execution")
NO_START = "le noyau Python n'a pas démarré"


def cache_key(nb, inputs: list[Path]) -> str:
    """Hash of what execution depends on: the code cells, their execution tags, the inputs.

    Markdown and cell metadata are left out: editing prose re-uses the outputs.
    """
    digest = hashlib.sha256()
    cells = [
        (c.source, sorted(t for t in c.get("metadata", {}).get("tags", []) if t in EXECUTION_TAGS))
        for c in nb.cells
        if c.cell_type == "code"
    ]
    digest.update(json.dumps([KERNEL, cells], ensure_ascii=False).encode())
    for path in sorted(inputs):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def with_outputs(nb, executed):
    """``nb`` (current prose and metadata) with the outputs of ``executed`` (same code cells)."""
    result = nbformat.from_dict(nb)
    done = [c for c in executed.cells if c.cell_type == "code"]
    mine = [c for c in result.cells if c.cell_type == "code"]
    for cell, ran in zip(mine, done, strict=True):
        cell.outputs = ran.get("outputs", [])
        cell.execution_count = ran.get("execution_count")
    return result


def _cached_path(nb, inputs, cache_dir) -> Path | None:
    return cache_dir / f"{cache_key(nb, inputs)}.ipynb" if cache_dir else None


def cache_entry(job: tuple) -> Path | None:
    """The execution cache's file for ``job`` (there once the job ran or came from it)."""
    nb, _cwd, inputs, cache_dir, *_ = job
    return _cached_path(nb, inputs, cache_dir)


def _from_cache(job: tuple):
    """``(notebook with cached outputs, True)``, or None when ``job`` must run."""
    nb, _cwd, inputs, cache_dir, *_ = job
    cached = _cached_path(nb, inputs, cache_dir)
    if cached and cached.exists():
        # written by us after a successful run: read without validating it again
        executed = nbformat.v4.reads(cached.read_text(encoding="utf-8"))
        return with_outputs(nb, executed), True
    return None


def execute(
    nb,
    cwd: Path,
    inputs: list[Path],
    cache_dir: Path | None,
    timeout: int = 120,
    name: str = "notebook",
):
    """Execute ``nb`` in ``cwd`` (or take it from the cache). Returns ``(notebook, from_cache)``.

    Raises:
        ExecutionError: a cell raised an error (outside ``raises-exception`` cells).
    """
    job = (nb, cwd, inputs, cache_dir, timeout, name)
    hit = _from_cache(job)
    if hit:
        return hit
    from . import kernels  # jupyter_client, nbclient, zmq: only when something runs

    ((result, error),) = kernels.run_jobs([job], 1, forked=False)
    if error:
        raise ExecutionError(error)
    return result


def execute_many(
    jobs: list[tuple],
    workers: int | None = None,
    preload: bool = True,
    meanwhile: Callable[[list], object] | None = None,
) -> list[tuple]:
    """Run several :func:`execute` jobs at once, each in its own kernel.

    Each job is ``(nb, cwd, inputs, cache_dir, timeout, name)``; each result is
    ``((notebook, from_cache), None)`` or ``(None, error message)``, in the order of ``jobs``.
    One event loop drives every kernel: no worker process, so nothing is forked from a
    process that may already hold threads.

    ``meanwhile(notebooks)``, when given and some notebook must really run, is called in a
    thread while the kernels run, with the notebooks to run; it is best effort: what it
    raises is ignored (e.g. prefilling a cache).
    """
    results: list = [(hit, None) if (hit := _from_cache(job)) else None for job in jobs]
    to_run = [i for i, result in enumerate(results) if result is None]
    if not to_run:
        return results
    from . import kernels  # jupyter_client, nbclient, zmq: only when something runs

    # kernels spend part of their start waiting: two per core finish sooner (measured: 6
    # exercises in 9.6 s with 6 at once against 11.6 s with 2, on 2 cores)
    workers = workers or min(len(to_run), 2 * (os.cpu_count() or 1))
    forked = preload and zygote.SUPPORTED and len(to_run) > 1
    with ThreadPoolExecutor(max_workers=1) as background:
        side = background.submit(meanwhile, [jobs[i][0] for i in to_run]) if meanwhile else None
        ran = kernels.run_jobs([jobs[i] for i in to_run], workers, forked)
        if side is not None:
            try:
                side.result()
            except Exception:  # noqa: BLE001 - best effort, as documented
                pass
    for index, result in zip(to_run, ran, strict=True):
        results[index] = result
    return results
