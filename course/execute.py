"""Notebook execution with a content-addressed cache (no Sphinx import).

The cache key covers everything that can change a result: the code and Markdown of every
cell, the kernel, the helper library and the data files given to the notebook. A cached
notebook is one that executed without error, so the site build and the tests can share it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from .files import atomic_write

KERNEL = "python3"
_LOG = logging.getLogger("course.execute")
_LOG.setLevel(logging.WARNING)  # nbclient logs every start at INFO


class ExecutionError(RuntimeError):
    """A notebook failed; the message names the notebook and the cell."""


EXECUTION_TAGS = ("raises-exception", "skip-execution")


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


def _run(nb, cwd: Path, timeout: int, name: str):
    # Kernels talk over Unix sockets in a private directory, not TCP: with TCP, each kernel
    # picks "free" ports that another kernel starting at the same moment may take first, and
    # dies before replying (measured: 2 runs in 5 lost a kernel with 24 started at once).
    with tempfile.TemporaryDirectory(prefix="course-kernel-") as sockets:
        manager = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(Path(sockets, "k")))
        client = NotebookClient(
            nb,
            km=manager,
            timeout=timeout,
            kernel_name=KERNEL,
            resources={"metadata": {"path": str(cwd)}},
            # the kernel's start-up notices (e.g. about local TCP) are not the reader's business
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            log=_LOG,
        )
        try:
            # the kernel's own log (shutdown races in zmq) is not the reader's business: cell
            # errors come back through the notebook, a dead kernel raises DeadKernelError
            client.execute(stderr=subprocess.DEVNULL)
        except CellExecutionError as exc:
            index = _failing_cell(nb)
            raise ExecutionError(f"{name}, cellule {index} : erreur à l'exécution\n{exc}") from None
        except (CellTimeoutError, DeadKernelError) as exc:
            raise ExecutionError(f"{name} : exécution interrompue ({exc})") from None
        except RuntimeError as exc:  # the kernel did not start
            raise ExecutionError(f"{name} : le noyau Python n'a pas démarré ({exc})") from None
    return nb


def _failing_cell(nb) -> int | str:
    for index, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index
    return "?"


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
    key = cache_key(nb, inputs)
    cached = cache_dir / f"{key}.ipynb" if cache_dir else None
    if cached and cached.exists():
        return with_outputs(nb, nbformat.read(cached, as_version=4)), True
    result = _run(nbformat.from_dict(nb), cwd, timeout, name)
    if cached:
        atomic_write(cached, nbformat.writes(result).encode("utf-8"))
    return result, False


def _execute_job(args):
    nb, cwd, inputs, cache_dir, timeout, name = args
    try:
        return execute(nb, cwd, inputs, cache_dir, timeout, name), None
    except ExecutionError as exc:
        return None, str(exc)


def execute_many(jobs: list[tuple], workers: int | None = None) -> list[tuple]:
    """Run several :func:`execute` jobs in parallel processes.

    Each job is ``(nb, cwd, inputs, cache_dir, timeout, name)``; each result is
    ``((notebook, from_cache), None)`` or ``(None, error message)``.
    """
    if not jobs:
        return []
    # kernels spend part of their start waiting: two per core finish sooner (measured: 6
    # exercises in 9.6 s with 6 workers against 11.6 s with 2, on 2 cores)
    workers = workers or min(len(jobs), 2 * (os.cpu_count() or 1))
    if workers == 1:
        return [_execute_job(job) for job in jobs]
    # workers come from a fresh forkserver, never forked from this process: a caller that has
    # already run a kernel holds an event-loop thread, and forking it can deadlock the child
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_execute_job, jobs))
