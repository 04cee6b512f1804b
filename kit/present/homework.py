"""The teacher's class view of a homework session, as plain data (issue 25 §3): per student what
was handed in, when, whether late, how often, and the scores; the rows of every answer handed in
for the spreadsheet (every field: the FRAME fields of each adaptation included). No projector
framing: this is the teacher's own screen, with names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kit import answers, formats, homework
from kit.adaptations import LOG_FIELDS
from kit.answers import Adaptations, PhaseGuess, Plan, Record, RecordError, ScanAnswers
from kit.formats import Cell, Maker
from kit.homework import Assignment, HandIn
from kit.present.group import CSV_COLUMNS, answer_rows, situation_score
from kit.present.kern import kern_summary, log_cells, to_log
from kit.present.maker import maker_header
from kit.present.texts import Texts
from kit.storage.records import Participant, SessionInfo, Submission

#: The FRAME fields of an adaptation, as the log has them.
FRAME_FIELDS = LOG_FIELDS


@dataclass(frozen=True)
class StudentRow:
    """One student in the class view. ``status`` in words (on time, late, not yet), ``when``
    the newest hand-in's time in words ("" when none), ``times`` how often she handed in,
    ``scores`` one line per exercise handed in."""

    alias: str
    participant: str
    status: str
    late: bool
    handed_in: bool
    when: str
    times: int
    scores: tuple[str, ...]


@dataclass(frozen=True)
class ClassView:
    title: str
    summary: str
    deadline: str
    rows: tuple[StudentRow, ...]


def hand_in_records(hand_in: HandIn) -> list[Record]:
    """The answers in a hand-in, in the order they were given; one the kit cannot read is left
    out here (it stays in the store as handed in)."""
    out = []
    for module, item, payload in hand_in.records:
        try:
            out.append(answers.load(module, item, payload))
        except RecordError:
            continue
    return out


def scores(ctx: Texts, records: Sequence[Record]) -> tuple[str, ...]:
    """One line per exercise in the hand-in: right first answers in "Welke fase?", statements
    answered in the quickscan, the verdicts of the adaptations, the situations right first time,
    the steps of the plan."""
    c = ctx.content
    lines = []
    guesses = [r for r in records if isinstance(r, PhaseGuess)]
    if guesses:
        known = {s.id: s for s in c.scenarios}
        right = sum(
            1
            for g in guesses
            if g.scenario in known and c.phase(known[g.scenario].phase).number == g.first
        )
        lines.append(ctx.t("homework.score.which", right=right, n=len(guesses)))
    for scan in (r for r in records if isinstance(r, ScanAnswers)):
        total = len(c.instrument.statements_for(scan.perspective))
        lines.append(ctx.t("homework.score.quickscan", n=len(scan.values), total=total))
    for kern in (r for r in records if isinstance(r, Adaptations)):
        item = next((i for i in c.interventions if i.id == kern.intervention), None)
        if item is not None:
            entries = to_log(ctx, item, list(kern.proposals))
            summary = kern_summary(ctx, (e.verdict for e in entries))
            lines.append(f"{item.name(ctx.lang)}: {summary.counts}")
    right, done = situation_score(c, records)
    if done:
        lines.append(ctx.t("homework.score.situations", right=right, n=done))
    for plan in (r for r in records if isinstance(r, Plan)):
        lines.append(ctx.t("homework.score.plan", n=len(plan.steps)))
    return tuple(lines)


def class_view(
    ctx: Texts,
    info: SessionInfo,
    work: Assignment,
    people: Sequence[Participant],
    hand_ins: Sequence[HandIn],
    now: dt.datetime,
) -> ClassView:
    """Every student who joined, by name (A-Z, as a teacher looks one up in a class of 25): her
    newest hand-in and its scores; "not handed in yet" (or "not handed in" once the deadline
    passed) for the others."""
    newest = homework.newest(hand_ins)
    counts: dict[str, int] = {}
    for each in hand_ins:
        counts[each.participant] = counts.get(each.participant, 0) + 1
    rows = []
    for p in sorted(people, key=lambda p: (p.alias.casefold(), p.participant)):
        h = newest.get(p.participant)
        if h is None:
            missing = (
                "homework.status.missing" if now >= work.deadline else "homework.status.not_yet"
            )
            rows.append(StudentRow(p.alias, p.participant, ctx.t(missing), False, False, "", 0, ()))
            continue
        status = ctx.t("homework.status.late" if h.late else "homework.status.on_time")
        rows.append(
            StudentRow(
                h.alias,
                p.participant,
                status,
                h.late,
                True,
                formats.date_time(h.at, ctx.lang),
                counts[p.participant],
                scores(ctx, hand_in_records(h)),
            )
        )
    done = sum(r.handed_in for r in rows)
    late = sum(r.late for r in rows)
    return ClassView(
        info.title,
        ctx.t("homework.summary", done=done, n=len(rows), late=late),
        formats.date_time(work.deadline, ctx.lang),
        tuple(rows),
    )


def maker_of(ctx: Texts, info: SessionInfo, hand_in: HandIn) -> Maker:
    """Who made a hand-in, on which case or intervention, when she handed it in."""
    c = ctx.content
    if info.case_id in {k.id for k in c.cases}:
        case = c.case(str(info.case_id))
        return Maker(hand_in.alias, info.code, "case", case.title(ctx.lang), case.id, hand_in.at)
    if info.intervention_id in {i.id for i in c.interventions}:
        item = c.intervention(str(info.intervention_id))
        return Maker(
            hand_in.alias, info.code, "intervention", item.name(ctx.lang), item.id, hand_in.at
        )
    return Maker(hand_in.alias, info.code, made=hand_in.at)


def class_header(ctx: Texts) -> list[str]:
    """The spreadsheet's columns: who and when, the hand-in, the answer, the FRAME fields."""
    return [
        *maker_header(ctx),
        ctx.t("homework.col.number"),
        ctx.t("homework.col.late"),
        *(ctx.t(f"group.csv.col.{k}") for k in CSV_COLUMNS[2:8]),
        *(ctx.t(f"kern.log.col.{k}") for k in FRAME_FIELDS),
    ]


def hand_in_rows(ctx: Texts, info: SessionInfo, hand_in: HandIn) -> Iterator[list[Cell]]:
    """Every answer in one hand-in as rows of :func:`class_header`: an adaptation with all
    its FRAME fields; the other exercises as the group's spreadsheet writes them."""
    from kit.present.maker import maker_cells

    c = ctx.content
    lead = [
        *maker_cells(ctx, maker_of(ctx, info, hand_in)),
        hand_in.number,
        ctx.t("homework.status.late" if hand_in.late else "homework.status.on_time"),
    ]
    blank: list[Cell] = [""] * len(FRAME_FIELDS)
    for record in hand_in_records(hand_in):
        if isinstance(record, Adaptations):
            item = next((i for i in c.interventions if i.id == record.intervention), None)
            if item is None:
                continue
            for e in to_log(ctx, item, list(record.proposals)):
                cells = log_cells(ctx, e)
                frame: list[Cell] = [e.date if k == "date" else cells[k] for k in FRAME_FIELDS]
                yield [
                    *lead,
                    ctx.t("group.csv.exercise.kern"),
                    item.name(ctx.lang),
                    f"{cells['type']} → {cells['element']}",
                    cells["verdict"],
                    None,
                    "",
                    *frame,
                ]
            continue
        sub = Submission(hand_in.participant, hand_in.alias, record, hand_in.at)
        for row in answer_rows(ctx, info.code, [sub]):
            yield [*lead, *row[2:8], *blank]


def class_csv(ctx: Texts, info: SessionInfo, hand_ins: Sequence[HandIn]) -> bytes:
    """Every hand-in (not only the newest: the teacher sees what changed) with every field."""
    rows = [row for h in hand_ins for row in hand_in_rows(ctx, info, h)]
    return formats.csv_bytes(class_header(ctx), rows, ctx.lang)
