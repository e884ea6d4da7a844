"""course.execute: the cache key follows the code only; cached outputs meet the current prose."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from course import execute


def notebook(code: str, prose: str = "Texte", alt: str = ""):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(code)
    if alt:
        cell.metadata["alt"] = alt
    nb.cells = [nbformat.v4.new_markdown_cell(prose), cell]
    return nb


def test_key_changes_with_code_and_inputs_not_with_prose_or_metadata(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n")
    base = execute.cache_key(notebook("x = 1"), [data])
    assert (
        execute.cache_key(notebook("x = 1", prose="Autre texte", alt="Graphique"), [data]) == base
    )
    assert execute.cache_key(notebook("x = 2"), [data]) != base
    data.write_text("a\n2\n")
    assert execute.cache_key(notebook("x = 1"), [data]) != base


def test_raises_exception_tag_is_part_of_the_key():
    plain = notebook("1 / 0")
    tagged = notebook("1 / 0")
    tagged.cells[1].metadata["tags"] = ["raises-exception"]
    assert execute.cache_key(plain, []) != execute.cache_key(tagged, [])


def test_cached_outputs_are_put_on_the_current_cells():
    ran = notebook("print(1)")
    ran.cells[1].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    ran.cells[1].execution_count = 1
    current = notebook("print(1)", prose="Nouveau texte", alt="Nouvelle alternative")
    merged = execute.with_outputs(current, ran)
    assert merged.cells[0].source == "Nouveau texte"
    assert merged.cells[1].metadata["alt"] == "Nouvelle alternative"
    assert merged.cells[1].outputs[0]["text"] == "1\n" and merged.cells[1].execution_count == 1
    assert current.cells[1].outputs == []  # the input is not modified


def test_execution_then_cache_hit(tmp_path):
    nb = notebook("print(6 * 7)")
    first, cached = execute.execute(nb, tmp_path, [], tmp_path / "cache", name="t")
    assert not cached and first.cells[1].outputs[0]["text"] == "42\n"
    again, cached = execute.execute(
        notebook("print(6 * 7)", prose="Modifié"), tmp_path, [], tmp_path / "cache", name="t"
    )
    assert cached and again.cells[0].source == "Modifié"
    assert again.cells[1].outputs[0]["text"] == "42\n"


def test_a_cell_error_names_the_notebook_and_the_cell(tmp_path):
    nb = notebook("1 / 0")
    try:
        execute.execute(nb, tmp_path, [], None, name="exemple.ipynb")
    except execute.ExecutionError as exc:
        assert "exemple.ipynb, cellule 2" in str(exc) and "ZeroDivisionError" in str(exc)
    else:
        raise AssertionError("a failing cell must raise ExecutionError")


def test_many_kernels_started_at_once_all_reply(tmp_path):
    """Regression: over TCP, kernels starting together raced for ports and one could die
    before replying (CI, 2026-11-25; reproduced here in 2 runs of 5 with 24 kernels)."""
    jobs = [(notebook(f"print({n} * 2)"), tmp_path, [], None, 60, f"nb{n}") for n in range(16)]
    results = execute.execute_many(jobs, workers=16)
    assert [error for _, error in results] == [None] * 16
    printed = [result[0][0].cells[1].outputs[0]["text"] for result in results]
    assert printed == [f"{n * 2}\n" for n in range(16)]


def test_what_a_cell_prints_in_several_messages_is_one_output(tmp_path):
    """The kernel sends a stream message at each flush; the page shows one output."""
    code = "import time\nprint('a', end='', flush=True)\ntime.sleep(0.3)\nprint('b')"
    done, _ = execute.execute(notebook(code), tmp_path, [], None, name="t")
    assert [o["text"] for o in done.cells[1].outputs] == ["ab\n"]


WIDE_TABLE_AND_CHART = """\
import sys

import matplotlib.pyplot as plt
import pandas as pd

print(sys.path)

table = pd.DataFrame({f"colonne_{i}": range(3) for i in range(30)})
display(table)
fig, ax = plt.subplots(figsize=(2, 2))
ax.plot([1, 2, 3])
plt.show()
print("fin")
"""


def _outputs(result):
    (nb, _), error = result
    assert error is None, error
    return [
        [{k: v for k, v in o.items() if k != "metadata"} for o in c.outputs]
        for c in nb.cells
        if c.cell_type == "code"
    ]


def test_kernels_forked_from_the_zygote_print_and_draw_as_plain_kernels(tmp_path):
    """Same outputs with and without the zygote: sys.path, a wide pandas table (pandas picks
    its display defaults at import, differently outside a kernel) and a matplotlib chart (the
    inline backend must be set up by the kernel, not at the zygote's import)."""
    jobs = [(notebook(WIDE_TABLE_AND_CHART), tmp_path, [], None, 60, f"nb{n}") for n in range(2)]
    forked = execute.execute_many(jobs, preload=True)
    plain = execute.execute_many(jobs, preload=False)
    first = _outputs(forked[0])
    assert first == _outputs(plain[0]) == _outputs(forked[1])
    kinds = [key for output in first[0] for key in output.get("data", {})]
    assert "text/html" in kinds and "image/png" in kinds
    assert first[0][0]["text"].startswith("[") and first[0][-1]["text"] == "fin\n"


def test_a_kernel_that_dies_is_reported_and_the_zygote_leaves_no_process(tmp_path, monkeypatch):
    jobs = [
        (notebook("import os\nos._exit(3)"), tmp_path, [], None, 60, "meurt.ipynb"),
        (notebook("print('vivant')"), tmp_path, [], None, 60, "vit.ipynb"),
    ]
    sockets = []
    original = execute.zygote.Zygote.__enter__

    def enter(self):
        sockets.append(self.socket)  # this test's zygote (other test workers may run theirs)
        return original(self)

    monkeypatch.setattr(execute.zygote.Zygote, "__enter__", enter)
    (died, error), (lived, ok) = execute.execute_many(jobs, preload=True)
    assert died is None and "meurt.ipynb" in error
    assert ok is None and lived[0].cells[1].outputs[0]["text"] == "vivant\n"
    assert len(sockets) == 1
    leftovers = []  # the zygote or a kernel forked from it: both keep its command line
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if sockets[0] in text:
            leftovers.append(text)
    assert leftovers == []


def test_kernels_the_zygote_cannot_give_start_on_their_own(tmp_path, monkeypatch):
    # a launcher that exits at once: each kernel "dies before replying", then is retried
    monkeypatch.setattr(execute.zygote, "command", lambda _socket: [sys.executable, "-c", "0"])
    jobs = [(notebook(f"print({n})"), tmp_path, [], None, 60, f"nb{n}") for n in range(2)]
    results = execute.execute_many(jobs, preload=True)
    assert [error for _, error in results] == [None, None]
    assert [r[0][0].cells[1].outputs[0]["text"] for r in results] == ["0\n", "1\n"]


def test_meanwhile_gets_the_notebooks_to_run_and_only_when_some_must_run(tmp_path):
    seen = []

    def meanwhile(notebooks):
        seen.append([nb.cells[1].source for nb in notebooks])
        raise RuntimeError("best effort: ignored")

    jobs = [(notebook("print(5)"), tmp_path, [], tmp_path / "cache", 60, "nb")]
    (((done, cached), error),) = execute.execute_many(jobs, meanwhile=meanwhile)
    assert error is None and not cached and done.cells[1].outputs[0]["text"] == "5\n"
    assert seen == [["print(5)"]]
    (((_, cached), _),) = execute.execute_many(jobs, meanwhile=meanwhile)
    assert cached and seen == [["print(5)"]]  # nothing to run: not called again
