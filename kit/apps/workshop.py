"""The participant's page: the whole workshop in one page and one kernel.

A participant scans the QR code, joins once, and finds the exercises as tabs (the plan builder
last), on the case and intervention the trainer chose for the session. One page instead of one per app means one kernel
per participant (not four, ~65 MB each), one pool of pre-heated kernels for the room, and no
joining again when moving on to the next exercise.
"""

from __future__ import annotations

import ipywidgets as w

from kit.apps.common import Ctx, lazy_tabs
from kit.apps.frame import app_frame
from kit.content import Content


def participant_page(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The workshop page participants open from the QR code (``deelnemer.ipynb``)."""
    return app_frame("workshop", build_workshop, lang, content, open_session_form=True)


def build_workshop(ctx: Ctx) -> w.Widget:
    # Each exercise is imported and built when its tab is first opened.
    def phases() -> w.Widget:
        from kit.apps.phases_app import build_phases

        return build_phases(ctx)

    def quickscan() -> w.Widget:
        from kit.apps.quickscan_app import build_quickscan

        return build_quickscan(ctx)

    def kern() -> w.Widget:
        from kit.apps.kern_app import build_kern

        return build_kern(ctx)

    def plan() -> w.Widget:
        from kit.apps.plan_app import build_plan

        return build_plan(ctx)

    tabs = lazy_tabs(
        ctx,
        "workshop.tab",
        [
            (f"1 · {ctx.t('workshop.tab.phases')}", phases),
            (f"2 · {ctx.t('workshop.tab.quickscan')}", quickscan),
            (f"3 · {ctx.t('workshop.tab.kern')}", kern),
            (f"4 · {ctx.t('workshop.tab.plan')}", plan),
        ],
    )
    tabs.add_class("kit-workshop-tabs")
    # The session's title is shown by the session bar: the body does not depend on the session,
    # so a pre-heated page needs no rebuilding when its visitor arrives.
    from kit.apps.room_app import follow_room

    return follow_room(ctx, tabs)  # a joined participant: the led room's panel on top
