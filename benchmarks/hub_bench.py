"""How many learners this machine's workshop hub holds (``make bench``, or alone).

The hub is the one ``make hub`` starts (``course.hub.server.WorkshopHub``), on 127.0.0.1. Each
learner's server is started through JupyterHub's REST API, pulls the notebooks repository
through nbgitpuller's API (what the link does), opens a kernel in the exercise's folder and
runs all the notebook's cells at once, as « Exécuter toutes les cellules » does (every
execute request sent, then the replies awaited), over the kernel's websocket through the
hub's proxy. What is measured:

1. each exercise alone (one learner, a new kernel each): the heaviest is the slowest;
2. k learners at once (1, 2, 4, 6, 8, …), each in a new kernel, all running the heaviest
   exercise together: the time each takes from its first request to its last reply; the
   step stops when one learner takes 10 s or more;
3. at the last step where everyone finished under 10 s: the memory of each learner (RSS and
   PSS of their server and its kernel, kernels still open) and of the hub with its proxy.

Every learner's run must end with each check saying « à compléter » (no error), or the step
fails. Alone: ``python benchmarks/hub_bench.py [--max 24]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import psutil
from hub_client import Learner, code_cells  # benchmarks/ is on sys.path (run as a script)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course import cli, exercises  # noqa: E402
from course.hub.process import free_port  # noqa: E402
from course.hub.server import WorkshopHub  # noqa: E402
from course.hub.settings import MEMORY_LIMIT  # noqa: E402

BENCH = ROOT / "_build" / "bench"
TARGET_S = 10.0
STEPS = (1, 2, 4, 6, 8, 10, 12, 16, 20, 24, 32)
TIMEOUT = 300  # seconds for the servers to be ready
MAX_LEARNERS = 24


def check(result: dict, titles: list[str], who: str) -> None:
    missing = [t for t in titles if f"✏️ {t} : à compléter." not in result["text"]]
    if result["errors"] or missing:
        raise RuntimeError(f"{who} : erreurs {result['errors'][:2]}, manquent {missing[:2]}")


def start_all(learners: list[Learner]) -> None:
    for learner in learners:
        if not learner.ready():
            learner.start()
    deadline = time.monotonic() + TIMEOUT
    while not all(learner.ready() for learner in learners):
        if time.monotonic() > deadline:
            raise RuntimeError("serveurs pas prêts après 300 s")
        time.sleep(0.5)


def memory(learners: list[Learner], hub: WorkshopHub) -> dict:
    def sizes(procs):
        infos = [p.memory_full_info() for p in procs if p.is_running()]
        return sum(i.rss for i in infos), sum(i.pss for i in infos)

    per = [sizes(learner.processes()) for learner in learners]
    # the largest address space of one process: what the hub's RLIMIT_AS must leave room for
    vms = max(p.memory_info().vms for learner in learners for p in learner.processes())
    hub_procs = [psutil.Process(hub.hub.pid)] + [
        p
        for p in psutil.Process(hub.hub.pid).children()
        if "configurable-http-proxy" in p.name() or "node" in p.name()
    ]
    mib = 1024**2
    return {
        "rss_mib": round(statistics.median(r for r, _ in per) / mib),
        "pss_mib": round(statistics.median(p for _, p in per) / mib),
        "hub_rss_mib": round(sizes(hub_procs)[0] / mib),
        "largest_vms_mib": round(vms / mib),
    }


async def together(learners: list[Learner], cells: list[str]) -> list[dict]:
    return await asyncio.gather(*(learner.run(cells) for learner in learners))


def measure(max_learners: int, state: Path) -> dict:
    shutil.rmtree(state, ignore_errors=True)  # new learners, new kernels: nothing cached
    notebooks = state / "notebooks"
    source = str(ROOT / "exercises")
    assert cli.main(["notebooks", "--source", source, "--out", str(notebooks)]) == 0
    loaded = [
        exercises.load(p, ROOT / "exercises/donnees")
        for p in exercises.discover(ROOT / "exercises")
    ]
    hub = WorkshopHub(
        notebooks,
        state / "etat",
        learners=max_learners,
        ip="127.0.0.1",
        port=free_port(),
        root=ROOT,
        git_port=free_port(),
    )
    hub.start()
    try:
        return _measure(hub, loaded, max_learners)
    finally:
        hub.stop()


def _measure(hub: WorkshopHub, loaded: list, max_learners: int) -> dict:
    folder = hub.settings.folder
    learners = [Learner(hub, name) for name in hub.settings.learners]
    first = learners[0]
    start_all([first])
    first.pull()
    alone = {}
    for ex in loaded:
        first.new_kernel(f"{folder}/{ex.slug}")
        cells = code_cells(hub.notebooks / ex.slug / f"{ex.slug}.ipynb")
        result = asyncio.run(first.run(cells))
        check(result, [v["titre"] for v in ex.verifications], f"{first.name}/{ex.slug}")
        alone[ex.slug] = round(result["seconds"], 2)
    heaviest = max(alone, key=alone.get)
    ex = next(e for e in loaded if e.slug == heaviest)
    cells = code_cells(hub.notebooks / heaviest / f"{heaviest}.ipynb")
    titles = [v["titre"] for v in ex.verifications]
    steps, fits = [], None
    for k in [s for s in STEPS if s <= max_learners]:
        group = learners[:k]
        start_all(group)
        for learner in group:
            learner.pull()
        t0 = time.perf_counter()
        for learner in group:
            learner.new_kernel(f"{folder}/{heaviest}")
        opened = time.perf_counter() - t0
        results = asyncio.run(together(group, cells))
        for learner, result in zip(group, results, strict=True):
            check(result, titles, learner.name)
        times = sorted(r["seconds"] for r in results)
        step = {
            "learners": k,
            "max_s": round(times[-1], 2),
            "median_s": round(statistics.median(times), 2),
            "kernels_ready_s": round(opened + max(r["ready"] for r in results), 1),
            "cpu_s": round(statistics.median(r["cpu"] for r in results), 2),
            "load": [round(x, 1) for x in os.getloadavg()],
        }
        step["memory"] = memory(group, hub)
        steps.append(step)
        print(f"[hub-bench] {k} apprenant(s) : max {step['max_s']} s", file=sys.stderr, flush=True)
        if times[-1] >= TARGET_S:
            break
        fits = step
    total = psutil.virtual_memory().total
    per = fits["memory"]["rss_mib"] if fits else None
    cpu = statistics.median(s["cpu_s"] for s in steps)
    return {
        "cpu_s": cpu,
        # with the machine to itself: its cores' seconds over 10 s, shared by the learners
        "cpu_bound": int(os.cpu_count() * TARGET_S // cpu) if cpu else None,
        "alone": alone,
        "heaviest": heaviest,
        "steps": steps,
        "fits": fits["learners"] if fits else 0,
        "reached_max": bool(fits) and fits is steps[-1],
        "memory": fits["memory"] if fits else None,
        "memory_bound": int((0.8 * total / 1024**2 - fits["memory"]["hub_rss_mib"]) // per)
        if per
        else None,
        "total_mib": round(total / 1024**2),
    }


def report(data: dict | None) -> str:
    if not data:
        return "Hub d'atelier : non mesuré.\n"
    mem = data["memory"] or {}
    lines = [
        "## Hub d'atelier (`make hub`) : combien d'apprenants sur cette machine",
        "",
        f"Exercice le plus lourd : `{data['heaviest']}` ({data['alone'][data['heaviest']]} s seul ;"
        " chaque exercice seul : "
        + ", ".join(f"`{k}` {v} s" for k, v in data["alone"].items())
        + ").",
        "",
        "| Apprenants en même temps | Plus long (s) | Médiane (s) | Processeur par apprenant (s) "
        "| Noyaux prêts (s) | Charge (1, 5, 15 min) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in data["steps"]:
        lines.append(
            f"| {s['learners']} | {s['max_s']} | {s['median_s']} | {s.get('cpu_s', '—')} "
            f"| {s['kernels_ready_s']} | {s['load']} |"
        )
    fits = data["fits"]
    lines += [
        "",
        f"- Apprenants tenus avec chaque exécution sous {TARGET_S:.0f} s : "
        + (f"au moins {fits} (plafond du banc)" if data["reached_max"] else str(fits)),
        f"- Mémoire par apprenant (serveur + noyau, médiane) : {mem.get('rss_mib', '—')} Mio RSS, "
        f"{mem.get('pss_mib', '—')} Mio PSS ; hub et proxy : {mem.get('hub_rss_mib', '—')} Mio ; "
        f"plus grand espace d'adressage d'un processus : {mem.get('largest_vms_mib', '—')} Mio "
        f"(limite du hub par processus : {MEMORY_LIMIT // 1024**2} Mio)",
        f"- Limite mémoire (80 % de {data['total_mib']} Mio) : {data['memory_bound']} apprenants",
        f"- Processeur : {data.get('cpu_s', '—')} s par exécution de l'exercice (médiane) ; "
        f"{os.cpu_count()} cœurs libres en fournissent {os.cpu_count() * TARGET_S:.0f} en "
        f"{TARGET_S:.0f} s, soit au plus {data.get('cpu_bound', '—')} apprenants à la même "
        "seconde sur une machine qui ne fait rien d'autre",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--max", type=int, default=MAX_LEARNERS, help=f"apprenants au plus ({MAX_LEARNERS})"
    )
    args = parser.parse_args(argv)
    BENCH.mkdir(parents=True, exist_ok=True)
    data = {"date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}
    data["load_before"] = [round(x, 1) for x in os.getloadavg()]
    data.update(measure(args.max, BENCH / "hub"))
    data["load_after"] = [round(x, 1) for x in os.getloadavg()]
    text = report(data) + (
        f"\nMesuré le {data['date']} ; charge {data['load_before']} → {data['load_after']}.\n"
    )
    (BENCH / "hub.md").write_text(text, encoding="utf-8")
    (BENCH / "hub.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
