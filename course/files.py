"""Writing files safely and reproducibly (no Sphinx import).

* :func:`atomic_write`: readers never see a half-written file, even with parallel builds;
* :func:`write_if_changed`: unchanged files keep their mtime, so builds stay incremental;
* :func:`cached`: bytes made once and kept in a content-addressed cache file, with the
  SHA-256 of those bytes beside it, so that a cache file altered since (a bad disk, an
  edit by hand) is noticed and made again instead of being published;
* :func:`deterministic_zip`: the bytes depend only on the names and contents (so they can
  be kept in a cache under a hash of them);
* :func:`cache_entries`: which cache files a block of code read or wrote (what an exercise's
  record lists, :mod:`course.records`);
* :func:`sha256`: the digest of a file, or None when it cannot be read;
* :func:`utf8_problem`: the French message for a source that is not UTF-8 (file, line).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_ENTRIES: ContextVar[list[Path] | None] = ContextVar("course_cache_entries", default=None)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a uniquely named temporary file, then replace ``path`` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ. Returns whether the file was written."""
    if path.exists() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


def cached(
    path: Path | None,
    make: Callable[[], bytes],
    corrupt: Callable[[Path], None] | None = None,
) -> bytes:
    """``make()``'s bytes, kept at ``path`` and read from there while it exists.

    ``path`` must name its content (a hash of every input): a file there is never stale.
    Its bytes are checked against ``<path>.sha256``, written with it: on a mismatch the
    entry is made again and ``corrupt(path)`` is called (the caller tells the user); an
    entry without its digest (an older cache) is made again silently.
    Nothing is written when ``make`` raises, or when ``path`` is None (no cache).
    Inside :func:`cache_entries`, the entry and its digest file are listed.
    """
    if path is not None and path.exists():
        data = path.read_bytes()
        digest = _digest_path(path)
        try:
            expected = digest.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            expected = None
        if expected == hashlib.sha256(data).hexdigest():
            _listed(path)
            return data
        if expected is not None and corrupt is not None:
            corrupt(path)
    data = make()
    if path is not None:
        atomic_write(path, data)
        atomic_write(_digest_path(path), hashlib.sha256(data).hexdigest().encode("ascii"))
        _listed(path)
    return data


@contextmanager
def cache_entries() -> Iterator[list[Path]]:
    """The cache files :func:`cached` reads or writes inside the block (each entry, then its
    digest file), in order."""
    found: list[Path] = []
    token = _ENTRIES.set(found)
    try:
        yield found
    finally:
        _ENTRIES.reset(token)


def _listed(path: Path) -> None:
    found = _ENTRIES.get()
    if found is not None:
        found += [path, _digest_path(path)]


def sha256(path: Path) -> str | None:
    """The SHA-256 of a file's bytes (hex), or None when it cannot be read (absent, a
    folder, no permission)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _digest_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def deterministic_zip(
    files: dict[str, bytes],
    cache_dir: Path | None = None,
    corrupt: Callable[[Path], None] | None = None,
) -> bytes:
    """A zip of ``files``: entries sorted, fixed dates and permissions.

    With ``cache_dir``, the zip is kept there under a hash of the names and contents, and
    taken from there next time (compressing is the slow part); ``corrupt``: see :func:`cached`.
    """
    path = None
    if cache_dir is not None:
        digest = hashlib.sha256()
        for name in sorted(files):
            digest.update(hashlib.sha256(name.encode()).digest())
            digest.update(hashlib.sha256(files[name]).digest())
        path = cache_dir / f"{digest.hexdigest()[:32]}.zip"
    return cached(path, lambda: _zip(files), corrupt)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def utf8_problem(data: bytes, encoding: str = "utf-8") -> tuple[int, str] | None:
    """None when ``data`` decodes; else ``(line, message)``: the French message says which
    byte cannot be read and how to fix it (callers name the file).

    A file saved in Latin-1 or Windows-1252 (an editor's default) gets a hint to re-save it
    as UTF-8 rather than a ``UnicodeDecodeError``.
    """
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return line, (
            f"ce fichier n'est pas enregistré en UTF-8 (octet 0x{data[exc.start]:02x} illisible, "
            f"ligne {line}, colonne {column} : sans doute du Latin-1 ou du Windows-1252) ; "
            "ouvrez-le dans votre éditeur, enregistrez-le en UTF-8 (« Enregistrer sous… », "
            "encodage UTF-8), puis relancez la construction"
        )
    except LookupError:  # an encoding Python does not know: Sphinx will say so
        return None
    return None
