"""Question banks of the tiny course: Moodle XML (well-formed, Moodle's weights, feedback,
escaping) and GIFT (escaping, parsed by the independent gift-pegjs parser through Node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from test_lms import export_tiny_course

from course.lms import cli, gift, moodle


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return export_tiny_course(tmp_path_factory)


def test_moodle_xml_is_well_formed_with_moodle_weights_and_feedback(course):
    root = etree.parse(str(course["out"] / "moodle" / "alpha.xml")).getroot()
    assert root.tag == "quiz"
    category, *questions = root.findall("question")
    assert category.get("type") == "category"
    assert category.findtext("category/text").endswith("/Module alpha")
    assert [q.get("type") for q in questions] == ["multichoice", "multichoice"]
    single, multiple = questions
    assert single.findtext("single") == "true" and multiple.findtext("single") == "false"
    for q in questions:
        assert q.findtext("name/text") and q.findtext("questiontext/text")
        assert q.findtext("generalfeedback/text").startswith("<p>Explication")
        weights = [a.get("fraction") for a in q.findall("answer")]
        assert all(w in moodle.ALLOWED for w in weights), weights
        assert abs(sum(float(w) for w in weights if float(w) > 0) - 100) < 0.001
        assert all(a.findtext("feedback/text") for a in q.findall("answer"))
    assert [a.get("fraction") for a in multiple.findall("answer")] == ["50", "50", "-50"]
    first = single.find("answer").findtext("text")
    assert first == "La bonne &lt;script&gt;alert(1)&lt;/script&gt;"  # shown, never run


def test_moodle_weights_for_every_count_of_right_answers():
    for right in range(1, 11):
        q = {
            "question": "Q",
            "multiple": True,
            "options": [{"correct": i < right} for i in range(right + 1)],
        }
        weights = moodle.fractions(q)
        assert set(weights) <= moodle.ALLOWED
        assert abs(sum(float(w) for w in weights[:right]) - 100) < 0.001
    with pytest.raises(cli.LmsError):
        moodle.fractions({"question": "Q", "multiple": True, "options": [{"correct": True}] * 11})


def test_gift_escapes_its_special_characters():
    assert (
        gift.escape("a ~ b = c # d { e } f : g \\ h")
        == "a \\~ b \\= c \\# d \\{ e \\} f \\: g \\\\ h"
    )
    assert gift.escape("<b>\n  x & y") == "&lt;b&gt; x &amp; y"


GIFT_PARSE = """
const parser = require(process.argv[1]);
const fs = require("fs");
const out = parser.parse(fs.readFileSync(process.argv[2], "utf8"));
process.stdout.write(JSON.stringify(out));
"""


def gift_parse(node_modules, path: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        from conftest import require_tool

        require_tool(False, "Node.js absent : sudo apt install nodejs")
    result = subprocess.run(
        [node, "-e", GIFT_PARSE, str(node_modules / "gift-pegjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_gift_is_read_by_gift_pegjs(course, node_modules, tmp_path):
    parsed = gift_parse(node_modules, course["out"] / "gift" / "alpha.gift.txt")
    kinds = [item["type"] for item in parsed]
    assert kinds == ["Category", "MC", "MC"], kinds
    single, multiple = parsed[1:]
    assert single["title"] == "alpha-q1" and single["stem"]["format"] == "html"
    assert [c["isCorrect"] for c in single["choices"]] == [True, False]
    assert single["choices"][0]["feedback"]["text"] == "Oui, c'est la bonne."
    assert "Explication : parce que" in single["globalFeedback"]["text"]
    assert [c["weight"] for c in multiple["choices"]] == [50, 50, -50]
    # every special character survives the round trip
    tricky = {"slug": "t", "title": "T"}
    q = {
        "number": 1,
        "question": "a ~ b = c # d { e } f : g \\ h ?",
        "stem": "",
        "multiple": False,
        "explanation": "Source : art. 1er {x}",
        "options": [
            {"text": "x = 1", "correct": True, "feedback": "Oui : #1"},
            {"text": "y ~ 2", "correct": False, "feedback": "Non : {2}"},
        ],
    }
    path = tmp_path / "t.gift.txt"
    path.write_text(gift.bank({"titre": "C"}, {**tricky, "questions": [q]}), encoding="utf-8")
    item = gift_parse(node_modules, path)[1]
    assert item["stem"]["text"] == q["question"]
    assert [c["text"]["text"] for c in item["choices"]] == ["x = 1", "y ~ 2"]
    assert item["choices"][0]["feedback"]["text"] == "Oui : #1"
    assert item["globalFeedback"]["text"] == "Source : art. 1er {x}"
