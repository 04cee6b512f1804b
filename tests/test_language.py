"""Issue #11, part 6: proper Dutch, proper English, proper files. Plurals by CLDR rules (no
"deelnemer(s)"), decimal commas and Dutch dates by Babel, one glossary that every English text
follows, and CSV files that Dutch and English Excel open as columns."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from pypdf import PdfReader

from kit import formats, reports
from kit.adaptations import LogEntry
from kit.answers import Adaptations, PhaseGuess, Proposal, ScanAnswers
from kit.content import LANGS, default_content
from kit.present.group import answers_csv
from kit.present.kern import log_csv
from kit.present.texts import Texts
from kit.storage import Store
from tests.test_content import copy_content, line_of, messages

CONTENT = default_content()
NL, EN = Texts(CONTENT, "nl"), Texts(CONTENT, "en")


# --------------------------------------------------------------------------- plurals


def test_plural_forms_follow_the_count_in_both_languages() -> None:
    assert NL.t("group.joined", n=1) == "1 deelnemer doet mee:"
    assert NL.t("group.joined", n=3) == "3 deelnemers doen mee:"
    assert NL.t("group.joined", n=0) == "0 deelnemers doen mee:"
    assert EN.t("group.joined", n=1) == "1 participant taking part:"
    assert EN.t("group.joined", n=2) == "2 participants taking part:"
    assert NL.t("quickscan.compare.gap", n=1) == "1 stap verschil"
    assert EN.t("quickscan.compare.gap", n=2) == "2 steps apart"
    score = NL.t(
        "phases.fit_score",
        points=NL.t("phases.points", n=1),
        choices=NL.t("phases.choices", n=2),
        fits=1,
        next=0,
        early=1,
        late=0,
    )
    assert score.startswith("Score: 1 punt voor 2 keuzes — past nu: 1,")


def test_no_hand_made_plurals_left() -> None:
    """ "deelnemer(s)", "stap(pen)", "antwoord(en)": a text with a count has plural forms."""
    hacks = re.compile(r"\w\((s|en|n|pen|es|ies)\)")
    for key, text in CONTENT.ui.items():
        for lang in LANGS:
            for form in text.forms(lang):
                assert not hacks.search(form), f"{key}.{lang}: {form}"


def test_a_missing_or_extra_plural_form_is_reported_with_its_line(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    ui = root / "ui.yaml"
    text = ui.read_text(encoding="utf-8")
    old = 'en: {one: "{n} participant", other: "{n} participants"}'
    assert old in text
    ui.write_text(
        text.replace(old, 'en: {other: "{n} participants"}')
        .replace(
            'nl: {one: "{n} stap verschil", other: "{n} stappen verschil"}',
            'nl: {one: "{n} stap verschil", other: "stappen verschil"}',
        )
        .replace("phases.clear: {nl: Wissen, en: Clear}", "phases.clear: {nl: Wissen}"),
        encoding="utf-8",
    )
    found = messages(root)
    by = line_of(ui, "group.by:")
    assert f"{ui}:{by}: group.by: en: plural forms must be exactly one, other (got other)" in found
    gap = line_of(ui, "quickscan.compare.gap:")
    assert any(
        m.startswith(f"{ui}:{gap}: quickscan.compare.gap: placeholders differ") for m in found
    )
    clear = line_of(ui, "phases.clear:")
    assert f"{ui}:{clear}: phases.clear.en: missing translation 'en'" in found


# --------------------------------------------------------------------------- numbers and dates


def test_numbers_and_dates_in_each_language() -> None:
    assert formats.number(2.0, "nl") == "2,0" and formats.number(2.0, "en") == "2.0"
    assert formats.percent(0.5, "nl") == "50%"
    assert formats.date("2026-11-24", "nl") == "24 november 2026"
    assert formats.date(dt.date(2026, 3, 1), "en") == "1 March 2026"


def test_quickscan_report_speaks_dutch_numbers_and_dates() -> None:
    case = CONTENT.cases[0]
    answers = dict.fromkeys([s.id for s in CONTENT.instrument.statements_for(case.perspective)], 2)
    answers[next(iter(answers))] = 3
    pdf = reports.quickscan_pdf(NL, case.perspective, case, answers)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    months = (
        "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    )
    assert re.search(rf"Datum \d{{1,2}} ({months}) 20\d\d", text), text[:300]
    text = text.replace(f"versie {CONTENT.instrument.version}", "")
    assert re.search(r"\d,\d", text) and not re.search(r"\b[0-3]\.\d\b", text)


# --------------------------------------------------------------------------- glossary


def test_glossary_is_followed_and_breaking_it_is_reported(tmp_path: Path) -> None:
    glossary = CONTENT.glossary
    assert glossary is not None and len(glossary.terms) >= 10
    terms = {t.id: t.term("en") for t in glossary.terms}
    assert terms["invoeren"] == "putting into practice" and terms["kern"] == "core"
    assert CONTENT.stages[2].name("en") == "Putting into practice"
    root = copy_content(tmp_path)
    ui = root / "ui.yaml"
    text = ui.read_text(encoding="utf-8")
    ui.write_text(text.replace("en: Core and shell}", "en: Kern and schil}", 1), encoding="utf-8")
    phases = root / "phases.yaml"
    text = phases.read_text(encoding="utf-8")
    old = "Schedule regular peer consultation in which practitioners discuss cases"
    phases.write_text(text.replace(old, "Schedule regular intervision sessions"), encoding="utf-8")
    found = messages(root)
    title = line_of(ui, "kern.title:")
    assert (
        f"{ui}:{title}: kern.title: English 'Kern' is not in the glossary: say 'core' (glossary: kern)"
        in found
    )
    at = line_of(phases, "Schedule regular intervision")
    assert any(m.startswith(f"{phases}:{at}: ") and "'intervision'" in m for m in found), found
    assert any(
        m.startswith(f"{phases}:{at}: ") and "should say 'peer consultation'" in m for m in found
    )


def test_english_ui_says_core_and_shell_never_kern_and_schil() -> None:
    for key, text in CONTENT.ui.items():
        for form in text.forms("en"):
            plain = re.sub(r"{\w*}", "", form)
            assert not re.search(r"\b(kern|schil)\b", plain, re.I), f"{key}: {form}"
    assert EN.t("kern.title") == "Core and shell"


# --------------------------------------------------------------------------- CSV files


def _entry() -> LogEntry:
    return LogEntry(
        "2026-11-24",
        "implementation",
        False,
        "team",
        "Sessies",
        "content",
        "group",
        "Inkorten",
        "shortening",
        "red",
        "=cmd",
        "-tijd; winnen",
    )


def test_adaptation_log_csv_in_dutch_excel_and_english() -> None:
    data = log_csv(NL, [_entry()])
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads "ë" right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Datum", "Wanneer", "Gepland", "Besloten door"]
    assert "Soort (FRAME)" in rows[0] and "Kern blijft heel" in rows[0]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Datum"] == "2026-11-24" and row["Gepland"] == "nee"
    assert row["Wanneer"] == "tijdens de implementatie" and row["Soort (FRAME)"] == "inkorten"
    assert row["Oordeel"] == "✗ Rood: raakt de kern" and row["Kern blijft heel"] == "nee"
    assert row["Reden"] == "'=cmd" and row["Doel"] == "'-tijd; winnen"  # formulas neutralised
    en = list(csv.reader(io.StringIO(log_csv(EN, [_entry()]).decode("utf-8-sig"))))
    assert en[0][:3] == ["Date", "When", "Planned"] and en[1][2] == "no"
    assert dict(zip(en[0], en[1], strict=True))["Type (FRAME)"] == "shortening"


def test_kern_pdf_in_dutch_has_no_english_ids_or_doubled_words() -> None:
    item = CONTENT.interventions[0]
    kern = next(e for e in item.elements if e.part == "kern" and not e.overrides)
    proposals = [
        Proposal(element=kern.id, type="tailor", reason="tijd", goal="passend", date="2026-11-24")
    ]
    pdf = reports.kern_pdf(NL, item, proposals)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "24 november 2026" in text and "Gepland: ja" in text
    assert "Reden: tijd" in text and "Reden::" not in text and "Gepland: gepland" not in text
    what = "context" if kern.category == "conditions" else "inhoud"
    assert f"FRAME: op maat maken; gewijzigd: {what}" in text and "tailoring" not in text


def test_group_csv_in_dutch_excel_and_english(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'csv.sqlite3'}")
    info, key = store.create_session("CSV", case_id="buurtkracht", intervention_id="samen-sterk")
    statements = CONTENT.instrument.statements_for("organisatie")
    first = [s for s in statements if s.phase == "ontwikkelen"][:2]
    values = {first[0].id: 2, first[1].id: 3}  # a mean of 2,5
    scenario = CONTENT.scenarios[0]
    item = CONTENT.intervention("samen-sterk")
    kern = next(e for e in item.elements if e.part == "kern" and not e.overrides)
    joined = store.join(info.code, "@Uil")
    for record in (
        ScanAnswers(perspective="organisatie", case="buurtkracht", values=values),
        PhaseGuess(scenario=scenario.id, first=1, last=2),
        Adaptations(
            intervention="samen-sterk",
            proposals=(Proposal(element=kern.id, type="remove", reason="=1+1"),),
        ),
    ):
        store.save(info.code, joined.participant, joined.alias, record)
    subs = store.all_submissions(info.code, key)
    store.dispose()

    data = answers_csv(NL, info.code, subs)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header == [
        "Sessie",
        "Schuilnaam",
        "Oefening",
        "Over",
        "Vraag",
        "Antwoord",
        "Waarde",
        "Toelichting",
        "Bijgewerkt",
    ]
    table = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert {r["Schuilnaam"] for r in table} == {"'@Uil"}  # a formula-like alias is guarded
    scan = [r for r in table if r["Vraag"] == first[0].text("nl")]
    assert scan and scan[0]["Antwoord"].startswith("2 · ") and scan[0]["Waarde"] == "2"
    mean = next(r for r in table if r["Vraag"] == "Gemiddelde score, fase 0 · Ontwikkelen")
    assert mean["Waarde"] == "2,5"
    guess = next(r for r in table if r["Oefening"] == "Welke fase?")
    assert guess["Over"] == scenario.title("nl") and guess["Antwoord"] == "1 · Weten"
    adapt = next(r for r in table if r["Oefening"] == "Kern en schil")
    assert adapt["Antwoord"] == "✗ Rood: raakt de kern" and adapt["Toelichting"] == "Reden: =1+1"
    assert re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d", table[0]["Bijgewerkt"])
    for row in rows[1:]:
        assert all(cell[:1] not in ("=", "+", "-", "@", "\t", "\r") for cell in row), row

    en = list(csv.reader(io.StringIO(answers_csv(EN, info.code, subs).decode("utf-8-sig"))))
    assert en[0][:3] == ["Session", "Alias", "Exercise"] and len(en) == len(rows)
    mean_en = next(r for r in en if r[4] == "Average score, phase 0 · Develop")
    assert mean_en[6] == "2.5"
