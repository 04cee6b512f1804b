"""From scan to plan (#12): proposal rules, plan checks, money, plan files, progress between two
saved scans, the Word and PDF documents, the take-home content, the group tally, and the plan
builder driven through its widgets (no browser)."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import shutil
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from kit import group, plan_docs, quickscan
from kit import plan as logic
from kit.answers import Plan, PlanStep, ScanAnswers, dump, load
from kit.apps.common import Ctx, Status
from kit.content import CONTENT_DIR, check, default_content
from kit.group import Memory, QuickscanGroup
from kit.phases import Fit
from kit.present import plan as view
from kit.present.texts import Texts

C = default_content()


def texts(lang: str = "nl") -> Texts:
    return Texts(C, lang)


def case_plan(case_id: str = "schuldmaatjes", **fields: object) -> Plan:
    case = C.case(case_id)
    values = quickscan.reference_answers(case.references[0].answers)
    scan = ScanAnswers(perspective=case.perspective, case=case.id, values=values)
    return Plan(
        perspective=scan.perspective, case=case.id, source="case", scan=dict(scan.values), **fields
    )


def step(activity: str, **fields: object) -> PlanStep:
    p = case_plan()
    base = logic.new_step(C, p.perspective, activity, p.scan)
    return base.model_copy(update=fields)


# --------------------------------------------------------------------------- proposals


def test_proposals_start_at_the_earliest_weak_phase() -> None:
    p = case_plan()  # schuldmaatjes: phases 2-5 weak, 0-1 mixed
    result = logic.score(C, p.perspective, p.scan)
    assert result.priority == "begrijpen" and logic.team_phase(result) == 2
    found = logic.propose(C, p.perspective, p.scan)
    assert {x.phase for x in found} == {2, 3}  # the team's phase and the next (weak too)
    assert [x.fit for x in found if x.phase == 2] == [Fit.FITS] * 6
    assert all(x.fit is Fit.NEXT for x in found if x.phase == 3)
    first = found[0]
    assert first.phase == 2 and first.statements  # answers a low-scored statement
    # activities answering low scores come before the others of their phase
    in_two = [x for x in found if x.phase == 2]
    assert [bool(x.statements) for x in in_two] == sorted(
        (bool(x.statements) for x in in_two), reverse=True
    )
    why = view.proposal_why(texts(), first)
    assert C.activity(first.activity).why("nl") in why and "laag scoorde" in why


def test_no_proposals_without_answers_and_strong_scan_stays_in_last_phase() -> None:
    assert logic.propose(C, "organisatie", {}) == []
    strong = {s.id: 3 for s in C.instrument.statements_for("organisatie")}
    found = logic.propose(C, "organisatie", strong)
    assert {x.phase for x in found} == {5} and all(x.fit is Fit.FITS for x in found)


def test_new_step_defaults_link_cost_and_indicator() -> None:
    s = step("training-met-coaching")
    assert s.cost == "training" and s.target == 2
    linked = [
        st.id
        for st in C.instrument.statements_for("organisatie")
        if "training-met-coaching" in st.activities
    ]
    assert s.indicator in linked
    assert step("communicatieplan").cost == "coordination"


# --------------------------------------------------------------------------- checks


def issues(p: Plan) -> list[tuple[str, str | None]]:
    return [(f.issue.value, f.activity) for f in logic.check(p, C)]


def test_empty_plan_says_so() -> None:
    assert issues(case_plan()) == [("priority-uncovered", None), ("no-steps", None)]


def test_plan_starting_too_early_is_warned() -> None:
    # Team in phase 2: a training (phase 4) comes too early, the Fasen rule.
    p = case_plan(steps=(step("training-met-coaching", when="2026-12-01"),))
    found = logic.check(p, C)
    assert found[0].issue is logic.Issue.TOO_EARLY and found[0].activity == "training-met-coaching"
    assert found[1].issue is logic.Issue.PRIORITY_UNCOVERED and found[1].phase == 2
    text = view.finding_text(texts(), found[0])
    assert text.startswith("⚠") and "te vroeg" in text
    assert C.phase("doen").if_too_early("nl") in text


def test_complete_plan_has_no_findings_and_next_scan_must_follow() -> None:
    steps = (
        step("informatiebijeenkomst", when="2026-12-07"),
        step("praktijkverhalen", when="2027-W02"),
    )
    p = case_plan(steps=steps, next_scan="2027-03-01", adjust="Extra bijeenkomst per team")
    assert logic.check(p, C) == []
    early = p.model_copy(update={"next_scan": "2026-12-20"})
    assert issues(early) == [("next-scan-too-soon", None)]
    bare = p.model_copy(
        update={"steps": (step("informatiebijeenkomst", indicator=None),), "adjust": " "}
    )
    assert issues(bare) == [
        ("no-when", "informatiebijeenkomst"),
        ("no-indicator", "informatiebijeenkomst"),
        ("no-adjust", None),
    ]


def test_when_accepts_a_date_or_a_week_only() -> None:
    assert PlanStep(activity="a", when="2026-W50").when == "2026-W50"
    with pytest.raises(ValueError):
        PlanStep(activity="a", when="volgende week")
    later = [
        step("werkbezoek", when="2027-01-04"),
        step("factsheet"),
        step("ambassadeurs", when="2026-W50"),
    ]
    assert [s.activity for s in logic.schedule(later)] == [
        "ambassadeurs",
        "werkbezoek",
        "factsheet",
    ]


# --------------------------------------------------------------------------- money


def test_cost_sheet_adds_needs_per_category() -> None:
    assert C.costs is not None
    p = case_plan(
        hour_rate=50,
        steps=(
            step("informatiebijeenkomst", hours=10, money=200, people=3),
            step("werkbezoek", hours=6, money=100),
            step("praktijkverhalen", hours=4, money=1500),
        ),
    )
    sheet = logic.cost_sheet(p, C.costs)
    rows = {r.category: r for r in sheet.rows}
    assert rows["coordination"].hours == 16 and rows["coordination"].money == 300
    assert rows["coordination"].total(50) == 1100
    assert rows["materials"].total(50) == 1700 and rows["materials"].kind == "one-off"
    assert sheet.total("recurring") == 1100 and sheet.total("one-off") == 1700
    assert sheet.total() == 2800
    _, totals = view.cost_rows(texts(), p)
    assert "€ 1.700" in totals and "€ 1.100" in totals
    assert logic.routes_for(C.costs, "recurring") == [
        "structurele-subsidie",
        "inkoop-wmo",
        "inkoop-jeugdwet",
        "open-house",
        "gala-spuk",
        "zorgverzekeraar",
        "eigen-begroting",
    ]


# --------------------------------------------------------------------------- records and files


def test_plan_is_a_record_in_the_answers_contract() -> None:
    p = case_plan(steps=(step("werkbezoek", when="2026-W50", note="met $5 budget"),))
    assert p.key == ("plan", "plan")
    assert load("plan", "plan", dump(p)) == p


def test_plan_file_round_trip_and_refusals() -> None:
    p = case_plan(steps=(step("werkbezoek", when="2026-W50"),), adjust="x")
    text = logic.dump_plan(p, "2026-11-25T10:00:00")
    assert logic.parse_plan(text.encode(), C) == p
    doc = json.loads(text)

    def refused(raw: str | bytes) -> str:
        with pytest.raises(logic.PlanFileError) as err:
            logic.parse_plan(raw, C)
        return err.value.problem.value

    assert refused(b"{niet goed") == "not-json"
    assert refused(b"\xff\xfe") == "not-json"
    assert refused(json.dumps({"kind": "implementatiekit-quickscan"})) == "not-ours"
    assert refused(b" " * 300_000) == "too-large"
    doc["plan"]["steps"][0]["when"] = "morgen"
    assert refused(json.dumps(doc)) == "malformed"
    doc["plan"]["steps"][0]["when"] = ""
    doc["plan"]["steps"][0]["activity"] = "onbekend"
    assert refused(json.dumps(doc)) == "unknown"
    doc["plan"]["steps"] = [doc["plan"]["steps"][0]] * 2
    assert refused(json.dumps(doc)) == "malformed"


# --------------------------------------------------------------------------- progress


def scan_file(tmp_path: Path, name: str, values: dict[str, int | None], saved: str) -> Path:
    scan = ScanAnswers.from_file_values("organisatie", None, values)
    path = tmp_path / name
    path.write_text(quickscan.dump_answers(C.instrument.version, scan, saved), encoding="utf-8")
    return path


def test_progress_between_two_saved_scans(tmp_path: Path) -> None:
    ids = {
        p.id: [s.id for s in C.instrument.statements_for("organisatie") if s.phase == p.id]
        for p in C.phases
    }
    before_values = {sid: 3 for group_ids in ids.values() for sid in group_ids}
    before_values.update({sid: 0 for sid in ids["begrijpen"]})  # weak
    after_values = dict(before_values)
    after_values.update({sid: 3 for sid in ids["begrijpen"]})  # now strong
    after_values.update({sid: 1 for sid in ids["blijven-doen"]})  # got worse
    a = scan_file(tmp_path, "voor.json", before_values, "2026-09-01T10:00:00")
    b = scan_file(tmp_path, "na.json", after_values, "2026-12-01T10:00:00")
    before = logic.parse_scan_file(a.read_bytes(), C)
    after = logic.parse_scan_file(b.read_bytes(), C)
    assert (before.date, after.date) == ("2026-09-01", "2026-12-01")
    indicator = ids["begrijpen"][0]
    p = Plan(
        perspective="organisatie",
        steps=(
            PlanStep(activity="informatiebijeenkomst", indicator=indicator, target=2),
            PlanStep(activity="opfriscursus", indicator=ids["blijven-doen"][0], target=2),
        ),
    )
    prog = logic.progress(
        C,
        logic.snapshot(C, [before.scan], before.date),
        logic.snapshot(C, [after.scan], after.date),
        p,
    )
    assert prog.became_strong == ["begrijpen"] and prog.got_worse == ["blijven-doen"]
    assert [(c.key, c.direction) for c in prog.phases if c.direction != "same"] == [
        ("begrijpen", "up"),
        ("blijven-doen", "down"),
    ]
    assert [i.met for i in prog.indicators] == [True, False]
    spec, alt = view.progress_chart(texts(), prog)
    assert "0% → 100% ↑ ✓" in alt and "100% → 33% ↓ ✗" in alt
    lines = view.progress_lines(texts(), prog)
    assert lines["strong"] == ["2 · Begrijpen"] and lines["worse"] == ["5 · Blijven doen"]
    assert lines["indicators"][0].startswith("✓ gehaald") and lines["indicators"][1].startswith("✗")
    from kit import charts

    assert charts.png(charts.progress_pairs, **spec).startswith(b"\x89PNG")


def test_team_progress_takes_medians() -> None:
    sid = C.instrument.statements_for("organisatie")[0].id
    scans = [ScanAnswers(perspective="organisatie", values={sid: v}) for v in (0, 1, 3)]
    snap = logic.snapshot(C, scans, "2026-12-01")
    assert snap.n == 3 and snap.values[sid] == 1
    assert snap.phases["ontwikkelen"] == pytest.approx(1 / 3)


# --------------------------------------------------------------------------- documents


def full_plan() -> Plan:
    return case_plan(
        steps=(
            step(
                "informatiebijeenkomst",
                when="2026-12-07",
                hours=12,
                money=250,
                people=4,
                who="professionals",
                note="Kosten: $300 – \\alpha",
            ),
            step("praktijkverhalen", when="2027-W02", hours=8, money=600),
            step("training-met-coaching", when="2027-02-01", hours=40, money=3000, people=8),
            step("zorgen-en-belemmeringen", when="2027-01-11", who="organisation"),
            step("werkbezoek", when="2027-01-18", who="funder"),
        ),
        next_scan="2027-04-01",
        adjust="Als collega's afhaken: eerst een extra praktijkverhaal.",
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_plan_docx_has_every_activity_with_its_fields(lang: str) -> None:
    p = full_plan()
    data = plan_docs.plan_docx(texts(lang), p)
    doc = Document(io.BytesIO(data))
    body = "\n".join(par.text for par in doc.paragraphs)
    cells = "\n".join(cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    for s in p.steps:
        v = view.step_view(texts(lang), p, s)
        assert v.activity in body
        for value in (v.who, v.when, v.indicator, v.needs):
            assert value in cells
    assert "Kosten: $300 – \\alpha" in cells  # user text kept as typed
    assert texts(lang).t("plan.pdca.act") in body and p.adjust in body
    assert "€" in cells and (
        texts(lang).t(
            "plan.issue.too-early",
            activity=C.activity("training-met-coaching").text(lang),
            phase="4 · " + C.phase("doen").name(lang),
        )
        in body
    )
    assert doc.core_properties.language == lang


def test_plan_pdf_has_the_expected_pages() -> None:
    p = full_plan()
    data = plan_docs.plan_pdf(texts(), p)
    reader = PdfReader(io.BytesIO(data))
    # Overview, 2 x steps, money; the funding routes run on as far as their texts need.
    assert len(reader.pages) == plan_docs.plan_pages(texts(), p) >= 4
    text = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert "Van scan naar plan" in text[0] and "te vroeg" in text[0]
    assert C.activity("informatiebijeenkomst").text("nl") in text[1]
    assert "$300" in text[1]  # not typeset as mathtext
    assert "Kostenblad" in text[3] and "Wmo" in text[3]
    empty = plan_docs.plan_pdf(texts("en"), case_plan())
    assert len(PdfReader(io.BytesIO(empty)).pages) == plan_docs.plan_pages(texts("en"), case_plan())


def test_checklists_and_werkmap() -> None:
    ids = [p.id for p in C.phases]
    one = PdfReader(io.BytesIO(plan_docs.checklist_pdf(texts("en"), ["willen"])))
    assert len(one.pages) == 1
    page = one.pages[0].extract_text()
    assert "Phase 3 · Want: checklist" in page
    assert C.checklist("willen").checklist[0]("en")[:30] in page.replace("\n", " ")
    doc = Document(io.BytesIO(plan_docs.checklist_docx(texts(), ["doen"])))
    body = "\n".join(par.text for par in doc.paragraphs)
    assert all(t("nl") in body for t in C.checklist("doen").checklist)
    assert all(t("nl") in body for t in C.checklist("doen").tips)
    p = full_plan()
    werkmap = PdfReader(io.BytesIO(plan_docs.werkmap_pdf(texts(), p)))
    assert len(werkmap.pages) == plan_docs.plan_pages(texts(), p) + len(ids)
    wdoc = Document(io.BytesIO(plan_docs.werkmap_docx(texts("en"), p)))
    heads = [par.text for par in wdoc.paragraphs if par.style.name.startswith("Heading 1")]
    assert sum(h.startswith("Phase ") for h in heads) == 6


# --------------------------------------------------------------------------- content


def test_checklists_cover_every_phase_in_both_languages() -> None:
    assert [c.phase for c in C.checklists] == [p.id for p in C.phases]
    for item in C.checklists:
        assert 5 <= len(item.checklist) <= 8 and 3 <= len(item.tips) <= 5
    assert C.costs is not None
    assert {r.id for r in C.costs.routes} >= {
        "gemeentelijke-subsidie",
        "structurele-subsidie",
        "inkoop-wmo",
        "inkoop-jeugdwet",
        "open-house",
        "gala-spuk",
        "zorgverzekeraar",
        "zonmw",
        "esf-plus",
        "fondsen",
        "eigen-begroting",
    }
    sources = {s.id: s for s in C.costs.sources}
    for r in C.costs.routes:
        assert r.source in sources and set(r.also) <= set(sources)
    # The contracting routes rest on the 2022 law, read in its published text.
    assert {r.source for r in C.costs.routes if r.id.startswith("inkoop")} == {"wet-mvi"}
    assert (
        "Staatsblad 2022, 188" in sources["wet-mvi"].citation and sources["wet-mvi"].seen == "read"
    )
    # Every source a route names is one we read (none is recalled or the kit's own notes).
    used = {r.source for r in C.costs.routes} | {a for r in C.costs.routes for a in r.also}
    assert used == set(sources) and all(sources[u].seen == "read" for u in used)


def test_cost_and_checklist_mistakes_are_located(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    costs = root / "costs.yaml"
    text = costs.read_text(encoding="utf-8")
    text = text.replace(
        "activities: [aanspreekpunt-ontwikkelaar]", "activities: [aanspreekpunt-ontwikel]"
    )
    text = text.replace("    source: wet-mvi\n", "    source: jeugd\n", 1)
    text = text.replace("    also: [nissewaard-2024]", "    also: [nissewaard-2042]")
    costs.write_text(text, encoding="utf-8")
    lists = root / "checklists.yaml"
    lists.write_text(
        lists.read_text(encoding="utf-8").replace("  - phase: willen", "  - phase: wilen"),
        encoding="utf-8",
    )
    content, problems = check(root)
    assert content is None
    found = [str(p) for p in problems]

    def line(path: Path, needle: str) -> int:
        return next(n for n, t in enumerate(path.read_text().splitlines(), 1) if needle in t)

    known = ", ".join(s.id for s in C.costs.sources) if C.costs else ""

    assert any(
        m.endswith(
            f"costs.yaml:{line(costs, 'aanspreekpunt-ontwikel')}: unknown activity 'aanspreekpunt-ontwikel' (known: co-design, veranderingstheorie, kern-en-schil, handboek-en-training, pilot-met-procesevaluatie, lokale-verkenning, budget-voor-verspreiding, communicatieplan, databank-en-nieuwsbrief, presentatie-in-teams, sleutelfiguren-benaderen, factsheet, vindbaar-aanspreekpunt, informatiebijeenkomst, praktijkverhalen, resultaten-in-gewone-taal, werkbezoek, wat-verandert-er, kern-schil-uitleggen, proefsessie, zorgen-en-belemmeringen, ambassadeurs, managementbesluit, afspraken-kern-schil, implementatieplan, training-met-coaching, intervisie, klein-beginnen-pdca, uitvoering-registreren, aanspreekpunt-ontwikkelaar, evaluatieoverleg, inbedden-in-werkprocessen, inwerkprogramma, structurele-financiering, blijven-monitoren, opfriscursus, train-de-trainer)"
        )
        for m in found
    ), found
    assert any(
        m.endswith(
            f"costs.yaml:{line(costs, 'source: jeugd')}: unknown source 'jeugd' (known: {known})"
        )
        for m in found
    ), found
    assert any(
        m.endswith(
            f"costs.yaml:{line(costs, 'nissewaard-2042')}: unknown source 'nissewaard-2042' (known: {known})"
        )
        for m in found
    ), found
    assert any("checklists.yaml" in m and "wilen" in m for m in found), found


# --------------------------------------------------------------------------- group


def test_group_tally_and_median_scan() -> None:
    from kit.storage import Submission

    now = dt.datetime(2026, 11, 25, 10, 0)
    plans = [
        Plan(
            perspective="organisatie",
            steps=(PlanStep(activity="werkbezoek"), PlanStep(activity="praktijkverhalen")),
        ),
        Plan(perspective="organisatie", steps=(PlanStep(activity="werkbezoek"),)),
        Plan(perspective="organisatie", steps=(PlanStep(activity="onbekend"),)),
    ]
    subs = [
        Submission(participant=f"p{i}", alias=f"a{i}", record=r, updated_at=now)
        for i, r in enumerate(plans)
    ]
    assert group.plan_tally(subs, C) == [("werkbezoek", 2), ("praktijkverhalen", 1)]
    g = QuickscanGroup({}, {"a": {"org-0-1": 1}, "b": {"org-0-1": 2}}, {})
    assert group.median_scan(g, "organisatie", None).values == {"org-0-1": 1}


# --------------------------------------------------------------------------- the app, without a browser


def test_builder_from_case_scan_to_files() -> None:
    from kit.apps.plan_app import build_plan
    from tests.test_apps import find

    ctx = Ctx(C, "nl", Status(), Memory())
    box = build_plan(ctx)
    tabs = find(box, "kit-plan-tabs")
    source = find(box, "kit-plan-source")
    source.value = "case:schuldmaatjes"
    find(box, "kit-plan-use-scan").click()
    boxes = [b for b in _all(box) if "kit-proposal-box" in b._dom_classes]
    assert len(boxes) == 12 and "✓" in boxes[0].description
    boxes[0].value = boxes[1].value = True
    find(box, "kit-plan-other").value = "training-met-coaching"
    find(box, "kit-plan-apply").click()
    builder = box.builder
    assert [s.activity for s in builder.plan.steps][-1] == "training-met-coaching"
    assert len(builder.plan.steps) == 3
    tabs.selected_index = 1
    findings = find(box, "kit-plan-findings").value
    assert "te vroeg" in findings and "⚠" in findings
    when = find(box, "kit-step-when")
    when.value = "volgende week"
    assert "geen datum of week" in _html(box) and builder.plan.steps[0].when == ""
    when.value = "2026-W50"
    assert builder.plan.steps[0].when == "2026-W50"
    assert ctx.memory.find(Plan) == builder.plan  # saved as the user goes
    find(box, "kit-step-remove").click()
    assert len(builder.plan.steps) == 2
    tabs.selected_index = 2
    assert "kit-table" in find(box, "kit-cost-sheet").value
    tabs.selected_index = 3
    find(box, "kit-plan-make-docx").click()
    assert "kit-plan-docx-link" in find(box, "kit-downloads").value
    upload = find(box, "kit-plan-load")
    before = builder.plan
    upload.value = (
        {
            "name": "kapot.json",
            "content": memoryview(b"{kapot"),
            "type": "application/json",
            "size": 6,
            "last_modified": dt.datetime.now(dt.UTC),
        },
    )
    assert "kapot.json is niet geladen" in find(box, "kit-plan-load-message").value
    assert builder.plan == before
    assert ctx.status.value == ""


def _all(widget: object) -> list[object]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _all(child)
    return out


def _html(widget: object) -> str:
    return " ".join(
        value for x in _all(widget) if isinstance(value := getattr(x, "value", None), str)
    )


def test_progress_tab_with_two_saved_scans(tmp_path: Path) -> None:
    from kit.apps.plan_app import build_plan
    from tests.test_apps import find

    ids = [s.id for s in C.instrument.statements_for("organisatie") if s.phase == "begrijpen"]
    weak = scan_file(tmp_path, "a.json", dict.fromkeys(ids, 0), "2026-09-01T09:00:00")
    strong = scan_file(tmp_path, "b.json", dict.fromkeys(ids, 3), "2026-12-01T09:00:00")
    ctx = Ctx(C, "nl", Status(), Memory())
    box = build_plan(ctx)
    find(box, "kit-plan-tabs").selected_index = 4

    def upload(css: str, *paths: Path) -> None:
        find(box, css).value = tuple(
            {
                "name": p.name,
                "content": memoryview(p.read_bytes()),
                "type": "application/json",
                "size": p.stat().st_size,
                "last_modified": dt.datetime.now(dt.UTC),
            }
            for p in paths
        )

    result = find(box, "kit-progress-result")
    upload("kit-progress-before", weak)
    assert "Laad een eerdere en een nieuwe scan" in result.value
    upload("kit-progress-after", strong, strong)  # a team of two
    assert "2 nieuwe scans geladen" in find(box, "kit-progress-message").value
    assert "Was zwak, nu sterk</b><ul><li>2 · Begrijpen" in result.value
    assert result.value.count("<img") == 2 and "n=2" in result.value
    upload("kit-progress-after", tmp_path / "a.json", _bad(tmp_path))
    assert "kapot.json is niet geladen" in find(box, "kit-progress-message").value
    assert "Was zwak, nu sterk</b><ul><li>2 · Begrijpen" in result.value  # unchanged


def _bad(tmp_path: Path) -> Path:
    path = tmp_path / "kapot.json"
    path.write_text('{"kind": "implementatiekit-quickscan"}')
    return path


# --------------------------------------------------------------------------- where the plan is reached


def test_dashboard_tallies_plans_and_offers_the_group_median(tmp_path: Path) -> None:
    from kit import reports
    from kit.apps.group_app import Dashboard
    from kit.group import SessionClient
    from kit.present.group import answers_csv
    from kit.storage import Store

    store = Store(f"sqlite:///{tmp_path / 'plans.sqlite3'}")
    info, key = store.create_session("Plannen", case_id="schuldmaatjes")
    ids = [s.id for s in C.instrument.statements_for("organisatie")]
    for n, alias in enumerate(["Uil", "Vos"]):
        client = SessionClient(store, store.join(info.code, alias, ""))
        client.save(
            ScanAnswers(
                perspective="organisatie", case="schuldmaatjes", values=dict.fromkeys(ids, n + 1)
            )
        )
        steps = (step("werkbezoek", when="2026-W50", note="met de wijk"),) + (
            (step("praktijkverhalen"),) if n else ()
        )
        client.save(case_plan(steps=steps))
    ctx = Ctx(C, "nl", Status())
    found = store.session(info.code)
    assert found is not None
    dash = Dashboard(ctx, store, found, key, new_key=False)
    dash._timer_on(False)
    werkbezoek = C.activity("werkbezoek").text("nl")
    verhalen = html.escape(C.activity("praktijkverhalen").text("nl"))
    panel = dash.plans.value
    assert f"<li>{werkbezoek} <span class='kit-muted'>(2)</span>: 2 deelnemers</li>" in panel
    assert f"<li>{verhalen} <span class='kit-muted'>(2)</span>: 1 deelnemer</li>" in panel
    assert panel.index(werkbezoek) < panel.index(verhalen)  # most often first
    dash.median.click()
    assert "kit-median-link" in dash.links.value
    # the median file opens in the plan builder: per statement the lower middle of 1 and 2
    import base64
    import re

    data = base64.b64decode(re.search(r"base64,([^\"]+)", dash.links.value).group(1))  # type: ignore[union-attr]
    dated = logic.parse_scan_file(data, C)
    assert set(dated.scan.values.values()) == {1} and dated.scan.case == "schuldmaatjes"
    dash.group_plan.click()  # one plan for the group, from its median
    together = dash.plan_holder.children[0].builder.plan
    assert together.source == "group" and set(together.scan.values()) == {1}
    assert "mediaan van de groep" in view.scan_line(Texts(C, "nl"), together)
    rows = answers_csv(ctx, info.code, dash.subs).decode("utf-8-sig")
    assert rows.count(werkbezoek) == 2 and "met de wijk" in rows
    text = " ".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(reports.group_pdf(ctx, found, dash.subs))).pages
    )
    assert "Activiteiten in de plannen" in text
    store.dispose()


def test_quickscan_result_opens_the_plan_on_its_scan() -> None:
    from kit.apps.quickscan_app import build_quickscan
    from tests.test_apps import find

    ctx = Ctx(C, "nl", Status(), Memory())
    box = build_quickscan(ctx)
    view_ = box.view
    view_.perspective.value = "organisatie"
    view_.case.value = "schuldmaatjes"
    for sid in [
        s.id for s in C.instrument.statements_for("organisatie") if s.phase == "ontwikkelen"
    ]:
        view_.answer(sid, 0)
    box.children[-1].selected_index = 1  # the result tab
    find(box, "kit-to-plan").click()
    plan = find(box, "kit-plan").builder.plan
    assert plan.case == "schuldmaatjes" and plan.source == "own" and len(plan.scan) == 5
    assert logic.team_phase(logic.score(C, plan.perspective, plan.scan)) == 0
    assert ctx.status.value == ""


def test_phases_app_downloads_a_phase_checklist() -> None:
    from kit.apps.phases_app import build_phases
    from tests.test_apps import find

    ctx = Ctx(C, "en", Status(), Memory())
    box = build_phases(ctx)
    assert find(box, "kit-checklist-pdf") is not None
    find(box, "kit-phase-picker").value = 4
    find(box, "kit-checklist-docx").click()
    links = find(box, "kit-checklist-links").value
    assert "kit-checklist-docx-link" in links and "checklist-4-doen-en.docx" in links
    find(box, "kit-checklist-pdf").click()
    assert "checklist-4-doen-en.pdf" in find(box, "kit-checklist-links").value


def test_workshop_page_ends_with_the_plan() -> None:
    from kit.apps.workshop import participant_page
    from tests.test_apps import find

    frame = participant_page(lang="nl")
    tabs = find(frame, "kit-workshop-tabs")
    assert tabs.get_title(3) == "4 · Plan"
    tabs.selected_index = 3
    assert find(frame, "kit-plan-tabs") is not None
