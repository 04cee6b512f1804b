"""Deep links: what a page's URL asks to open, checked against the content.

A teacher pastes a link in a learning platform that opens exactly one exercise::

    quickscan.ipynb?case=schuldmaatjes&perspective=professional&tab=2&reference=0
    kern-en-schil.ipynb?intervention=samen-sterk&tab=exercise&situation=homework
    fasen.ipynb?situation=mail-die-niemand-las&lang=en

:func:`parse` reads the parameters for one app and returns a :class:`Link`: the ids it found
valid and a :class:`LinkProblem` for everything else (an unknown id, a parameter the page does
not use, a tab out of range). Nothing is dropped silently: the page says each problem in its
language (``link.*`` texts). A problem names the text as typed only after :func:`shown` made it
safe (printable, short); the page escapes it as every text.

The parameters, per app (the page is the notebook in the path):

=============  ====================================================================
``lang``       ``nl`` or ``en`` (every page)
``session``    a join code; ``p`` a personal code (every page with a session bar)
``tab``        the tab to open: its number from 1, or its id (:data:`TABS`)
``case``       quickscan: a case id (``content/cases/``)
``perspective`` quickscan: a perspective id; with ``case``, one the case is read from
``intervention`` kern en schil: an intervention id (``content/interventions/``)
``situation``  kern en schil: one of the intervention's situations (opens the exercise tab);
               fasen: a team in "Welke fase?" (``content/scenarios.yaml``; opens that tab)
``reference``  quickscan and fasen: ``0`` keeps the case's reference reading and the right
               phases back, ``1`` shows them (the default)
=============  ====================================================================

Pure: no widgets, no store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kit.content import LANGS, Content
from kit.content.models import STEP_TABS
from kit.text import printable

#: The tabs of each exercise app, in order (the agenda's step tabs).
TABS: Mapping[str, tuple[str, ...]] = STEP_TABS

#: Parameters every page reads (the frame and the session bar).
COMMON = ("lang", "session", "p")
#: What each app reads besides :data:`COMMON`.
PARAMS: Mapping[str, tuple[str, ...]] = {
    "quickscan": ("tab", "case", "perspective", "reference"),
    "kern": ("tab", "intervention", "situation"),
    "phases": ("tab", "situation", "reference"),
    "plan": ("tab",),
}
#: How ``reference`` may be written (a teacher types it): shown or held back.
REFERENCE_WORDS = {
    "1": True,
    "ja": True,
    "yes": True,
    "show": True,
    "toon": True,
    "0": False,
    "nee": False,
    "no": False,
    "hide": False,
    "verberg": False,
}
#: The most characters of typed text a message repeats.
SHOWN_MAX = 40


def shown(raw: str) -> str:
    """Typed text as a message may repeat it: printable, on one line, at most
    :data:`SHOWN_MAX` characters (longer is cut with "…"). The page escapes it as any text.

    >>> shown("schuld\\x00maatjes")
    'schuldmaatjes'
    >>> shown("<script>" * 10)
    '<script><script><script><script><script>…'
    """
    text = " ".join(printable(str(raw)).split())
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"


@dataclass(frozen=True)
class LinkProblem:
    """Something in the URL the page cannot follow: the ``link.<kind>`` text, with ``values``
    for its placeholders (typed text already made safe by :func:`shown`)."""

    kind: str
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def text_key(self) -> str:
        return f"link.{self.kind}"


@dataclass(frozen=True)
class Link:
    """What the URL asks a page to open; ``None`` where it asks nothing (or nothing valid)."""

    app: str
    lang: str | None = None
    case: str | None = None
    perspective: str | None = None
    intervention: str | None = None
    situation: str | None = None
    tab: int | None = None  # from 0
    reference: bool | None = None
    problems: tuple[LinkProblem, ...] = ()

    @property
    def opens(self) -> bool:
        """Whether the link asks for anything beyond the language and the session."""
        return any(
            v is not None
            for v in (
                self.case,
                self.perspective,
                self.intervention,
                self.situation,
                self.tab,
                self.reference,
            )
        )

    def view(self) -> dict[str, Any]:
        """Where the app starts, as the apps keep it in the answer memory's ``view``: the
        tab (``<app>.tab``), the quickscan's perspective and case (``quickscan.where``), the
        intervention (``kern.intervention``), the situation (``<app>.situation``) and whether
        the answers show (``link.reference``).

        >>> Link("kern", intervention="samen-sterk", tab=1).view()
        {'kern.tab': 1, 'kern.intervention': 'samen-sterk'}
        """
        out: dict[str, Any] = {}
        if self.tab is not None:
            out[f"{self.app}.tab"] = self.tab
        if self.perspective is not None:
            out["quickscan.where"] = (self.perspective, self.case)
        if self.intervention is not None:
            out["kern.intervention"] = self.intervention
        if self.situation is not None:
            out[f"{self.app}.situation"] = self.situation
        if self.reference is not None:
            out["link.reference"] = self.reference
        return out


def _known(ids: list[str] | tuple[str, ...]) -> str:
    return ", ".join(ids)


def parse(params: Mapping[str, str], content: Content, app: str) -> Link:
    """The link for ``app`` from the URL's parameters, every id checked against ``content``.

    >>> from kit.content import default_content
    >>> c = default_content()
    >>> parse({"case": "schuldmaatjes", "tab": "2"}, c, "quickscan")
    Link(app='quickscan', lang=None, case='schuldmaatjes', perspective='organisatie', intervention=None, situation=None, tab=1, reference=None, problems=())
    >>> [p.kind for p in parse({"case": "nope", "x": "1"}, c, "quickscan").problems]
    ['unknown-param', 'unknown-case']
    >>> parse({"intervention": "samen-sterk"}, c, "phases").problems[0].values["param"]
    'intervention'
    """
    problems: list[LinkProblem] = []
    found: dict[str, Any] = {}
    reads = PARAMS.get(app, ())
    for name in params:
        if name in COMMON or name in reads:
            continue
        if name.startswith("voila"):  # Voila's own (e.g. voila-template)
            continue
        kind = "not-here" if any(name in p for p in PARAMS.values()) else "unknown-param"
        problems.append(
            LinkProblem(kind, {"param": shown(name), "known": _known((*COMMON, *reads))})
        )

    def value(name: str) -> str | None:
        raw = params.get(name)
        if raw is None or name not in (*COMMON, *reads):
            return None
        return raw.strip()

    lang = value("lang")
    if lang is not None:
        if lang.lower() in LANGS:
            found["lang"] = lang.lower()
        else:
            problems.append(
                LinkProblem("unknown-lang", {"value": shown(lang), "known": _known(LANGS)})
            )

    case_ids = [c.id for c in content.cases]
    case = value("case")
    if case is not None:
        if case in case_ids:
            found["case"] = case
        else:
            problems.append(
                LinkProblem("unknown-case", {"value": shown(case), "known": _known(case_ids)})
            )
    perspective = value("perspective")
    if perspective is not None:
        allowed = [p.id for p in content.instrument.perspectives]
        if "case" in found:
            allowed = list(content.case(found["case"]).perspectives)
        if perspective in allowed:
            found["perspective"] = perspective
        else:
            kind = "wrong-perspective" if "case" in found else "unknown-perspective"
            problems.append(
                LinkProblem(kind, {"value": shown(perspective), "known": _known(allowed)})
            )
    if "case" in found and "perspective" not in found:
        found["perspective"] = content.case(found["case"]).perspective  # as the case is told

    intervention = value("intervention")
    item_ids = [i.id for i in content.interventions]
    if intervention is not None:
        if intervention in item_ids:
            found["intervention"] = intervention
        else:
            problems.append(
                LinkProblem(
                    "unknown-intervention",
                    {"value": shown(intervention), "known": _known(item_ids)},
                )
            )

    situation = value("situation")
    if situation is not None:
        if app == "phases":
            ids = [s.id for s in content.scenarios]
        else:
            # One intervention's situations: the link's, else the one that has this situation.
            item = (
                content.intervention(found["intervention"])
                if "intervention" in found
                else next(
                    (i for i in content.interventions if situation in {s.id for s in i.situations}),
                    None,
                )
            )
            ids = [s.id for s in (item.situations if item else ())]
            if item is None:
                ids = [s.id for i in content.interventions for s in i.situations]
            elif "intervention" not in found:
                found["intervention"] = item.id
        if situation in ids:
            found["situation"] = situation
            if value("tab") is None:  # the situations are on their own tab
                found["tab"] = TABS[app].index("which" if app == "phases" else "exercise")
        else:
            problems.append(
                LinkProblem("unknown-situation", {"value": shown(situation), "known": _known(ids)})
            )

    tab = value("tab")
    if tab is not None:
        tabs = TABS.get(app, ())
        if tab.isdigit() and 1 <= int(tab) <= len(tabs):
            found["tab"] = int(tab) - 1
        elif tab.lower() in tabs:
            found["tab"] = tabs.index(tab.lower())
        else:
            numbers = f"1–{len(tabs)}, " if tabs else ""
            problems.append(
                LinkProblem("unknown-tab", {"value": shown(tab), "known": numbers + _known(tabs)})
            )

    reference = value("reference")
    if reference is not None:
        if reference.lower() in REFERENCE_WORDS:
            found["reference"] = REFERENCE_WORDS[reference.lower()]
        else:
            problems.append(
                LinkProblem("unknown-reference", {"value": shown(reference), "known": "0, 1"})
            )

    return Link(app=app, problems=tuple(problems), **found)
