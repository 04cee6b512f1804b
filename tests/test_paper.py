"""The paper fallback of a workshop (`python -m kit paper`), read back as its reader gets it: the
PDF's text (pypdf) holds every statement of the case's perspective with its boxes, and one card
per element of the intervention with its part."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from kit.__main__ import main
from kit.content import default_content
from kit.present.texts import Texts

C = default_content()


def squeezed(text: str) -> str:
    """Text without any white space, so a line break in the PDF does not matter."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("lang", "case_id", "intervention_id"),
    [("nl", None, None), ("en", "schuldmaatjes", "samen-sterk")],
)
def test_the_paper_set_holds_every_statement_and_every_card(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    case_id: str | None,
    intervention_id: str | None,
) -> None:
    out = tmp_path / "papier.pdf"
    argv = ["paper", str(out), "--lang", lang]
    argv += ["--case", case_id] if case_id else []
    argv += ["--intervention", intervention_id] if intervention_id else []
    assert main(argv) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    case = C.case(case_id) if case_id else C.cases[0]
    item = C.intervention(intervention_id) if intervention_id else C.interventions[0]
    ctx = Texts(C, lang)

    pages = [p.extract_text() for p in PdfReader(out).pages]
    statements = C.instrument.statements_for(case.perspective)
    sheet = squeezed(
        "\n".join(p for p in pages if ctx.t("paper.sheet.intro")[:20] in p or "☐" in p)
    )
    assert squeezed(ctx.t("paper.title", case=case.title(lang))) in squeezed(pages[0])
    for number, statement in enumerate(statements, start=1):
        assert squeezed(f"{number}. {statement.text(lang)}") in sheet, statement.id
    boxes = [s.label(lang) for s in C.instrument.scale]
    boxes += [C.instrument.dont_know(lang), C.instrument.not_applicable(lang)]
    assert sheet.count(squeezed("   ".join(f"☐ {b}" for b in boxes))) == len(statements)

    cards = squeezed(
        "\n".join(p for p in pages if ctx.t("paper.cards.title", intervention=item.name(lang)) in p)
    )
    for element in item.elements:
        part = ctx.t("paper.card.part", part=ctx.t(f"kern.part.{element.part}"))
        card = squeezed(f"{element.name(lang)} {part} {element.description(lang)}")
        assert card in cards, element.id
    assert cards.count(squeezed(ctx.t("paper.card.colour"))) == len(item.elements)


def test_an_unknown_case_is_named_with_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "papier.pdf"
    assert main(["paper", str(out), "--case", "buurtkrcht"]) == 2
    err = capsys.readouterr().err
    assert "unknown case 'buurtkrcht' (known: buurtkracht, schuldmaatjes, sterk-opvoeden)" in err
    assert not out.exists()
