"""Unit tests of course.metadata: the schema, parsed with line numbers."""

import pytest

from course import metadata

GOOD = """---
duree_lecture: 30
duree_activites: 20
public: Chefs de projet
niveau: initiation
resume: Un résumé.
etat_du_droit: 2025-01-01
---

# Titre
"""


def test_front_matter_keeps_the_line_of_each_key():
    fields, problems = metadata.read_front_matter(GOOD)
    assert problems == []
    assert fields["duree_lecture"] == (30, 2)
    assert fields["niveau"] == ("initiation", 5)
    assert fields["etat_du_droit"][1] == 7


def test_valid_front_matter_gives_clean_values():
    fields, _ = metadata.read_front_matter(GOOD)
    clean, problems = metadata.validate_front_matter(fields)
    assert problems == []
    assert clean["etat_du_droit"] == "2025-01-01"
    assert clean["duree_activites"] == 20


def test_missing_front_matter_is_reported_at_line_1():
    fields, problems = metadata.read_front_matter("# Titre\n")
    assert fields == {}
    assert problems[0].line == 1 and "absent" in problems[0].message


def test_unknown_missing_and_invalid_fields_are_each_reported_with_their_line():
    text = (
        GOOD.replace("duree_lecture: 30", "duree_lecture: trente")
        .replace("niveau: initiation", "niveau: expert\nauteur: X")
        .replace("resume: Un résumé.\n", "")
    )
    fields, _ = metadata.read_front_matter(text)
    _, problems = metadata.validate_front_matter(fields)
    by_field = {p.field: p for p in problems}
    assert by_field["duree_lecture"].line == 2 and "entier" in by_field["duree_lecture"].message
    assert by_field["niveau"].line == 5 and "expert" in by_field["niveau"].message
    assert by_field["auteur"].line == 6 and "inconnu" in by_field["auteur"].message
    assert "obligatoire" in by_field["resume"].message
    assert problems[0].format("modules/x.md").startswith("modules/x.md:2: [duree_lecture]")


def test_durations_are_bounded_and_booleans_are_not_integers():
    for bad in ("0", "241", "true", "12.5"):
        fields, _ = metadata.read_front_matter(
            GOOD.replace("duree_lecture: 30", f"duree_lecture: {bad}")
        )
        _, problems = metadata.validate_front_matter(fields)
        assert [p.field for p in problems] == ["duree_lecture"], bad


def test_bad_yaml_is_located():
    fields, problems = metadata.read_front_matter("---\nduree_lecture: [30\n---\n")
    assert fields == {} and problems[0].line >= 2 and "YAML" in problems[0].message
    assert (
        "\n" not in problems[0].message and "ligne 2 « duree_lecture: [30 »" in problems[0].message
    )


def test_objectives_need_a_measurable_infinitive():
    assert metadata.check_objective("Citer les trois piliers.") is None
    assert metadata.check_objective("Distinguer la loi du décret.") is None
    assert metadata.check_objective("Construire un plan d'action.") is None
    assert "mesurable" in metadata.check_objective("Comprendre la loi.")
    assert "mesurable" in metadata.check_objective("Connaître les QPV.")
    assert "infinitif" in metadata.check_objective("Les QPV et leurs critères.")
    assert metadata.check_objective("  ") == "objectif vide"


def test_the_verb_rule_is_an_allow_list_of_measurable_verbs():
    message = metadata.check_objective("Être sensibilisé à la politique de la ville.")
    assert message.startswith("« Être » n'est pas un verbe d'action mesurable")
    assert "citer, définir, décrire" in message  # examples to choose from
    for vague in ("Appréhender les enjeux.", "Percevoir les enjeux.", "S'approprier la loi."):
        assert "mesurable" in metadata.check_objective(vague), vague
    assert metadata.check_objective("Evaluer sans accent.") is None
    assert metadata.check_objective("Reconnaître un QPV.") is None


def _real_objectives() -> list[tuple[str, str]]:
    import re

    from conftest import ROOT

    from course import exercises

    found = []
    for path in sorted((ROOT / "modules").glob("*.md")):
        for block in re.findall(r"^:::\{objectifs\}\n(.*?)^:::", path.read_text(), re.M | re.S):
            found += [
                (path.name, metadata.split_objective(line[2:])[1])
                for line in block.splitlines()
                if line.startswith("- ")
            ]
    for path in exercises.discover(ROOT / "exercises"):
        meta = exercises.read_source(path).metadata["course"]
        found += [(path.name, text) for text in meta["objectifs"]]
    return found


def test_every_real_objective_starts_with_an_allowed_verb():
    objectives = _real_objectives()
    assert len(objectives) > 50
    refused = [(name, text) for name, text in objectives if metadata.check_objective(text)]
    assert refused == []


def test_module_slugs_are_lower_case_ascii_words_joined_by_hyphens():
    for good in ("loi-2014", "geographie-prioritaire", "dst", "pouvoir-d-agir"):
        assert metadata.check_slug(good) is None, good
    for bad, suggestion in (
        ("Loi_2014", "loi-2014"),
        ("géographie", "geographie"),
        ("a--b", "a-b"),
    ):
        assert f"« {suggestion} »" in metadata.check_slug(bad), bad
    assert "invalide" in metadata.check_slug("01-histoire")
    assert "invalide" in metadata.check_slug("histoire-")


def test_minutes_are_formatted_in_french():
    assert metadata.format_minutes(45) == "45 min"
    assert metadata.format_minutes(60) == "1 h"
    assert metadata.format_minutes(95) == "1 h 35 min"
    assert metadata.format_minutes(605) == "10 h 05 min"


def test_the_trainers_guide_lists_exactly_the_accepted_verbs():
    import re

    from conftest import ROOT

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    listed = re.search(r"\*\*Verbes d'action acceptés\*\*[^:]*: (.*?)\. Un verbe", text, re.S)
    assert listed, "CONTRIBUTING.md lists the accepted verbs"
    verbs = {v.strip() for v in " ".join(listed.group(1).split()).split(",")}
    assert verbs == set(metadata.MEASURABLE_VERBS)


@pytest.mark.parametrize(
    "raw, said",
    [
        ("a: [1\nb: 2\n", "crochet « [ » sans crochet « ] »"),
        ("a: {x: 1\nb: 2\n", "accolade « { » sans accolade « } »"),
        ('a: "abc\nb: 2\n', "guillemet ouvert et jamais fermé"),
        ("a:\n\t- x\n", "tabulation : indentez avec des espaces"),
        ("a: b: c\n", "deux-points en trop"),
        ("a: 1\nb\nc: 2\n", "ligne sans deux-points"),
        ("- a\nb: 1\n", "indentation ou liste mal alignée"),
        ("a: @x\n", "caractère spécial en début de valeur"),
        ("a: *x\n", "syntaxe YAML incorrecte"),  # anything else: the general advice
    ],
)
def test_a_yaml_error_is_one_french_line_with_pyyaml_s_words_after(raw, said):
    fields, problems = metadata.read_front_matter(f"---\n{raw}---\n# Titre\n")
    (problem,) = problems
    assert fields == {} and problem.field == "front matter"
    assert said in problem.message and "\n" not in problem.message
    assert problem.message.startswith(f"YAML invalide ligne {problem.line}")
    assert "(PyYAML : " in problem.message
