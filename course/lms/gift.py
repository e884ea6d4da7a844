"""GIFT question bank of a module (Moodle's text format), with correct escaping.

GIFT gives ``~ = # { } :`` a meaning; each is written ``\\~ \\= \\# \\{ \\} \\:`` inside a text,
and the backslash itself ``\\\\`` (research/lms.md, §5.1: an unescaped ``:`` — French
typography puts one before every explanation — makes the parser fail). Texts are declared
``[html]`` and HTML-escaped, so ``<script>`` written in a question stays visible text. Weights
are the Moodle XML ones (:func:`course.lms.moodle.fractions`).

Objectives: GIFT itself has no tag syntax, but Moodle's importer reads tags from a question's
comment lines, ``// [tag:name]`` (``qformat_gift::extract_idnumber_and_tags_from_comment``,
Moodle 5.0, ``question/format/gift/format.php``; it writes them back the same way on export).
Each question is preceded by one such comment with the Moodle XML tag names,
``// [tag:objectif-loi-2014/definition] [tag:…]``: the bank can be filtered by objective
whichever format is imported (a ``$CATEGORY:`` per objective would lose all objectives but one
of a question that assesses several). ``]`` never occurs in a tag name (ids are ``[a-z0-9-]``).
"""

from __future__ import annotations

import html

from .moodle import category, fractions, objective_tags

SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """Plain text → one line of GIFT text: HTML-escaped, then GIFT-escaped."""
    text = html.escape(" ".join(str(text).split()), quote=False)
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text


def question(module: dict, q: dict) -> str:
    title = escape(f"{module['slug']}-q{q['number']}")
    stem = escape(q["question"]) + (f" {escape(q['stem'])}" if q.get("stem") else "")
    tags = objective_tags(q)
    lines = [" ".join(["//"] + [f"[tag:{tag}]" for tag in tags])] if tags else []
    lines.append(f"::{title}::[html]{stem} {{")
    for option, weight in zip(q["options"], fractions(q), strict=True):
        if q.get("multiple"):
            mark = f"~%{weight}%"
        else:
            mark = "=" if option["correct"] else "~"
        feedback = f" #{escape(option['feedback'])}" if option.get("feedback") else ""
        lines.append(f"  {mark}{escape(option['text'])}{feedback}")
    if q.get("explanation"):
        lines.append(f"  ####{escape(q['explanation'])}")
    lines.append("}")
    return "\n".join(lines)


def bank(course: dict, module: dict) -> str:
    """The GIFT text of ``module``'s questions (UTF-8, one blank line between questions)."""
    head = [
        f"// {' '.join(module['title'].split())} — banque de questions générée depuis le "
        "cours (ne pas modifier à la main)",
        f"$CATEGORY: {category(course, module)}",
        "",
        "",
    ]
    body = [question(module, q) for q in module.get("questions", [])]
    return "\n".join(head) + "\n\n".join(body) + "\n"
