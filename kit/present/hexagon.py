"""What the Hexagon exercise shows: the indicators as rating questions, and the feedback on a
team's ratings in words (the verdict is a text label, never a colour only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kit.content import HexagonFile
from kit.hexagon import Judgement, judge
from kit.present.texts import Texts


@dataclass(frozen=True)
class Question:
    id: str
    group: str  # the group's name: "De interventie", "Uw organisatie"
    name: str
    asks: str
    question: str  # names the rating buttons
    options: tuple[tuple[str, int], ...]  # (label, value), "0 · Nee" …


@dataclass(frozen=True)
class Feedback:
    judgement: Judgement
    heading: str
    verdict: str  # the verdict's label, "" while incomplete
    reason: str  # why; or what is still missing
    advice: tuple[tuple[str, str], ...]  # (indicator name, what to do) per weak indicator


def hexagon(ctx: Texts) -> HexagonFile:
    if ctx.content.hexagon is None:
        raise LookupError("content/hexagon.yaml was not loaded")
    return ctx.content.hexagon


def questions(ctx: Texts) -> tuple[Question, ...]:
    hx = hexagon(ctx)
    groups = {g.id: g.name(ctx.lang) for g in hx.groups}
    options = tuple((f"{s.value} · {s.label(ctx.lang)}", s.value) for s in hx.scale)
    return tuple(
        Question(
            i.id,
            groups[i.group],
            i.name(ctx.lang),
            i.asks(ctx.lang),
            i.question(ctx.lang),
            options,
        )
        for i in hx.indicators
    )


def _names(ctx: Texts, ids: tuple[str, ...]) -> str:
    hx = hexagon(ctx)
    return ", ".join(hx.indicator(i).name(ctx.lang).lower() for i in ids)


def feedback(ctx: Texts, ratings: Mapping[str, int | None]) -> Feedback:
    hx = hexagon(ctx)
    j = judge(
        [i.id for i in hx.indicators],
        ratings,
        weak_below=hx.weak_below,
        bottom=min(s.value for s in hx.scale),
    )
    heading = hx.check(ctx.lang)
    advice = tuple((hx.indicator(i).name(ctx.lang), hx.indicator(i).weak(ctx.lang)) for i in j.weak)
    if j.verdict is None:
        return Feedback(
            j, heading, "", hx.missing(ctx.lang).format(missing=_names(ctx, j.missing)), advice
        )
    shown = j.weak if j.verdict != "go" else j.weakest
    verdict = hx.verdict(j.verdict)
    return Feedback(
        j,
        heading,
        verdict.label(ctx.lang),
        verdict.reason(ctx.lang).format(weakest=_names(ctx, shown)),
        advice,
    )


# --------------------------------------------------------------------------- the document


@dataclass(frozen=True)
class Rated:
    """One indicator in the document: where it belongs, what was asked, what was answered."""

    group: str
    name: str
    question: str
    answer: str  # "2 · Grotendeels", or "nog niet beoordeeld"
    value: int | None


@dataclass(frozen=True)
class Report:
    """What the Hexagon document holds, in its language (kit.reports.hexagon_pdf lays it out)."""

    title: str
    intro: str
    feedback: Feedback
    outcome: str  # "Uitkomst: Ga door", or how many indicators are still missing
    rated: str  # "6 van 6 punten beoordeeld"
    rows: tuple[Rated, ...]
    source: str


def answer_label(ctx: Texts, value: int | None) -> str:
    """A rating in words as the buttons name it ("2 · Grotendeels"); a value off the content's
    scale (stored before the scale changed) as the number alone."""
    if value is None:
        return ctx.t("hexagon.pdf.not_rated")
    labels = {s.value: s.label(ctx.lang) for s in hexagon(ctx).scale}
    return f"{value} · {labels[value]}" if value in labels else str(value)


def report(ctx: Texts, ratings: Mapping[str, int | None]) -> Report:
    """The ratings and the kit's feedback as a document: complete or not (a missing rating is
    named, never an error); ratings of indicators this content does not know are left out."""
    hx = hexagon(ctx)
    known = {i.id for i in hx.indicators}
    ratings = {k: v for k, v in ratings.items() if k in known}
    fb = feedback(ctx, ratings)
    done = len(hx.indicators) - len(fb.judgement.missing)
    if fb.verdict:
        outcome = ctx.t("hexagon.pdf.outcome", verdict=fb.verdict)
    else:
        outcome = ctx.t("hexagon.pdf.incomplete", n=len(fb.judgement.missing))
    return Report(
        title=hx.title(ctx.lang),
        intro=hx.intro(ctx.lang),
        feedback=fb,
        outcome=outcome,
        rated=ctx.t("hexagon.pdf.rated", n=done, total=len(hx.indicators)),
        rows=tuple(
            Rated(
                q.group, q.name, q.question, answer_label(ctx, ratings.get(q.id)), ratings.get(q.id)
            )
            for q in questions(ctx)
        ),
        source=hx.source,
    )
