"""Kern en schil: verdicts on adaptations, pure and table-driven.

The colour depends on the element touched: the same kind of change may be green on a schil element
and red on a kern element. An intervention may override the general rule for one of its elements
(for instance when its developer has tested an online version of a kern session).

* **green** — stays in the schil; the kern and programme logic stay intact.
* **amber** — possible, but plan it with the developer.
* **red** — touches the kern; avoid, and look at the alternative.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kit.content import AdaptationType, Intervention, Situation, Text, Verdict

#: Shape-and-text markers: a verdict is never shown by colour alone.
SYMBOL: dict[str, str] = {"green": "✓", "amber": "!", "red": "✗"}


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: Text
    overridden: bool  # the intervention overrides the general rule for this element
    instead: Text | None  # general advice for a red verdict
    alternatives: tuple[str, ...]  # schil element ids where the same change would be green

    @property
    def symbol(self) -> str:
        return SYMBOL[self.verdict]

    @property
    def keeps_kern(self) -> bool:
        return self.verdict != "red"


def judge(
    intervention: Intervention, element_id: str, type_id: str, types: Sequence[AdaptationType]
) -> Judgement:
    """The verdict for applying adaptation ``type_id`` to ``element_id``.

    >>> from kit.content import default_content
    >>> c = default_content()
    >>> i = c.interventions[0]
    >>> kern = next(e for e in i.elements if e.part == "kern" and not e.overrides)
    >>> judge(i, kern.id, "remove", c.adaptation_types).verdict
    'red'
    >>> schil = next(e for e in i.elements if e.part == "schil" and not e.overrides)
    >>> judge(i, schil.id, "tailor", c.adaptation_types).verdict
    'green'
    """
    element = intervention.element(element_id)
    kind = next(t for t in types if t.id == type_id)
    override = next((o for o in element.overrides if o.type == type_id), None)
    if override is not None:
        verdict, reason = override.verdict, override.reason
    else:
        rule = kind.on_kern if element.part == "kern" else kind.on_schil
        verdict, reason = rule.verdict, rule.reason
    alternatives: tuple[str, ...] = ()
    if verdict == "red":
        alternatives = tuple(
            e.id
            for e in intervention.elements
            if e.id != element_id
            and e.part == "schil"
            and _plain_verdict(intervention, e.id, kind) == "green"
        )
    return Judgement(verdict, reason, override is not None, kind.instead, alternatives)


def _plain_verdict(intervention: Intervention, element_id: str, kind: AdaptationType) -> str:
    element = intervention.element(element_id)
    override = next((o for o in element.overrides if o.type == kind.id), None)
    if override is not None:
        return override.verdict
    return (kind.on_kern if element.part == "kern" else kind.on_schil).verdict


@dataclass(frozen=True)
class Summary:
    green: int
    amber: int
    red: int

    @property
    def total(self) -> int:
        return self.green + self.amber + self.red

    @property
    def outlook(self) -> str:
        """What the set of adaptations means for the expected effect (a UI key suffix).

        >>> Summary(2, 0, 0).outlook, Summary(2, 1, 0).outlook, Summary(0, 0, 1).outlook
        ('intact', 'consult', 'at-risk')
        >>> Summary(0, 0, 0).outlook
        'none'
        """
        if self.total == 0:
            return "none"
        if self.red:
            return "at-risk"
        return "consult" if self.amber else "intact"


def summarise(verdicts: Iterable[str]) -> Summary:
    """Count verdicts.

    >>> summarise(["green", "red", "green", "amber"])
    Summary(green=2, amber=1, red=1)
    """
    counts = Counter(verdicts)
    return Summary(counts["green"], counts["amber"], counts["red"])


@dataclass(frozen=True)
class ExerciseFeedback:
    judgement: Judgement
    is_good: bool  # one of the answers a good response would choose
    good: tuple[tuple[str, str], ...]  # (element id, type id) of the good answers


def grade(
    intervention: Intervention,
    situation: Situation,
    element_id: str,
    type_id: str,
    types: Sequence[AdaptationType],
) -> ExerciseFeedback:
    """Feedback on a learner's choice for an exercise situation."""
    good = tuple((g.element, g.type) for g in situation.good)
    return ExerciseFeedback(
        judge(intervention, element_id, type_id, types), (element_id, type_id) in good, good
    )


# ----------------------------------------------------------------------------- FRAME log

FRAME_WHEN = ("pre-implementation", "implementation", "scale-up", "sustainment")
FRAME_WHO = ("developer", "management", "team", "practitioner", "funder", "participants")
FRAME_WHAT = ("content", "context", "training", "implementation")
FRAME_LEVEL = ("individual", "group", "practitioner", "organisation", "network")
#: Element category -> what FRAME calls the thing modified.
CATEGORY_TO_WHAT = {"content": "content", "method": "content", "conditions": "context"}


@dataclass(frozen=True)
class LogEntry:
    """One adaptation in FRAME terms (Wiltsey Stirman et al. 2019)."""

    date: str
    when: str
    planned: bool
    who: str
    element: str
    what: str
    level: str
    type: str
    frame_type: str
    verdict: str
    reason: str
    goal: str

    @property
    def fidelity_consistent(self) -> bool:
        return self.verdict != "red"


LOG_FIELDS = (
    "date",
    "when",
    "planned",
    "who",
    "element",
    "what",
    "level",
    "type",
    "frame_type",
    "verdict",
    "kern_kept",
    "reason",
    "goal",
)


def log_csv(entries: Sequence[LogEntry]) -> str:
    """The adaptation log as CSV (one row per adaptation, header first).

    >>> e = LogEntry("2026-11-24", "implementation", True, "team", "Sessies", "content",
    ...              "group", "Inkorten", "shortening", "red", "budget, cut", "")
    >>> print(log_csv([e]).splitlines()[1])
    2026-11-24,implementation,yes,team,Sessies,content,group,Inkorten,shortening,red,no,"budget, cut",
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(LOG_FIELDS)
    for e in entries:
        writer.writerow(
            [
                e.date,
                e.when,
                "yes" if e.planned else "no",
                e.who,
                e.element,
                e.what,
                e.level,
                e.type,
                e.frame_type,
                e.verdict,
                "yes" if e.fidelity_consistent else "no",
                safe_cell(e.reason),
                safe_cell(e.goal),
            ]
        )
    return buf.getvalue()


def safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection).

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("ok")
    ("'=HYPERLINK(1)", 'ok')
    """
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
