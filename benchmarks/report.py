"""The Markdown table of results (``_build/bench/results.md``), in French."""

from __future__ import annotations

import hub_bench
import scale
import session_bench
from common import CACHE_REL, EXERCISE_DOC, PROSE_DOC

TARGETS = {
    "clean_vs_jb": 0.5,
    "noop_s": 2.0,
    "prose_s": 3.0,
    "warm_vs_cold": 0.3,
    "median_page_gz_kb": 350.0,
}


def fmt_s(step: dict | None) -> str:
    if not step:
        return "—"
    if not step.get("ok", True):
        return f"échec ({step['seconds']} s)"
    return f"{step['seconds']:.1f} s"


def ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or not a.get("ok") or not b.get("ok") or not b["seconds"]:
        return "—"
    return f"{a['seconds'] / b['seconds']:.2f}"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("✅" if ok else "❌")


def executed(step: dict | None) -> str:
    if not step or step.get("executed") is None:
        return "—"
    return str(step["executed"])


def report(data: dict) -> str:
    ours, jb, errors = data.get("ours", {}), data.get("jb") or {}, data["errors"]
    jbs = jb if "clean_cold" in jb else {}
    cold, warm = ours.get("clean_cold"), ours.get("clean_warm")
    floor = data.get("floor")
    noop, prose = ours.get("noop"), ours.get("prose")
    exo_prose, exo_code = ours.get("exercise_prose"), ours.get("exercise_code")

    def ok_if(step, test):
        return None if not step or not step.get("ok") else test(step)

    jb_cold = jbs.get("clean_cold")
    clean_ok = (
        None
        if not (cold and jb_cold and cold["ok"] and jb_cold["ok"])
        else cold["seconds"] <= TARGETS["clean_vs_jb"] * jb_cold["seconds"]
    )
    warm_ok = (
        None
        if not (cold and warm and cold["ok"] and warm["ok"])
        else warm["seconds"] <= TARGETS["warm_vs_cold"] * cold["seconds"]
    )
    w, jw = data.get("weights"), jbs.get("weights")
    m = data["machine"]
    lines = [
        "# Banc d'essai du site (édition apprenant)",
        "",
        f"- Date : {data['date']}",
        f"- Machine : {m['nproc']} cœur(s), {m['platform']}, Python {m['python']} ; charge "
        f"moyenne (1, 5, 15 min) au début {m.get('load_before')}, à la fin {m.get('load_after')}",
        f"- Chaque durée est la plus courte de {data.get('repeat', 1)} mesure(s) (toutes les "
        "mesures : results.json) ; la machine peut être partagée avec d'autres travaux",
        f"- Notre chaîne : Sphinx {m.get('sphinx', '?')}, build `-n -j auto`, "
        f"cache d'exécution `{CACHE_REL}`",
        f"- Pair : {jb.get('version', 'Jupyter Book non mesuré')}"
        + (f" — {jb['error']}" if jb.get("error") else ""),
        "",
        "| Mesure | Ce cours | Jupyter Book 1.x | Ratio cours / JB | Cible | Atteinte |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| Build propre, cache froid | {fmt_s(cold)} | {fmt_s(jb_cold)} | "
        f"{ratio(cold, jb_cold)} | ≤ 0,5 × JB | {verdict(clean_ok)} |",
        f"| Build propre, cache chaud | {fmt_s(warm)} | {fmt_s(jbs.get('clean_warm'))} | "
        f"{ratio(warm, jbs.get('clean_warm'))} | ≤ 0,3 × le premier "
        f"({ratio(warm, cold)} ×) | {verdict(warm_ok)} |",
        f"| Plancher : Sphinx + MyST seuls, build propre des mêmes pages Markdown "
        f"(sans thème, extension ni notebooks) | {fmt_s(floor)} | — | — | "
        f"{ratio(floor, cold)} × le premier | — |",
        f"| Reconstruction sans changement | {fmt_s(noop)} | {fmt_s(jbs.get('noop'))} | "
        f"{ratio(noop, jbs.get('noop'))} | ≤ 2 s | "
        f"{verdict(ok_if(noop, lambda s: s['seconds'] <= TARGETS['noop_s']))} |",
        f"| Texte d'un module modifié (`{PROSE_DOC}`) | {fmt_s(prose)} | "
        f"{fmt_s(jbs.get('prose'))} | {ratio(prose, jbs.get('prose'))} | ≤ 3 s, "
        f"0 notebook exécuté | "
        f"{verdict(ok_if(prose, lambda s: s['seconds'] <= TARGETS['prose_s'] and s['executed'] == 0))} |",  # noqa: E501
        f"| Exercice modifié, texte (`{EXERCISE_DOC}`) | {fmt_s(exo_prose)} | — | — | — | — |",
        f"| Exercice modifié, code (une cellule ajoutée) | {fmt_s(exo_code)} | — | — | — | — |",
        f"| Notebooks exécutés (froid / chaud / sans changement / texte / exercice texte / "
        f"exercice code) | "
        f"{' / '.join(executed(s) for s in (cold, warm, noop, prose, exo_prose, exo_code))} | "
        f"{' / '.join(executed(jbs.get(k)) for k in ('clean_cold', 'clean_warm', 'noop', 'prose'))} / — / —"  # noqa: E501
        f" | — | texte : 0 | — |",
    ]
    if w:
        gz_ok = w["median_gz_kb"] <= TARGETS["median_page_gz_kb"]
        jb_median = f"{jw['median_gz_kb']} Ko ({jw['median_raw_kb']} Ko)" if jw else "—"
        jb_largest = (
            f"{jw['largest_gz_kb']} Ko ({jw['largest_raw_kb']} Ko), `{jw['largest_page']}`"
            if jw
            else "—"
        )
        lines += [
            f"| Page médiane, gzip (non compressé) | {w['median_gz_kb']} Ko "
            f"({w['median_raw_kb']} Ko) | {jb_median} | "
            + (f"{w['median_gz_kb'] / jw['median_gz_kb']:.2f}" if jw else "—")
            + f" | ≤ 350 Ko transférés | {verdict(gz_ok)} |",
            f"| Page la plus lourde, gzip (non compressé) | {w['largest_gz_kb']} Ko "
            f"({w['largest_raw_kb']} Ko), `{w['largest_page']}` | {jb_largest} | — | — | — |",
            f"| Ressources chargées depuis un autre site | {w['external_refs']} | "
            f"{jw['external_refs'] if jw else '—'} | — | 0 | {verdict(w['external_refs'] == 0)} |",
        ]
    if "session" in data or any(e.startswith("session") for e in errors):
        lines.append(session_bench.row(data.get("session")))
    tests = data.get("tests")
    if tests:
        lines.append(
            f"| Suite de tests complète (`pytest -n auto`) | {tests['seconds']:.0f} s "
            f"({tests['summary']}) | — | — | — | {verdict(tests['ok'])} |"
        )
    measured = data.get("exercise_times")
    if measured:
        times = measured.get("alone", measured)  # older results.json: the dict alone
        lines += [
            "",
            "Exécution de chaque exercice (notebook apprenant, sans cache, noyau "
            "compris, l'un après l'autre) :",
            "",
            "| Exercice | Temps |",
            "| --- | --- |",
        ]
        lines += [f"| `{slug}` | {sec:.1f} s |" for slug, sec in times.items()]
        lines.append(f"| **Total, l'un après l'autre** | {sum(times.values()):.1f} s |")
        if "together" in measured:
            lines.append(
                f"| **Tous ensemble, comme dans le build** | {measured['together']:.1f} s |"
            )
    details = []
    for key, label in (
        ("prose", "texte modifié"),
        ("exercise_prose", "texte d'exercice modifié"),
        ("exercise_code", "code d'exercice modifié"),
        ("noop", "sans changement"),
    ):
        step = ours.get(key)
        if step:
            details.append(
                f"- Documents relus ({label}) : "
                + (", ".join(f"`{d}`" for d in step["read"]) or "aucun")
            )
    if w and w["skipped"]:
        details.append(
            f"- {len(w['skipped'])} page(s) hors cours exclues du poids "
            f"(ex. `{w['skipped'][0]}`) : `node_modules` manque dans "
            "`exclude_patterns` de conf.py."
        )
    for key in ("clean_cold", "clean_warm", "noop", "prose", "exercise_prose", "exercise_code"):
        step = ours.get(key)
        if step and step.get("warnings"):
            details.append(f"- Avertissements Sphinx ({key}) : {step['warnings']}")
            break
    if details:
        lines += ["", *details]
    if "hub" in data:
        lines += ["", hub_bench.report(data["hub"]).rstrip()]
    if errors:
        lines += ["", "Mesures en échec :", ""] + [f"- {e}" for e in errors]
    if data.get("scale"):
        lines += ["", *scale.table(data["scale"])]
    lines += ["", "Méthode : benchmarks/README.md."]
    return "\n".join(lines) + "\n"
