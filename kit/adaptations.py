"""Kern en schil: verdicts on adaptations, pure and table-driven.

Every adaptation type says which *aspect* of an element it changes (``touches`` in
``content/adaptations.yaml``): its surface (names, examples, pictures), its function (content
added, replaced or lost), the dose (more or less), the order, the method, the medium, the
delivery format, the setting, the population, who delivers it, and so on. The verdict follows
from that aspect and the element's part: changing only the surface of a kern element is green,
less dose on a kern element is red, a new setting is amber wherever you start. An intervention
may override the general verdict for one of its elements (for instance when its developer has
tested an online version of a kern session). Each verdict's reason names the aspect it rests on;
``content/guidance.yaml`` pins the general verdicts to published traffic-light guidance, and
:func:`published` finds the examples a verdict screen shows as its sources.

Two distinctions published guidance makes are in the model too: an order that *is* the
mechanism (a kern element with ``order_is_mechanism``: each part builds on the last) makes
reordering red where an order of habit is amber; and something added outside core time is judged
on the new element of ``adaptations.yaml`` (a new schil element: green as long as it costs no
core time) where an addition to a kern element stays amber.

* **green** — the kern and the programme logic stay intact; go ahead.
* **amber** — possible, but plan it with the developer.
* **red** — harms the kern; avoid, and look at the alternative.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kit.content import AdaptationType, Intervention, Situation, Text, Verdict
from kit.content.models import Aspect, GuidanceExample, GuidanceFile, VerdictRule

#: Shape-and-text markers: a verdict is never shown by colour alone.
SYMBOL: dict[str, str] = {"green": "✓", "amber": "!", "red": "✗"}

#: Adaptation type ids that were renamed -> the id that replaced them, so proposals saved under
#: an old id still load. Issue #11 renamed none: ``translate`` now means translating into another
#: language only (still amber on a kern element) and plain-language rewriting got its own new
#: ``plain-language``, so an old saved ``translate`` stays a translation.
TYPE_ALIASES: dict[str, str] = {}


def canonical_type(type_id: str) -> str:
    """The current id for a possibly renamed adaptation type id.

    >>> canonical_type("remove")
    'remove'
    """
    return TYPE_ALIASES.get(type_id, type_id)


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: Text
    overridden: bool  # the intervention overrides the general rule for this element
    instead: Text | None  # general advice for a red verdict
    alternatives: tuple[str, ...]  # schil element ids where the same change would be green
    aspect: Aspect | None = None  # what the adaptation changes: the verdict rests on it
    part: str = ""  # kern or schil: the part of the element it changes
    mechanism: bool = False  # the general rule for an order that is the mechanism applied
    type_id: str = ""  # the adaptation type judged

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

    Reordering a sequence that is the mechanism is red; one of habit stays amber:

    >>> s = c.intervention("samen-sterk")
    >>> judge(s, "theme-sequence", "reorder", c.adaptation_types).verdict
    'red'

    An addition outside core time is a new schil element; inside a kern element it is amber:

    >>> judge(s, s.new_element.id, "add", c.adaptation_types).verdict
    'green'
    >>> judge(s, "role-play", "add", c.adaptation_types).verdict
    'amber'
    """
    element = intervention.element(element_id)
    kind = next(t for t in types if t.id == type_id)
    override = next((o for o in element.overrides if o.type == type_id), None)
    mechanism = False
    if override is not None:
        verdict, reason = override.verdict, override.reason
    else:
        mechanism = _mechanism(kind, element.part, element.order_is_mechanism)
        rule = kind.rule(element.part, mechanism)
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
    return Judgement(
        verdict,
        reason,
        override is not None,
        kind.instead,
        alternatives,
        kind.aspect,
        element.part,
        mechanism,
        type_id,
    )


def _mechanism(kind: AdaptationType, part: str, order_is_mechanism: bool) -> bool:
    return order_is_mechanism and part == "kern" and kind.aspect.on_mechanism is not None


def general_verdict(kind: AdaptationType, part: str) -> VerdictRule:
    """The verdict and reason of adaptation ``kind`` on any element of ``part`` (kern or
    schil), before an intervention's overrides: those of the aspect it touches.

    >>> from kit.content import default_content
    >>> c = default_content()
    >>> role_play_names = c.adaptation_type("tailor")  # surface
    >>> general_verdict(role_play_names, "kern").verdict
    'green'
    >>> general_verdict(c.adaptation_type("change-method"), "kern").verdict  # role play -> talk
    'red'
    >>> general_verdict(c.adaptation_type("setting"), "schil").verdict  # community centre -> school
    'amber'
    """
    return kind.rule(part)


def _plain_verdict(intervention: Intervention, element_id: str, kind: AdaptationType) -> str:
    element = intervention.element(element_id)
    override = next((o for o in element.overrides if o.type == kind.id), None)
    if override is not None:
        return override.verdict
    return kind.rule(element.part, element.order_is_mechanism).verdict


def published(
    guidance: GuidanceFile | None, type_id: str, part: str, mechanism: bool = False
) -> tuple[GuidanceExample, ...]:
    """The published examples of adaptation ``type_id`` on an element of ``part``: what a
    verdict screen shows as the guidance behind the kit's general verdict. On an element whose
    order is the mechanism (``mechanism``) every example shows, the general guidance on orders
    of habit as differing (as it legitimately does); on an order of habit, a source about an
    order that is its programme's mechanism is about another situation and is left out.

    >>> from kit.content import default_content
    >>> c = default_content()
    >>> sorted({e.colour for e in published(c.guidance, "shorten", "kern")})
    ['red']
    >>> sorted({e.colour for e in published(c.guidance, "reorder", "kern")})
    ['amber']
    >>> sorted({e.colour for e in published(c.guidance, "reorder", "kern", mechanism=True)})
    ['amber', 'red']
    >>> published(None, "shorten", "kern")
    ()
    """
    if guidance is None:
        return ()
    return tuple(
        e
        for e in guidance.examples
        if e.maps.type == type_id
        and e.maps.part == part
        and (mechanism or not e.maps.order_is_mechanism)
    )


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


def safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection).

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("ok"), safe_cell("\\t=1")
    ("'=HYPERLINK(1)", 'ok', "'\\t=1")
    """
    # Tab and carriage return too (OWASP): some spreadsheets skip them and read what follows.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
