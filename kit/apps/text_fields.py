"""Free-text fields with their limit on show: what a learner types is checked by
:func:`kit.text.clean` (through the records of :mod:`kit.answers`) and refused visibly when it is
too long. The text stays in the field, a line under it says how many characters too many, and
nothing is saved until it fits; while it fits, the line shows the limit."""

from __future__ import annotations

import ipywidgets as w

from kit.answers import TEXT_LIMIT
from kit.apps.common import Ctx, alert, esc
from kit.text import TooLong, clean


class FieldLimit:
    """The line under a free-text field: its limit, or how much too long the text is."""

    def __init__(self, ctx: Ctx, limit: int = TEXT_LIMIT, multiline: bool = False) -> None:
        self.ctx, self.limit, self.multiline = ctx, limit, multiline
        self.hint = w.HTML()
        self.hint.add_class("kit-field-limit")
        self.ok()

    def ok(self) -> None:
        text = self.ctx.t("text.limit", n=self.limit)
        self.hint.value = f'<span class="kit-muted kit-limit-ok">{esc(text)}</span>'

    def check(self, value: object) -> str | None:
        """``value`` as the kit keeps it, or None (and the message shown) when it is too long."""
        try:
            text = clean(value, self.limit, multiline=self.multiline)
        except TooLong as exc:
            self.hint.value = alert(self.ctx.t("text.too_long", n=exc.excess, limit=self.limit))
            return None
        self.ok()
        return text
