"""What the Kern-en-schil screens and reports show, as plain data: the learner's proposals, the
verdict labels and the FRAME log. No widgets."""

from __future__ import annotations

from kit import adaptations
from kit.adaptations import SYMBOL, Judgement, LogEntry
from kit.answers import Proposal
from kit.content import Intervention
from kit.present.texts import Texts


def verdict_label(ctx: Texts, verdict: str) -> str:
    return f"{SYMBOL[verdict]} {ctx.t(f'kern.verdict.{verdict}')}"


def basis_label(ctx: Texts, judgement: Judgement) -> str:
    """What the verdict rests on: the aspect the adaptation changes and the element's part, so
    a green verdict on a kern element reads as "surface of a core element", not "shell"."""
    if judgement.aspect is None:
        return ""
    return ctx.t(
        "kern.basis",
        aspect=judgement.aspect.name(ctx.lang),
        part=ctx.t(f"kern.part.{judgement.part}"),
    )


def to_log(ctx: Texts, item: Intervention, proposals: list[Proposal]) -> list[LogEntry]:
    c, lang = ctx.content, ctx.lang
    entries = []
    for p in proposals:
        element = item.element(p.element)
        kind = c.adaptation_type(p.type)
        j = adaptations.judge(item, p.element, p.type, c.adaptation_types)
        entries.append(
            LogEntry(
                date=p.date,
                when=p.when,
                planned=p.planned,
                who=p.who,
                element=element.name(lang),
                what=adaptations.CATEGORY_TO_WHAT[element.category],
                level=p.level,
                type=kind.name(lang),
                frame_type=kind.frame,
                verdict=j.verdict,
                reason=p.reason,
                goal=p.goal,
            )
        )
    return entries
