"""Content loading and validation: the real content loads; broken content is reported in full,
each problem with its file and line; Dutch and English are complete."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kit.__main__ import main
from kit.checks import RULES, check, schema_markdown
from kit.content import CONTENT_DIR, ContentError, default_content, load

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def messages(root: Path) -> list[str]:
    content, problems = check(root)
    assert content is None
    return [str(p) for p in problems]


def test_real_content_loads() -> None:
    # Its shape (six phases, >= 8 scenarios, five factors, ...) is the schema's job: see
    # test_schema_rule_is_reported. This pins what the apps rely on.
    content = default_content()
    assert [p.id for p in content.phases][:2] == ["ontwikkelen", "weten"]
    assert [content.phase(c.phase).number for c in content.change_model] == [1, 2, 3, 4, 5]
    assert content.adaptation_type("remove").instead is not None


def test_schema_md_is_current() -> None:
    """content/SCHEMA.md is generated; after a schema change, run `python -m kit schema`."""
    written = (CONTENT_DIR / "SCHEMA.md").read_text(encoding="utf-8")
    assert written == schema_markdown(), "content/SCHEMA.md is stale: run `python -m kit schema`"
    for r in RULES:
        assert f"(`{r.name}`)" in written


def test_known_strings_in_both_languages() -> None:
    content = default_content()
    assert content.t("phases.title", "nl") == "De fasen van implementatie"
    assert content.t("phases.title", "en") == "The phases of implementation"
    assert content.phase("blijven-doen").name("en") != content.phase("blijven-doen").name("nl")


def test_missing_translation_is_reported_with_line(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    ui = root / "ui.yaml"
    ui.write_text(
        ui.read_text(encoding="utf-8").replace(
            "phases.clear: {nl: Wissen, en: Clear}", "phases.clear: {nl: Wissen}"
        ),
        encoding="utf-8",
    )
    line = line_of(ui, "phases.clear:")
    assert f"{root / 'ui.yaml'}:{line}: phases.clear.en: missing translation 'en'" in messages(root)


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (
            "phases.yaml",
            "stage: verspreiden",
            "stage: verpreiden",
            "unknown stage 'verpreiden' (known: ontwikkeling, verspreiden, invoeren)",
        ),
        (
            "scenarios.yaml",
            "phase: willen",
            "phase: wilen",
            "unknown phase 'wilen' (known: ontwikkelen, weten, begrijpen, willen, doen, blijven-doen)",
        ),
        (
            "phases.yaml",
            "number: 2",
            "number: twee",
            "phases.2.number: Input should be a valid integer",
        ),
        ("factors.yaml", "id: context", "id: gebruikers", "duplicate factor id 'gebruikers'"),
        (
            "quickscan/instrument.yaml",
            "factor: context",
            "factor: kontext",
            "unknown factor 'kontext'",
        ),
        (
            "adaptations.yaml",
            "verdict: red",
            "verdict: rood",
            "Input should be 'green', 'amber' or 'red'",
        ),
    ],
)
def test_broken_value_is_reported_at_its_line(
    tmp_path: Path, rel: str, old: str, new: str, expected: str
) -> None:
    root = copy_content(tmp_path)
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture out of date: {old!r} not in {rel}"
    line = text[: text.index(old)].count("\n") + 1  # the changed line, even if `new` occurs earlier
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = messages(root)
    assert any(m.startswith(f"{path}:{line}: ") and expected in m for m in found), found


def test_broken_case_file_reports_every_problem(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    target = root / "cases" / "broken-case.yaml"
    shutil.copy(FIXTURES / "broken-case.yaml", target)
    found = messages(root)
    mine = [m for m in found if m.startswith(str(target))]
    at = lambda needle: f"{target}:{line_of(target, needle)}: "  # noqa: E731
    assert any(m.startswith(at("title:")) and "missing translation 'en'" in m for m in mine), mine
    assert any(m.startswith(at("extra_field")) and "unknown field 'extra_field'" in m for m in mine)
    assert any(m.startswith(at('org-0-1: {value: "veel"')) and "valid integer" in m for m in mine)
    assert len(mine) >= 3
    # Unchanged files stay clean: problems are pinned on the broken file only.
    assert mine == found


def test_cross_references_in_case(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    case = next((root / "cases").glob("*.yaml"))
    text = case.read_text(encoding="utf-8")
    text = text.replace("    willen:", "    wilen:", 1)
    case.write_text(text, encoding="utf-8")
    found = messages(root)
    line = line_of(case, "    wilen:")
    assert any(m.startswith(f"{case}:{line}: unknown phase 'wilen'") for m in found), found
    assert any("justification missing for phase(s) willen" in m for m in found)


def test_invalid_yaml_and_duplicate_keys(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    factors = root / "factors.yaml"
    factors.write_text(
        factors.read_text(encoding="utf-8") + "\nfactors: [unclosed\n", encoding="utf-8"
    )
    found = messages(root)
    assert any(m.startswith(f"{factors}:") and "not valid YAML" in m for m in found), found
    ui = root / "ui.yaml"
    ui.write_text(
        ui.read_text(encoding="utf-8") + "\nphases.clear: {nl: Weg, en: Gone}\n", encoding="utf-8"
    )
    found = messages(root)
    assert f"{ui}:{line_of(ui, 'phases.clear: {nl: Weg')}: duplicate key 'phases.clear'" in found


def test_load_raises_with_all_problems(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    (root / "scenarios.yaml").unlink()
    (root / "adaptations.yaml").write_text("types: 3\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load(root)
    text = str(raised.value)
    assert "scenarios.yaml:1: file is missing" in text
    assert "adaptations.yaml:1: types: Input should be a valid tuple" in text


def test_cli_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CONTENT_DIR)]) == 0
    assert capsys.readouterr().out.startswith("OK:")
    root = copy_content(tmp_path)
    scen = root / "scenarios.yaml"
    scen.write_text(
        scen.read_text(encoding="utf-8").replace("phase: doen", "phase: doeen", 1), encoding="utf-8"
    )
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr()
    assert f"{scen}:{line_of(scen, 'phase: doeen')}: unknown phase 'doeen'" in out.out
    assert "1 problem(s) found." in out.err


def test_validated_content_is_cached_and_invalidated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_content(tmp_path)
    monkeypatch.setenv("KIT_CONTENT_DIR", str(root))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fresh = default_content.__wrapped__()
    pickles = list((tmp_path / "cache").rglob("content-*.pickle"))
    assert len(pickles) == 1
    again = default_content.__wrapped__()
    assert again == fresh and again is not fresh  # read back from the cache
    scenarios = root / "scenarios.yaml"
    old = fresh.scenarios[0].title("nl")
    scenarios.write_text(
        scenarios.read_text(encoding="utf-8").replace(old, "Nieuwe titel", 1), encoding="utf-8"
    )
    assert default_content.__wrapped__().scenarios[0].title("nl") == "Nieuwe titel"
    # A damaged cache file is rebuilt, not trusted.
    for p in (tmp_path / "cache").rglob("content-*.pickle"):
        p.write_bytes(b"not a pickle")
    assert default_content.__wrapped__().scenarios[0].title("nl") == "Nieuwe titel"
    # Broken content is never cached: the error comes back every time.
    scenarios.write_text("scenarios: 3\n", encoding="utf-8")
    with pytest.raises(ContentError):
        default_content.__wrapped__()


def _break_three_ways(root: Path) -> tuple[Path, dict[str, int]]:
    """scenarios.yaml with an unknown phase, a missing English title and a duplicate id."""
    path = root / "scenarios.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("  - id: ")]
    first_id = lines[starts[0]].split("id: ")[1]
    at: dict[str, int] = {}
    phase = next(i for i in range(starts[1], starts[2]) if lines[i].startswith("    phase: "))
    lines[phase] = "    phase: wilen"
    at["unknown phase 'wilen'"] = phase + 1
    en = next(i for i in range(starts[2], starts[3]) if lines[i].startswith("      en: "))
    title = next(i for i in range(starts[2], en) if lines[i].startswith("    title:"))
    del lines[en]  # the English title (the first `en:` of the third scenario)
    at["title.en: missing translation 'en'"] = title + 1
    dup = starts[3] - 1  # one line less after the deletion
    lines[dup] = f"  - id: {first_id}"
    at[f"duplicate scenario id '{first_id}'"] = dup + 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, at


def test_three_mistakes_in_one_file_are_all_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path, at = _break_three_ways(root)
    found = messages(root)
    for message, line in at.items():
        assert any(m.startswith(f"{path}:{line}: ") and message in m for m in found), (
            message,
            found,
        )
    assert len(found) == 3, found


def test_three_mistakes_through_the_cli(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path, at = _break_three_ways(root)
    run = subprocess.run(
        [sys.executable, "-m", "kit", "check", str(root)],
        capture_output=True,
        text=True,
        check=False,  # the exit code is what is tested
    )
    assert run.returncode == 1, run.stdout + run.stderr
    for message, line in at.items():
        assert re.search(
            rf"^{re.escape(str(path))}:{line}: .*{re.escape(message)}", run.stdout, re.M
        )
    assert "3 problem(s) found." in run.stderr


def _edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> Path:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture out of date: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rel", "old", "new", "count", "expected"),
    [
        # Rules content/SCHEMA.md always promised, now enforced by the schema:
        ("adaptations.yaml", "  - id: tailor", "  - id: tailor\n    x: 1", 1, "unknown field 'x'"),
        ("phases.yaml", "  - id: invoeren", "  - id: invoer", 1, "ids exactly ontwikkeling"),
        ("factors.yaml", "id: context", "id: kontext", 1, "ids exactly ontwikkelaars"),
        ("phases.yaml", "    phase: doen\n", "    phase: willen\n", 1, "change_model must map"),
        (
            "quickscan/instrument.yaml",
            "  - value: 3",
            "  - value: 4",
            1,
            "values exactly 0, 1, 2, 3",
        ),
        (
            "quickscan/instrument.yaml",
            "  - id: organisatie",
            "  - id: organisation",
            1,
            "ids exactly ontwikkelaar, organisatie, professional",
        ),
        (
            "phases.yaml",
            "en: Design the intervention together",
            "en: " + "x" * 81,
            1,
            "longer than 80",
        ),
        (
            "scenarios.yaml",
            "    title:\n      nl: ",
            "    title:\n      nl: " + "x" * 51,
            1,
            "longer than 50",
        ),
        (
            "interventions/samen-sterk.yaml",
            "en: Ten sessions}",
            "en: Ten sessions of ninety minutes}",
            1,
            "longer than 24",
        ),
        (
            "cases/buurtkracht.yaml",
            "narrative:",
            "narrative: {nl: Kort., en: Short.}\nold:",
            1,
            "300-500 words",
        ),
        (
            "ui.yaml",
            "phases.clear: {nl: Wissen, en: Clear}",
            "phases.clear: {nl: Wissen, en: ' '}",
            1,
            "empty translation 'en'",
        ),
        (
            "scenarios.yaml",
            "phase: ontwikkelen",
            "phase: weten",
            9,
            "no scenario for phase(s) ontwikkelen",
        ),
        (
            "quickscan/instrument.yaml",
            "    factor: ontwikkelaars\n    determinant: knowledge\n    text:\n      nl: We krijgen geregeld een opfriscursus.",
            "    factor: gebruikers\n    determinant: knowledge\n    text:\n      nl: We krijgen geregeld een opfriscursus.",
            1,
            "perspective 'professional' has no statement in phase 'blijven-doen' for factor(s) "
            "ontwikkelaars",
        ),
        (
            "cases/buurtkracht.yaml",
            "- perspective: professional",
            "- perspective: organisatie",
            1,
            "a second reading from perspective 'organisatie'",
        ),
        (
            "cases/sterk-opvoeden.yaml",
            "- perspective: professional",
            "- perspective: uitvoerder",
            1,
            "unknown perspective 'uitvoerder' (known: ontwikkelaar, organisatie, professional)",
        ),
        # Rules that lived in tests/test_adaptations.py, now reported by `kit check`:
        ("adaptations.yaml", "    instead:", "    not_instead:", 1, "unknown field 'not_instead'"),
        ("adaptations.yaml", "frame: population", "frame: departing", 1, "uses frame population"),
        (
            "interventions/thuis-op-koers.yaml",
            "{element: network-meeting, type: format}",
            "{element: home-visits, type: format}",
            1,
            "judged red",
        ),
    ],
)
def test_schema_rule_is_reported(
    tmp_path: Path, rel: str, old: str, new: str, count: int, expected: str
) -> None:
    root = copy_content(tmp_path)
    path = _edit(root, rel, old, new, count)
    found = messages(root)
    assert any(m.startswith(f"{path}:") and expected in m for m in found), found


def test_red_needs_an_alternative(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "adaptations.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: remove")
    instead = text.index("    instead:", start)
    end = text.index("\n  - id:", instead)
    path.write_text(text[:instead] + text[end + 1 :], encoding="utf-8")
    line = line_of(path, "  - id: remove")
    assert f"{path}:{line}: types.3: on_kern is red: give 'instead', an alternative" in messages(
        root
    )


def test_too_few_items_are_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    adaptations = root / "adaptations.yaml"
    text = adaptations.read_text(encoding="utf-8")
    adaptations.write_text(text[: text.index("  - id: remove")], encoding="utf-8")
    for name in ("samen-sterk.yaml", "thuis-op-koers.yaml"):
        (root / "interventions" / name).unlink()
    found = messages(root)
    assert any("types: Tuple should have at least 12 items" in m for m in found), found
    assert any(
        m.startswith(f"{root / 'interventions'}:1: needs at least 3 intervention file(s)")
        for m in found
    ), found


def test_file_without_its_opening_comment_is_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "factors.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("#")), encoding="utf-8")
    assert f"{path}:1: start the file with a '#' comment saying what its fields mean" in messages(
        root
    )


# --------------------------------------------------------------------------- reference evidence


def test_every_reference_answer_rests_on_the_case() -> None:
    """Each value quotes its case in both languages; each "don't know" says what is left open."""
    for case in default_content().cases:
        for reading in case.references:
            for sid, answer in reading.scoring.items():
                if answer.value is None:
                    assert answer.open is not None, (case.id, sid)
                else:
                    assert answer.evidence is not None, (case.id, sid)
            assert set(reading.answers) == set(reading.scoring)


def test_every_case_has_a_professional_reading() -> None:
    """Each case is read from the perspective it is told from and from the professionals'; a
    reading answers every statement of its perspective, and most of them from the text."""
    c = default_content()
    told = {"buurtkracht": "organisatie", "schuldmaatjes": "organisatie"}
    for case in c.cases:
        assert case.perspectives == (told.get(case.id, "ontwikkelaar"), "professional"), case.id
        assert case.perspective == case.perspectives[0]
        reading = case.reference_for("professional")
        assert reading is not None and case.reference_for("minister") is None
        assert set(reading.answers) == {s.id for s in c.instrument.statements_for("professional")}
        scored = [v for v in reading.answers.values() if v is not None]
        assert len(scored) >= len(reading.answers) * 2 // 3, case.id


def test_reference_answers_stay_a_plain_mapping() -> None:
    # The scoring code reads `reference.answers` as statement id -> value or None.
    case = default_content().case("sterk-opvoeden")
    reading = case.reference_for("ontwikkelaar")
    assert reading is not None
    assert reading.answers["ont-1-5"] == 0  # "zonder korte beschrijving"
    assert reading.answers["ont-4-2"] == 3  # "twee coachmomenten"
    assert all(v is None or isinstance(v, int) for v in reading.answers.values())
    professional = case.reference_for("professional")
    assert professional is not None
    assert professional.answers["pro-5-4"] == 0  # "De trainers daar horen nooit ..."
    assert professional.answers["pro-3-2"] == 3  # "een proefavond"


def test_a_second_reading_is_checked_at_its_own_lines(tmp_path: Path) -> None:
    """The professional reading of a case is held to the same rules as the first one, and each
    problem points at its own line, not at the first reading's."""
    root = copy_content(tmp_path)
    path = root / "cases" / "schuldmaatjes.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- perspective: professional")
    second = text[start:]
    assert "    pro-4-6:\n" in second and "en: Nothing is recorded about the cases." in second
    second = second.replace("    pro-4-6:\n", "    pro-9-9:\n", 1)
    second = second.replace(
        "en: Nothing is recorded about the cases.", "en: Everything is recorded.", 1
    )
    path.write_text(text[:start] + second, encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    scoring_line = text[:start].count("\n") + 2  # "  scoring:" follows the perspective
    assert lines[scoring_line - 1] == "  scoring:"
    found = messages(root)
    assert sorted(found) == sorted(
        [
            f"{path}:{line_of(path, 'pro-9-9:')}: unknown statement 'pro-9-9' for perspective "
            "'professional'",
            f"{path}:{scoring_line}: reference answers missing for pro-4-6",
            f"{path}:{line_of(path, 'Everything is recorded.')}: evidence for 'pro-4-3' is not "
            'in the en narrative: "Everything is recorded."',
        ]
    ), found


def _answer_block(path: Path, sid: str) -> tuple[str, int]:
    """The text of the file and the index where the answer for ``sid`` starts."""
    text = path.read_text(encoding="utf-8")
    return text, text.index(f"    {sid}:\n")


def test_quote_not_in_the_case_is_reported_with_its_line(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "cases" / "sterk-opvoeden.yaml"
    text, start = _answer_block(path, "ont-1-3")
    quote = "Managers and policy officers in other organisations have never heard of it."
    at = text.index(f"en: {quote}", start)
    invented = "Managers and policy officers in other organisations all know it."
    path.write_text(text[:at] + f"en: {invented}" + text[at + 4 + len(quote) :], encoding="utf-8")
    line = line_of(path, invented)
    found = messages(root)
    assert (
        f"{path}:{line}: evidence for 'ont-1-3' is not in the en narrative: \"{invented}\"" in found
    ), found
    assert len(found) == 1, found  # the Dutch quote still matches


def test_each_quote_of_several_is_checked(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    old = "… ze kent maar één voorbeeld van een gemeente die meebetaalt."
    new = "… ze kent twee gemeenten die meebetalen."
    path = _edit(root, "cases/sterk-opvoeden.yaml", old, new)
    assert messages(root) == [
        f"{path}:{line_of(path, new)}: evidence for 'ont-0-5' is not in the nl narrative: "
        '"ze kent twee gemeenten die meebetalen."'
    ]


def test_quotes_ignore_line_breaks_and_spacing(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "cases" / "sterk-opvoeden.yaml"
    text, start = _answer_block(path, "ont-1-1")
    at = text.index("nl: Een communicatieplan is er niet.", start)
    spaced = 'nl: "Een  communicatieplan\\n is er   niet."'
    path.write_text(text[:at] + spaced + text[at + 36 :], encoding="utf-8")
    assert check(root)[1] == []


def test_null_without_open_is_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "cases" / "buurtkracht.yaml"
    text, n = re.subn(
        r"(    org-5-5:\n      value: null\n)      open:\n        nl: .*\n        en: .*\n",
        r"\1",
        path.read_text(encoding="utf-8"),
    )
    assert n == 1
    path.write_text(text, encoding="utf-8")
    assert messages(root) == [
        f"{path}:{line_of(path, '    org-5-5:')}: references.0.scoring.org-5-5: "
        "null (don't know) needs 'open': say what the case leaves open"
    ]


def test_value_needs_evidence(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "cases" / "buurtkracht.yaml"
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(
        r"(      value: 0\n)      evidence:\n        nl: .*\n        en: .*\n", r"\1", text, count=1
    )
    assert n == 1
    path.write_text(text, encoding="utf-8")
    assert any(
        m.startswith(f"{path}:") and "answer 0 needs 'evidence': quote the sentence" in m
        for m in messages(root)
    )


def test_open_is_only_for_null(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = _edit(
        root,
        "cases/buurtkracht.yaml",
        "      value: null\n      open:",
        "      value: 1\n      open:",
    )
    assert any(
        m.startswith(f"{path}:") and "'open' is only for a null answer (this one is 1)" in m
        for m in messages(root)
    )


def test_layer_contracts_ignore_no_import() -> None:
    """The import contracts see every import, function-level ones included (import-linter reads
    them all): an ignored import is how a cycle such as content -> adaptations -> content hid."""
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    assert contracts
    assert [c["name"] for c in contracts if c.get("ignore_imports")] == []


def test_content_knows_nothing_of_the_logic_above_it() -> None:
    """kit.content imports nothing of kit.adaptations, at module or at function level."""
    import grimp

    graph = grimp.build_graph("kit")
    upward = {
        (i["importer"], i["imported"])
        for m in graph.find_children("kit.content")
        for i in graph.get_import_details(importer=m, imported="kit.adaptations")
    }
    assert upward == set()


def test_an_opening_shared_by_more_than_three_texts_of_a_kind_is_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "adaptations.yaml"
    text = path.read_text(encoding="utf-8")
    openings = [
        "De betekenis van een kernelement staat hier op het spel.",
        "Je verhoogt de dosis:",
        "Minder of kortere kernbijeenkomsten verlagen de dosis van een kernelement.",
    ]
    for opening in openings:  # three kern reasons may share an opening: no problem yet
        assert opening in text, f"fixture out of date: {opening!r}"
        text = text.replace(opening, "Dit rust op " + opening[0].lower() + opening[1:], 1)
    path.write_text(text, encoding="utf-8")
    content, problems = check(root)
    assert content is not None, [str(p) for p in problems]

    fourth = "Er komt nieuwe inhoud bij een kernelement."
    _edit(root, "adaptations.yaml", fourth, "Dit rust op nieuwe inhoud bij een kernelement.")
    found = messages(root)
    flagged = [m for m in found if "'dit rust op …' opens 4 texts" in m]
    lines = sorted(int(m.split(":")[1]) for m in flagged)
    # Each at its `nl: >-` line, the line above the text.
    assert lines == sorted(
        line_of(path, needle) - 1
        for needle in (
            "Dit rust op de betekenis",
            "Dit rust op je verhoogt",
            "Dit rust op minder",
            "Dit rust op nieuwe",
        )
    ), found
    assert all(
        m.startswith(f"{path}:")
        and "of the kind aspects.*.on_kern.reason (nl); at most 3 may share an opening" in m
        for m in flagged
    )
    assert len(found) == 4, found  # the English, and the other kinds, are not touched


def test_phase_texts_teach_embedding_revisiting_and_both_sides_of_wanting() -> None:
    c = default_content()
    borgen = next(t for t in c.glossary.terms if t.id == "borgen")
    assert (borgen.term("nl"), borgen.term("en")) == ("borgen", "embedding")
    assert "geborgd" in c.phase("blijven-doen").goal("nl")
    assert "embedded" in c.phase("blijven-doen").goal("en")
    # Phase 3 is reached when the professionals want it AND the organisation has decided.
    willen = c.phase("willen").goal
    assert "gemotiveerd" in willen("nl") and "formeel besloten" in willen("nl")
    assert "motivated" in willen("en") and "formally decided" in willen("en")
    # The intro of the phases says they build on each other and are passed through again.
    hint = c.ui["phases.pick_hint"]
    assert "bouwen op elkaar voort" in hint("nl") and "plan-do-check-act" in hint("nl")
    assert "terug naar fase 3, willen" in hint("nl")
    assert "build on each other" in hint("en") and "fall back to phase 3, want" in hint("en")
