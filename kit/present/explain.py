"""What the content already holds to teach with, as plain data for the Quickscan's result and
compare views (issue 25 §1, "show what is already written"):

- the **evidence** behind each reference answer of a case: the sentences of the narrative it
  rests on, or what the case leaves open. It gives the reference away, so it follows the
  reference's own rule: :func:`reference_evidence` returns nothing while the reference is held
  back (a led room before the trainer's reveal, homework before its release, a link with
  ``reference=0``);
- the **factor groups**' descriptions and their promoting and hindering examples;
- the **glossary** terms a view uses, each with a short explanation for the learner.

The glossary (content/glossary.yaml) says how to recognise a term in a text; its notes are for
translators, so the learner's explanation of term ``id`` is the ui text ``explain.term.<id>``,
in both languages. No widgets, no HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from kit import quickscan
from kit.content import Case
from kit.content.models import QUOTE_GAP, GlossaryTerm
from kit.present.quickscan import answer_label, factor_lines, phase_label
from kit.present.texts import Texts
from kit.quickscan import Result

# --------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Evidence:
    """What one reference answer rests on. ``quotes``: the narrative's own sentences (empty for
    a "don't know"); ``open``: what the case leaves open ("" for a scored answer)."""

    statement_id: str
    phase_id: str
    statement: str
    answer: str
    label: str
    quotes: tuple[str, ...]
    open: str


def reference_evidence(
    ctx: Texts, case: Case | None, perspective: str, *, shown: bool
) -> tuple[Evidence, ...]:
    """The evidence behind ``case``'s reference reading from ``perspective``, in the
    instrument's order.

    Empty while the reference is held back (``shown`` False: the same gate that holds the
    reference itself), for the learner's own situation and for a perspective the case has no
    reading from."""
    if not shown or case is None:
        return ()
    reference = case.reference_for(perspective)
    if reference is None:
        return ()
    lang = ctx.lang
    values = quickscan.reference_answers(reference.answers)  # null is "don't know"
    found = []
    for s in ctx.content.instrument.statements_for(perspective):
        given = reference.scoring.get(s.id)
        if given is None:  # the content check requires every statement; never guess one
            continue
        answer = answer_label(ctx, values[s.id])
        if given.evidence is not None:
            quotes = tuple(q.strip() for q in given.evidence(lang).split(QUOTE_GAP) if q.strip())
            label = ctx.t("explain.evidence.quote", answer=answer)
            open_text = ""
        else:
            quotes = ()
            label = ctx.t("explain.evidence.open", answer=answer)
            open_text = given.open(lang) if given.open is not None else ""
        found.append(Evidence(s.id, s.phase, s.text(lang), answer, label, quotes, open_text))
    return tuple(found)


@dataclass(frozen=True)
class PhaseEvidence:
    """The evidence of one phase, under the phase's label ("2 · Begrijpen")."""

    phase: str
    items: tuple[Evidence, ...]


def evidence_by_phase(ctx: Texts, evidence: Iterable[Evidence]) -> tuple[PhaseEvidence, ...]:
    """``evidence`` grouped by phase, in phase order (phases without any left out)."""
    items = tuple(evidence)
    return tuple(
        PhaseEvidence(phase_label(ctx, p), tuple(e for e in items if e.phase_id == p.id))
        for p in ctx.content.phases
        if any(e.phase_id == p.id for e in items)
    )


# --------------------------------------------------------------------------- factor groups


@dataclass(frozen=True)
class FactorGroup:
    """One factor group as the result shows it: its score line, and what it covers with
    examples that help and that get in the way."""

    factor_id: str
    line: str
    description: str
    promoting_label: str
    promoting: tuple[str, ...]
    hindering_label: str
    hindering: tuple[str, ...]


def factor_groups(ctx: Texts, result: Result) -> tuple[FactorGroup, ...]:
    """Every factor group in content order, with its line of the result (score and level)."""
    lang = ctx.lang
    return tuple(
        FactorGroup(
            factor_id=f.id,
            line=line,
            description=f.description(lang),
            promoting_label=ctx.t("explain.factors.promoting"),
            promoting=tuple(t(lang) for t in f.promoting),
            hindering_label=ctx.t("explain.factors.hindering"),
            hindering=tuple(t(lang) for t in f.hindering),
        )
        for f, line in zip(ctx.content.factors, factor_lines(ctx, result), strict=True)
    )


# --------------------------------------------------------------------------- glossary


@dataclass(frozen=True)
class Term:
    """A glossary term in the view's language and what it means."""

    term_id: str
    term: str
    explanation: str


def _source(term: GlossaryTerm, lang: str) -> str:
    """Where a text in ``lang`` uses ``term``: the glossary's own pattern for the language (the
    English one is what the English of a text using the term contains)."""
    return term.nl_match if lang == "nl" else term.en_match


@lru_cache(maxsize=8)
def _matcher(sources: tuple[str, ...]) -> Callable[[str], int]:
    """For one glossary in one language: which terms one text uses, as a bit mask. Each pattern
    counts from the start of a word, in any case ("core" is found in "Core elements", not in
    "score"), and is searched per text, so it may anchor on a whole text (``^…$``). Kept per
    text: a view shows mostly the same content texts again after every answer, and searching
    them all each time took ~7 ms CPU an answer, twice the rest of the update."""
    patterns = [re.compile(rf"\b(?:{source})", re.IGNORECASE) for source in sources]

    @lru_cache(maxsize=4096)
    def mask(text: str) -> int:
        return sum(1 << i for i, p in enumerate(patterns) if p.search(text))

    return mask


def terms_in(ctx: Texts, texts: Iterable[str]) -> tuple[Term, ...]:
    """The glossary terms ``texts`` (in ``ctx``'s language) use, in the glossary's order, each
    once."""
    glossary = ctx.content.glossary
    if glossary is None:
        return ()
    matcher = _matcher(tuple(_source(term, ctx.lang) for term in glossary.terms))
    used = 0
    for text in set(texts):
        used |= matcher(text)
    return tuple(
        Term(term.id, term.term(ctx.lang), ctx.t(f"explain.term.{term.id}"))
        for i, term in enumerate(glossary.terms)
        if used >> i & 1
    )


_TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=32)  # a view shows the same folds again after every answer
def visible_texts(html_text: str) -> tuple[str, ...]:
    """The texts between the tags of an HTML fragment the kit made (every content text in it
    escaped, so no ``<`` inside a text), entities resolved: what a view shows in words.

    >>> visible_texts("<p>De <b>kern</b> &amp; de schil</p>")
    ('De', 'kern', '& de schil')
    """
    return tuple(
        (html.unescape(t) if "&" in t else t).strip() for t in _TAG.split(html_text) if t.strip()
    )


def terms_shown(ctx: Texts, *html_parts: str) -> tuple[Term, ...]:
    """The glossary terms the rendered ``html_parts`` show (see :func:`terms_in`)."""
    return terms_in(ctx, [t for part in html_parts for t in visible_texts(part)])


# --------------------------------------------------------------------------- the advice's grounds


@dataclass(frozen=True)
class PhaseGrounds:
    """What the advice for one phase rests on, for the quickscan report: the phase's label,
    the factor groups of the statements advised on (what each covers, with examples), and the
    reference's evidence for those statements (empty while the reference is held back, or for
    the learner's own situation)."""

    phase: str
    factors: tuple[FactorGroup, ...]
    evidence: tuple[Evidence, ...]


def advice_grounds(
    ctx: Texts,
    perspective: str,
    answers: quickscan.Answers,
    result: Result,
    evidence: Iterable[Evidence] = (),
) -> tuple[PhaseGrounds, ...]:
    """Per phase of the advice (phase order), the factor groups and the evidence behind the
    statements advised on; ``evidence`` is :func:`reference_evidence` (gated there). A factor
    group stands under the first phase that needs it only: read once, not once per phase."""
    statements = {s.id: s for s in ctx.content.instrument.statements_for(perspective)}
    advised = quickscan.advice(list(statements.values()), answers, result)
    groups = {g.factor_id: g for g in factor_groups(ctx, result)}
    grounds = {e.statement_id: e for e in evidence}
    explained: set[str] = set()
    found = []
    for phase in ctx.content.phases:
        ids = [a.statement_id for a in advised if a.phase == phase.id]
        if not ids:
            continue
        factors = {statements[i].factor for i in ids} - explained
        explained |= factors
        found.append(
            PhaseGrounds(
                phase=phase_label(ctx, phase),
                factors=tuple(g for f, g in groups.items() if f in factors),
                evidence=tuple(grounds[i] for i in ids if i in grounds),
            )
        )
    return tuple(found)
