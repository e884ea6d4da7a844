"""A failed read or write in French (course/oserrors.py): every form it reaches us in.

The end-to-end cases (a file-size limit while building or copying, a cache folder that is a
file) are in tests/test_bad_inputs.py; a full disk (ENOSPC) cannot be made there without
root tools, so its wording is checked here on the exceptions the system raises.
"""

from __future__ import annotations

import errno
import shutil

from course.oserrors import from_exception


def test_a_full_disk_names_the_file_and_says_what_to_do():
    exc = OSError(errno.ENOSPC, "No space left on device", "_build/.html.staging/a.html")
    assert from_exception(exc) == (
        "lecture ou écriture impossible : _build/.html.staging/a.html : disque plein (ENOSPC) ; "
        "libérez de la place sur le disque, puis relancez"
    )


def test_a_copy_names_the_file_it_was_writing():
    exc = OSError(errno.EFBIG, "File too large", "source.html", None, "copie.html")
    assert "copie.html : fichier plus gros que la limite" in from_exception(exc)


def test_without_a_file_name_the_folder_being_written_is_named():
    exc = OSError(errno.ENOSPC, "No space left on device")
    assert from_exception(exc, "_build/.html.staging").startswith(
        "lecture ou écriture impossible : un fichier de _build/.html.staging : disque plein"
    )


def test_the_text_of_an_error_from_a_parallel_worker_is_understood():
    text = "OSError: [Errno 28] No space left on device: '_build/doctrees/x.doctree'"
    assert from_exception(RuntimeError(text)) == (
        "lecture ou écriture impossible : _build/doctrees/x.doctree : disque plein (ENOSPC) ; "
        "libérez de la place sur le disque, puis relancez"
    )


def test_copytree_names_the_first_file_it_could_not_copy():
    exc = shutil.Error([("a/x.css", "b/x.css", "[Errno 28] No space left on device")])
    assert from_exception(exc).startswith("lecture ou écriture impossible : b/x.css : disque plein")


def test_anything_else_is_not_a_system_error():
    assert from_exception(ValueError("bad value")) is None
    assert from_exception(KeyError("alpha/seuil")) is None
