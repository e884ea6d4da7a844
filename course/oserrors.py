"""A failed read or write told in French: which file, what the system said, what to do.

Stdlib only (:mod:`course.publish` uses it too). A full disk, a file-size limit, a folder
that cannot be written or a file where a folder should be are not bugs of the tools: the
builds print :func:`describe`'s one line instead of a traceback.
"""

from __future__ import annotations

import errno
import re
import shutil

CLEAN = "ce qui est sous _build/ se supprime sans risque (make clean) et se reconstruit"
SPACE = "libérez de la place sur le disque, puis relancez"

# errno → (what happened, what to do)
REASONS = {
    errno.ENOSPC: ("disque plein", SPACE),
    errno.EDQUOT: ("quota disque dépassé", SPACE),
    errno.EFBIG: (
        "fichier plus gros que la limite fixée par le système (ulimit -f)",
        "relevez la limite ou libérez de la place, puis relancez",
    ),
    errno.EACCES: (
        "permission refusée",
        f"donnez-vous le droit d'écrire dans ce dossier ; {CLEAN}",
    ),
    errno.EPERM: ("opération non permise", f"vérifiez les droits de ce dossier ; {CLEAN}"),
    errno.EROFS: (
        "système de fichiers en lecture seule",
        "construisez depuis une copie du cours dans un dossier où vous pouvez écrire",
    ),
    errno.ENOTDIR: (
        "un fichier occupe la place d'un dossier",
        f"supprimez ou renommez ce fichier ; {CLEAN}",
    ),
    errno.EISDIR: (
        "un dossier occupe la place d'un fichier",
        f"supprimez ou renommez ce dossier ; {CLEAN}",
    ),
    errno.EEXIST: ("un fichier porte déjà ce nom", f"supprimez ou renommez-le ; {CLEAN}"),
    errno.ENOENT: ("fichier ou dossier introuvable", "vérifiez le chemin, puis relancez"),
    errno.EIO: ("erreur d'entrée-sortie du disque", "vérifiez le disque, puis relancez"),
}
# how an OSError reads once turned into text (Sphinx's parallel workers pass only the text)
_TEXT = re.compile(r"\[Errno (\d+)\] [^:']*(?::\s*'([^']*)')?")


def describe(code: int | None, path: str | None = None, where: str | None = None) -> str:
    """« lecture ou écriture impossible : <path> : disque plein (ENOSPC) ; libérez … »."""
    unknown = ("erreur du système", "vérifiez le disque et les droits")
    reason, advice = REASONS.get(code or 0, unknown)
    name = errno.errorcode.get(code or 0, "?")
    target = path or (f"un fichier de {where}" if where else "un fichier")
    return f"lecture ou écriture impossible : {target} : {reason} ({name}) ; {advice}"


def from_exception(exc: BaseException, where: str | None = None) -> str | None:
    """:func:`describe` for an :class:`OSError`, or for the text of one; None otherwise."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list):
        _source, target, why = exc.args[0][0]  # copytree: the first file it could not copy
        match = _TEXT.search(str(why))
        return describe(int(match.group(1)) if match else None, target, where)
    if isinstance(exc, OSError) and exc.errno is not None:
        path = exc.filename2 if exc.filename2 is not None else exc.filename
        return describe(exc.errno, None if path is None else str(path), where)
    match = _TEXT.search(str(exc))
    if match:
        return describe(int(match.group(1)), match.group(2), where)
    return None
