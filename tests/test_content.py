"""Content loading and validation: the real content loads; broken content is reported in full,
each problem with its file and line; Dutch and English are complete."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kit.__main__ import main
from kit.content import CONTENT_DIR, LANGS, ContentError, check, default_content, load

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
    content = default_content()
    assert [p.number for p in content.phases] == [0, 1, 2, 3, 4, 5]
    assert [p.id for p in content.phases][:2] == ["ontwikkelen", "weten"]
    assert all(len(p.activities) >= 5 and len(p.pitfalls) >= 3 for p in content.phases)
    assert len(content.scenarios) >= 8
    assert {s.phase for s in content.scenarios} == {p.id for p in content.phases}
    assert len(content.factors) == 5


def test_change_model_maps_onto_phases_one_to_five() -> None:
    content = default_content()
    assert [content.phase(c.phase).number for c in content.change_model] == [1, 2, 3, 4, 5]


def _texts(node: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every mapping in the raw YAML that looks like a bilingual text."""
    found = []
    if isinstance(node, dict):
        if set(node) & set(LANGS) and set(node) <= {*LANGS}:
            found.append((path, node))
        for key, value in node.items():
            found += _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _texts(value, f"{path}[{i}]")
    return found


@pytest.mark.parametrize(
    "path", sorted(CONTENT_DIR.rglob("*.yaml")), ids=lambda p: str(p.relative_to(CONTENT_DIR))
)
def test_every_text_has_both_languages(path: Path) -> None:
    texts = _texts(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert texts, f"{path} has no bilingual texts"
    for where, text in texts:
        for lang in LANGS:
            assert isinstance(text.get(lang), str) and text[lang].strip(), (
                f"{path}{where}: no {lang}"
            )


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
    assert any(m.startswith(at('org-0-1: "veel"')) and "valid integer" in m for m in mine), mine
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
