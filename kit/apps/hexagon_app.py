"""Choosing an intervention (phase 0 for an organisation): rate the six Hexagon indicators and
get feedback. One section of the Phases app."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from kit import formats
from kit.answers import HexagonRatings
from kit.apps.common import Ctx, download_link, esc, maker, name_field
from kit.present.hexagon import feedback, hexagon, questions


class HexagonView:
    """The widgets, reachable by tests: one radio group per indicator and the feedback."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        hx = hexagon(ctx)
        # A record like every other answer: kept in the session store or her own store, so
        # the ratings come back on a rebuilt screen, a reload and the next day.
        kept = ctx.memory.find(HexagonRatings)
        self.ratings: dict[str, int | None] = dict(kept.ratings) if kept is not None else {}
        self.radios: dict[str, w.RadioButtons] = {}
        rows: list[w.Widget] = [
            w.HTML(f"<h3>{esc(hx.title(ctx.lang))}</h3><p>{esc(hx.intro(ctx.lang))}</p>")
        ]
        group = ""
        for q in questions(ctx):
            if q.group != group:
                group = q.group
                rows.append(w.HTML(f"<h4>{esc(group)}</h4>"))
            rows.append(
                w.HTML(
                    f'<div class="kit-statement"><b>{esc(q.name)}</b>: {esc(q.question)}'
                    f' <span class="kit-muted">{esc(q.asks)}</span></div>'
                )
            )
            radio = w.RadioButtons(
                options=list(q.options),
                value=self.ratings.get(q.id),
                layout=w.Layout(width="auto"),
            )
            radio.add_class("kit-scale")
            radio.add_class(f"kit-hexagon-{q.id}")
            radio.observe(ctx.guard(self._handler(q.id)), names="value")
            self.radios[q.id] = radio
            rows.append(radio)
        self.feedback = w.HTML()
        self.feedback.add_class("kit-hexagon-feedback")
        self.feedback.add_class("kit-announce")
        rows.append(self.feedback)
        rows.append(self._files())
        self.widget = w.VBox(rows)
        self.widget.add_class("kit-hexagon")
        self.show()

    def _handler(self, indicator_id: str) -> Any:
        def on_change(change: dict[str, Any]) -> None:
            self.ratings[indicator_id] = change["new"]
            rated = {k: v for k, v in self.ratings.items() if v is not None}
            self.ctx.memory.save(HexagonRatings(ratings=rated))
            self.show()

        return on_change

    def _files(self) -> w.Widget:
        """The result as a PDF, named after its maker (the alias in a session, else the name
        typed beside the button), like the other apps' documents."""
        ctx = self.ctx
        self.pdf_button = w.Button(description=ctx.t("hexagon.pdf"), icon="file-pdf-o")
        self.pdf_button.add_class("kit-hexagon-pdf")
        self.links = w.HTML()
        self.links.add_class("kit-downloads")
        self.links.add_class("kit-announce")
        self.pdf_button.on_click(ctx.guard(self._on_pdf))
        buttons = w.HBox([self.pdf_button], layout=w.Layout(flex_flow="row wrap"))
        buttons.add_class("kit-row")
        intro = w.HTML(f'<p class="kit-muted">{esc(ctx.t("hexagon.files.intro"))}</p>')
        box = w.VBox([intro, name_field(ctx), buttons, self.links])
        box.add_class("kit-hexagon-files")
        return box

    def _on_pdf(self, _: object) -> None:
        from kit import reports  # loads matplotlib: only when a PDF is asked for

        made = maker(self.ctx)
        data = reports.hexagon_pdf(self.ctx, self.ratings, made)
        self.links.value = download_link(
            data,
            formats.file_name(self.ctx.t("hexagon.file"), made, "pdf"),
            "application/pdf",
            self.ctx.t("hexagon.pdf_ready"),
            "kit-pdf-link",
        )

    def show(self) -> None:
        fb = feedback(self.ctx, self.ratings)
        parts = [f"<h4>{esc(fb.heading)}</h4>"]
        if fb.verdict:
            parts.append(f'<p role="status"><b>{esc(fb.verdict)}.</b> {esc(fb.reason)}</p>')
        else:
            parts.append(f'<p role="status">{esc(fb.reason)}</p>')
        if fb.advice:
            items = "".join(f"<li><b>{esc(n)}</b>: {esc(a)}</li>" for n, a in fb.advice)
            parts.append(f"<ul>{items}</ul>")
        parts.append(f'<p class="kit-muted"><small>{esc(hexagon(self.ctx).source)}</small></p>')
        self.feedback.value = "".join(parts)


def build_hexagon(ctx: Ctx) -> w.Widget:
    return HexagonView(ctx).widget
