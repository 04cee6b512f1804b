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
