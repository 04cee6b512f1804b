"""The Group app for trainers: create a session (code, link, QR code), reopen it with the
facilitator key, and watch the group's answers on a live dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from kit import charts, group
from kit.adaptations import SYMBOL, safe_cell
from kit.apps.common import Ctx, alert, app_frame, download_link, esc, log, query_params
from kit.content import Content
from kit.sessions import InputError

if TYPE_CHECKING:  # the database layer loads when a session is created or opened
    from kit.storage import SessionInfo, Store, Submission

REFRESH_SECONDS = 4.0


def group_app(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The trainer's Group app in a frame with a language switch."""
    return app_frame("group", build_group, lang, content, session=False)


def join_link(code: str) -> str:
    """The link participants open: the landing page with the session code.

    Uses ``KIT_PUBLIC_URL`` when set (behind a proxy), else the address Voila was reached on.
    """
    public = os.environ.get("KIT_PUBLIC_URL", "").rstrip("/")
    if not public:
        host, port = os.environ.get("SERVER_NAME", ""), os.environ.get("SERVER_PORT", "")
        if not host:
            return f"index.ipynb?session={code}"
        public = f"http://{host}" + (f":{port}" if port and port not in ("80", "443") else "")
        script = os.environ.get("SCRIPT_NAME", "/voila/render/groep.ipynb")
        public += script.rsplit("/", 1)[0]
    return f"{public}/index.ipynb?session={code}"


def qr_svg(text: str) -> str:
    import segno

    return str(segno.make(text, error="m").svg_inline(scale=9, dark="#000", light="#fff"))


def build_group(ctx: Ctx) -> w.Widget:
    c = ctx.content
    holder = w.VBox()
    message = w.HTML()
    message.add_class("kit-group-message")

    def store() -> Store:
        from kit.storage import get_store

        return get_store()

    # ---- create
    title = w.Text(
        description=ctx.t("group.session_title"),
        placeholder=ctx.t("group.session_title_hint"),
        layout=w.Layout(width="460px"),
    )
    title.add_class("kit-new-title")
    case = w.Dropdown(
        options=[(ctx.t("group.no_case"), None)] + [(k.title(ctx.lang), k.id) for k in c.cases],
        value=c.cases[0].id if c.cases else None,
        description=ctx.t("group.case"),
        layout=w.Layout(width="460px"),
    )
    intervention = w.Dropdown(
        options=[(i.name(ctx.lang), i.id) for i in c.interventions],
        description=ctx.t("group.intervention"),
        layout=w.Layout(width="460px"),
    )
    create = w.Button(description=ctx.t("group.create"), button_style="primary", icon="plus")
    create.add_class("kit-create-session")
    # ---- reopen
    code = w.Text(
        description=ctx.t("session.code"),
        value=query_params().get("session", ""),
        layout=w.Layout(width="260px"),
    )
    code.add_class("kit-open-code")
    key = w.Password(description=ctx.t("group.key"), layout=w.Layout(width="360px"))
    key.add_class("kit-open-key")
    reopen = w.Button(description=ctx.t("group.open"), icon="sign-in")
    reopen.add_class("kit-open-session")

    def show_dashboard(info: SessionInfo, secret: str, new_key: bool) -> None:
        dash = Dashboard(ctx, store(), info, secret, new_key)
        holder.children = [dash.widget]
        message.value = ""

    def on_create(_: object) -> None:
        from kit.storage import StorageError

        try:
            info, secret = store().create_session(title.value, case.value, intervention.value)
        except InputError as exc:
            message.value = alert(ctx.t(f"group.error.{exc.code}"))
            return
        except StorageError as exc:
            log.warning("create session failed: %s", exc)
            message.value = alert(ctx.t("session.error.db"))
            return
        show_dashboard(info, secret, True)

    def on_reopen(_: object) -> None:
        from kit.storage import StorageError

        try:
            ok = store().check_key(code.value, key.value)
            info = store().session(code.value) if ok else None
        except InputError:
            ok, info = False, None
        except StorageError as exc:
            log.warning("reopen failed: %s", exc)
            message.value = alert(ctx.t("session.error.db"))
            return
        if not ok or info is None:
            # The same answer for an unknown code and a wrong key: nothing to probe.
            message.value = alert(ctx.t("group.error.bad-key"))
            return
        show_dashboard(info, key.value, False)

    create.on_click(ctx.guard(on_create))
    reopen.on_click(ctx.guard(on_reopen))
    new_card = w.VBox(
        [w.HTML(f"<h3>{esc(ctx.t('group.new'))}</h3>"), title, case, intervention, create]
    )
    new_card.add_class("kit-card")
    open_card = w.VBox([w.HTML(f"<h3>{esc(ctx.t('group.reopen'))}</h3>"), code, key, reopen])
    open_card.add_class("kit-card")
    holder.children = [
        w.HBox([new_card, open_card], layout=w.Layout(flex_flow="row wrap")).add_class("kit-gap")
    ]
    intro = w.HTML(f"<p>{esc(ctx.t('group.intro'))}</p>")
    return w.VBox([intro, message, holder])


def scan_chart_spec(ctx: Ctx, g: group.QuickscanGroup) -> dict[str, Any]:
    """Arguments for :func:`charts.group_phases`: per phase every participant's share."""
    c, lang = ctx.content, ctx.lang
    rows = [
        (
            f"{p.number} {p.name(lang)}",
            [v for v in g.points[p.id].values() if v is not None],
            g.reference.get(p.id),
        )
        for p in c.phases
    ]
    return {
        "rows": rows,
        "xlabel": ctx.t("quickscan.chart.x"),
        "median_label": ctx.t("group.median"),
        "reference_label": ctx.t("group.reference"),
    }


def tally_rows(ctx: Ctx, subs: list[Submission]) -> list[tuple[str, str, str, str]]:
    """The phase exercise per scenario: title, right first answers, the right phase, and what
    participants chose first ("phase: count")."""
    c, lang = ctx.content, ctx.lang
    rows = []
    for t in group.phase_tally(subs, c):
        scenario = next(s for s in c.scenarios if s.id == t.scenario)
        right = c.phase(scenario.phase)
        chosen = ", ".join(f"{n}: {k}×" for n, k in sorted(t.chosen.items()))
        rows.append(
            (
                scenario.title(lang),
                f"✓ {t.correct}/{t.total}",
                f"{right.number} · {right.name(lang)}",
                chosen,
            )
        )
    return rows


class Dashboard:
    """The live view of one session. Refreshes itself every few seconds; redraws only when the
    data changed, so nothing flickers."""

    def __init__(self, ctx: Ctx, store: Store, info: SessionInfo, key: str, new_key: bool) -> None:
        self.ctx, self.store, self.info, self.key = ctx, store, info, key
        c = ctx.content
        self._signature: tuple[Any, ...] | None = None
        self._figures: dict[str, Any] = {}  # the chart Figure, redrawn in place
        self._timer: Any = None
        self.subs: list[Submission] = []
        link = join_link(info.code)
        key_note = (
            f'<div class="kit-info kit-new-key" role="status"><b>{esc(ctx.t("group.key_once"))}</b> '
            f'<br><code class="kit-key" style="font-size:1.5em;white-space:nowrap">{esc(key)}</code></div>'
            if new_key
            else ""
        )
        context = []
        if info.case_id:
            context.append(ctx.t("group.case") + ": " + c.case(info.case_id).title(ctx.lang))
        if info.intervention_id:
            context.append(
                ctx.t("group.intervention")
                + ": "
                + c.intervention(info.intervention_id).name(ctx.lang)
            )
        self.header = w.HTML(
            f"{key_note}<div class='kit-card' style='display:flex;gap:24px;align-items:center;flex-wrap:wrap'>"
            f"<div>{qr_svg(link)}</div><div><h3 class='kit-session-title'>{esc(info.title)}</h3>"
            f"<p>{esc(ctx.t('group.join_with'))}</p>"
            f"<p class='kit-join-code' style='font-size:3em;font-weight:bold;letter-spacing:0.15em;margin:0'>{esc(info.code)}</p>"
            f"<p><a class='kit-join-link' href='{esc(link)}' target='_blank'>{esc(link)}</a></p>"
            f"<p class='kit-muted'>{esc(' · '.join(context))}</p></div></div>"
        )
        self.live = w.Checkbox(value=True, description=ctx.t("group.live"), indent=False)
        self.live.add_class("kit-live")
        self.refresh_button = w.Button(description=ctx.t("group.refresh"), icon="refresh")
        self.refresh_button.add_class("kit-refresh")
        self.state = w.HTML()
        self.state.add_class("kit-dash-state")
        self.joined = w.HTML()
        self.joined.add_class("kit-joined")
        self.scan = w.HTML()
        self.scan.add_class("kit-group-scan")
        self.disagree = w.HTML()
        self.disagree.add_class("kit-disagree")
        self.tally = w.HTML()
        self.tally.add_class("kit-phase-tally")
        self.adapt = w.HTML()
        self.adapt.add_class("kit-adapt-tally")
        self.pdf = w.Button(description=ctx.t("group.pdf"), icon="file-pdf-o")
        self.pdf.add_class("kit-group-pdf")
        self.csv = w.Button(description=ctx.t("group.csv"), icon="table")
        self.csv.add_class("kit-group-csv")
        self.links = w.HTML()
        self.close = w.Button(description=ctx.t("group.close"), icon="lock")
        self.close.add_class("kit-close-session")
        self.confirm = w.Checkbox(
            value=False, description=ctx.t("group.confirm_delete"), indent=False
        )
        self.delete = w.Button(
            description=ctx.t("group.delete"), button_style="danger", icon="trash"
        )
        self.delete.add_class("kit-delete-session")

        self.refresh_button.on_click(ctx.guard(lambda _: self.refresh(force=True)))
        self.live.observe(ctx.guard(lambda ch: self._timer_on(ch["new"])), names="value")
        self.pdf.on_click(ctx.guard(self._on_pdf))
        self.csv.on_click(ctx.guard(self._on_csv))
        self.close.on_click(ctx.guard(self._on_close))
        self.delete.on_click(ctx.guard(self._on_delete))
        self.widget = w.VBox(
            [
                self.header,
                w.HBox(
                    [self.live, self.refresh_button, self.state],
                    layout=w.Layout(align_items="center"),
                ),
                self.joined,
                self.scan,
                self.disagree,
                self.tally,
                self.adapt,
                w.HBox([self.pdf, self.csv]),
                self.links,
                w.HBox(
                    [self.close, self.confirm, self.delete], layout=w.Layout(align_items="center")
                ),
            ]
        )
        self.widget.add_class("kit-dashboard")
        self.refresh(force=True)
        self._timer_on(True)

    # ----------------------------------------------------------- timer
    def _timer_on(self, on: bool) -> None:
        try:
            from tornado.ioloop import PeriodicCallback
        except ImportError:  # pragma: no cover - tornado ships with Jupyter
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if on:
            self._timer = PeriodicCallback(self._tick, REFRESH_SECONDS * 1000)
            self._timer.start()

    def _tick(self) -> None:
        try:
            self.refresh()
        except Exception:  # a timer has nobody above it to report to: log and show it
            log.exception("dashboard refresh failed")
            self.ctx.status.error(self.ctx.t("error.callback"))

    # ----------------------------------------------------------- data
    def refresh(self, force: bool = False) -> None:
        from kit.storage import StorageError

        ctx = self.ctx
        try:
            subs = self.store.all_submissions(self.info.code, self.key)
        except StorageError as exc:
            log.warning("dashboard could not read the store: %s", exc)
            self.state.value = alert(ctx.t("group.db_down"), "span")
            return
        except InputError:
            self.state.value = alert(ctx.t("group.gone"), "span")
            self._timer_on(False)
            return
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        self.state.value = (
            f'<span class="kit-muted">{esc(ctx.t("group.updated", time=stamp))}</span>'
        )
        signature = (len(subs), max((s.updated_at for s in subs), default=None))
        if not force and signature == self._signature:
            return
        self._signature = signature
        self.subs = subs
        self.render(subs)

    def render(self, subs: list[Submission]) -> None:
        ctx, c, lang = self.ctx, self.ctx.content, self.ctx.lang
        people = group.participants(subs)
        names = ", ".join(esc(a) for a in sorted(people.values(), key=str.casefold)) or "—"
        self.joined.value = f'<div class="kit-card"><b>{esc(ctx.t("group.joined", n=len(people)))}</b><br><span class="kit-aliases">{names}</span></div>'
        # Quickscan
        perspective, case_id = group.quickscan_target(c, self.info.case_id, subs)
        g = group.quickscan_group(subs, c, perspective, case_id)
        spec = scan_chart_spec(ctx, g)
        rows = spec["rows"]
        chart = charts.png(charts.group_phases, dpi=90, reuse=self._figures, **spec)
        alt = (
            ctx.t("group.alt", n=len(g.answers))
            + " "
            + "; ".join(f"{label}: {len(values)}" for label, values, _ in rows)
        )
        self.scan.value = (
            f"<h3>{esc(ctx.t('group.scan_title', n=len(g.answers)))}</h3>"
            + charts.img_html(chart, alt)
        )
        statements = {s.id: s for s in c.instrument.statements_for(perspective)}
        scale = {s.value: s.label(lang) for s in c.instrument.scale}
        items = group.disagreements(g.answers, list(statements))
        rows_html = "".join(
            f"<li><b>{esc(statements[d.statement_id].text(lang))}</b><br>"
            + " · ".join(f"{esc(scale[v])}: {n}" for v, n in sorted(d.counts.items()))
            + "</li>"
            for d in items
        )
        self.disagree.value = f"<h3>{esc(ctx.t('group.disagree'))}</h3>" + (
            f"<ol>{rows_html}</ol>"
            if rows_html
            else f'<p class="kit-muted">{esc(ctx.t("group.nothing_yet"))}</p>'
        )
        # Phase exercise
        lines = [
            "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>"
            for row in tally_rows(ctx, subs)
        ]
        head = "".join(
            f"<th scope='col'>{esc(ctx.t(k))}</th>"
            for k in (
                "group.col.scenario",
                "group.col.right",
                "group.col.answer",
                "group.col.chosen",
            )
        )
        self.tally.value = f"<h3>{esc(ctx.t('group.tally'))}</h3>" + (
            f'<table class="kit-table"><thead><tr>{head}</tr></thead><tbody>{"".join(lines)}</tbody></table>'
            if lines
            else f'<p class="kit-muted">{esc(ctx.t("group.nothing_yet"))}</p>'
        )
        # Adaptations
        if self.info.intervention_id:
            item = c.intervention(self.info.intervention_id)
            at = group.adaptation_tally(subs, c, item.id)
            totals = " · ".join(
                f"{SYMBOL[v]} {esc(ctx.t(f'kern.verdict.{v}'))}: {n}"
                for v, n in at.verdicts.items()
            )
            lis = "".join(
                f"<li>{SYMBOL[v]} {esc(c.adaptation_type(t).name(lang))} → {esc(item.element(e).name(lang))}: {esc(ctx.t('group.by', n=n))}</li>"
                for e, t, v, n in at.rows
            )
            self.adapt.value = (
                f"<h3>{esc(ctx.t('group.adapt', name=item.name(lang)))}</h3><p>{totals}</p>"
                + (
                    f"<ul>{lis}</ul>"
                    if lis
                    else f'<p class="kit-muted">{esc(ctx.t("group.nothing_yet"))}</p>'
                )
            )
        else:
            self.adapt.value = ""

    # ----------------------------------------------------------- actions
    def _on_pdf(self, _: object) -> None:
        from kit import reports

        data = reports.group_pdf(self.ctx, self.info, self.subs)
        self.links.value = download_link(
            data,
            f"groep-{self.info.code}.pdf",
            "application/pdf",
            self.ctx.t("group.pdf_ready"),
            "kit-pdf-link",
        )

    def _on_csv(self, _: object) -> None:
        data = raw_csv(self.info.code, self.subs).encode("utf-8-sig")
        self.links.value = download_link(
            data,
            f"groep-{self.info.code}.csv",
            "text/csv",
            self.ctx.t("group.csv_ready"),
            "kit-csv-link",
        )

    def _on_close(self, _: object) -> None:
        self.store.close_session(self.info.code, self.key)
        self.ctx.status.info(self.ctx.t("group.closed"))

    def _on_delete(self, _: object) -> None:
        if not self.confirm.value:
            self.ctx.status.info(self.ctx.t("group.confirm_first"))
            return
        n = self.store.delete_session(self.info.code, self.key)
        self._timer_on(False)
        self.widget.children = [
            w.HTML(
                f'<div class="kit-info kit-deleted">{esc(self.ctx.t("group.deleted", n=n))}</div>'
            )
        ]


def raw_csv(code: str, subs: list[Submission]) -> str:
    """Every submission as a row; free text is guarded against spreadsheet formulas."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["session", "participant", "alias", "module", "item", "answers", "updated_at"])
    for s in subs:
        out.writerow(
            [
                code,
                s.participant,
                safe_cell(s.alias),
                s.module,
                safe_cell(s.item),
                json.dumps(s.answers, ensure_ascii=False),
                s.updated_at.isoformat(),
            ]
        )
    return buf.getvalue()
