"""Benchmark of ``make session`` on the full course path (called by run.py, or alone).

The session is the example (``session-exemple.yaml``) on the path that holds every module
(``cinq-demi-journees``), over five half-days, with 12 participants: the kit then writes the
programme, both tests (four PDFs, four banks), the survey, the sheets, the certificates and a
handout per module. Each run is the command a trainer types (``python -m course session``,
interpreter start and imports included), on an already built learner site.

The trainer's guide needs the trainer edition: run.py passes ``_build/formateur`` when
``make formateur`` has built it (the table says whether the guide was included).

Alone: ``python benchmarks/session_bench.py --site _build/html [--formateur-site
_build/formateur] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL_PATH = "cinq-demi-journees"
TARGET_S = 30.0
DAYS = """dates:
  - date: 2027-03-15
    matin: "9:00-12:30"
    apres_midi: "13:30-17:00"
  - date: 2027-03-16
    matin: "9:00-12:30"
    apres_midi: "13:30-17:00"
  - date: 2027-03-17
    matin: "9:00-12:30"
"""


def full_session(folder: Path) -> Path:
    """The example session file, on the full path over five half-days."""
    text = (ROOT / "session-exemple.yaml").read_text(encoding="utf-8")
    text = text.replace("  parcours: une-journee", f"  parcours: {FULL_PATH}")
    start = text.index("dates:\n")
    end = text.index("\nlieu:")
    text = text[:start] + DAYS + text[end:]
    path = folder / "session-parcours-complet.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _children_cpu() -> float:
    """CPU seconds used so far by finished child processes (and theirs): unlike the wall
    time, it does not grow when other work shares the machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def session_times(
    site: Path,
    work: Path,
    repeat: int = 3,
    trainer_site: Path | None = None,
    python: str = sys.executable,
) -> dict:
    """Best of ``repeat`` runs of the kit on ``site`` (and the trainer's guide from
    ``trainer_site``, as ``make session`` does, when given); files, PDFs and pages written."""
    session = full_session(work)
    out = work / "session"
    command = [python, "-m", "course", "session", "--site", str(site)]
    command += ["--session", str(session), "--out", str(out)]
    if trainer_site:
        command += ["--formateur-site", str(trainer_site)]
    runs, cpu = [], []
    for _ in range(repeat):
        start, used = time.perf_counter(), _children_cpu()
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        runs.append(round(time.perf_counter() - start, 2))
        cpu.append(round(_children_cpu() - used, 2))
        if result.returncode != 0:
            raise RuntimeError(f"make session en échec : {result.stderr[-500:]}")
    from pypdf import PdfReader

    pdfs = sorted(out.rglob("*.pdf"))
    pages = sum(len(PdfReader(p).pages) for p in pdfs)
    modules = len(list((out / "supports").glob("*.pdf")))
    return {
        "seconds": min(runs),
        "runs": runs,
        "cpu_s": min(cpu),  # user + system time of the command and its workers
        "ok": min(runs) <= TARGET_S,
        "files": sum(1 for p in out.rglob("*") if p.is_file()),
        "pdfs": len(pdfs),
        "pages": pages,
        "modules": modules,
        "path": FULL_PATH,
        "guide": bool(trainer_site),
    }


def row(result: dict | None) -> str:
    """The line of the benchmark table."""
    if not result:
        return "| Kit de session (`make session`), parcours complet | — | — | — | ≤ 30 s | — |"
    verdict = "✅" if result["ok"] else "❌"
    return (
        f"| Kit de session (`make session`), parcours complet `{result['path']}` "
        f"({result['modules']} modules ; {result['pdfs']} PDF, {result['pages']} pages"
        + (
            ", guide du formateur compris"
            if result.get("guide")
            else ", sans le guide du formateur"
        )
        + ") | "
        f"{result['seconds']:.1f} s (temps processeur : {result['cpu_s']:.1f} s) | — | — | "
        f"≤ {TARGET_S:.0f} s | {verdict} |"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", default=str(ROOT / "_build" / "html"))
    parser.add_argument("--work", default=str(ROOT / "_build" / "bench" / "session"))
    parser.add_argument("--formateur-site", default=None, help="édition formateur (le guide)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trainer = Path(args.formateur_site) if args.formateur_site else None
    data = session_times(Path(args.site), Path(args.work), args.repeat, trainer)
    print(json.dumps(data, indent=1))
    print(row(data))
