"""The Group app for trainers: create a session (code, link, QR code), reopen it with the
facilitator key, and watch the group's answers on a live dashboard."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as w

from kit import charts, formats, group
from kit.answers import ScanAnswers
from kit.apps.common import (
    Ctx,
    alert,
    client_address,
    download_link,
    esc,
    every,
    log,
    notice,
    query_params,
    store_problem,
)
from kit.apps.frame import app_frame
from kit.apps.presenter import join_link, presenter_link, public_base, qr_svg
from kit.apps.text_fields import FieldLimit
from kit.content import Content
from kit.present.group import (
    adaptation_panel,
    answers_csv,
    disagreement_rows,
    hexagon_panel,
    joined_names,
    off_chart_line,
    perspective_line,
    plan_rows,
    scan_alt,
    scan_chart_spec,
    tally_rows,
)
from kit.present.store_health import StoreLine, key_file, store_lines
from kit.serve import is_local_url
from kit.sessions import InputError, show_key

if TYPE_CHECKING:  # the database layer loads when a session is created or opened
    from kit.storage import Participant, SessionInfo, Store, Submission

T = TypeVar("T")

REFRESH_SECONDS = 4.0
#: The page script (kit-page.js) beats every few seconds while the dashboard is on a visible
#: tab. Without a beat for this long nobody watches (tab closed or hidden): the refresh stops,
#: so the kernel goes idle and is culled, and the next beat starts it again.
WATCH_SECONDS = 20.0


#: The copy button's script: the clipboard where the page may use it (a secure context such
#: as localhost or https), else a selected text area and the browser's copy command.
COPY_JS = (
    "(function(b){var k=b.dataset.key;"
    "function done(){b.textContent=b.dataset.done;}"
    "function old(){var t=document.createElement('textarea');t.value=k;"
    "t.setAttribute('readonly','');t.style.position='fixed';t.style.opacity='0';"
    "document.body.appendChild(t);t.select();"
    "try{if(document.execCommand('copy')){done();}}catch(e){}document.body.removeChild(t);}"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(k).then(done,old);}"
    "else{old();}})(this)"
)


def dashboard_link(code: str, lang: str = "nl") -> str:
    """Where the trainer opens this session's dashboard again (the code is filled in).

    >>> dashboard_link("K7Q2MX", "en")
    'groep.ipynb?session=K7Q2MX&lang=en'
    """
    from urllib.parse import urlencode

    query = urlencode({"session": code, **({"lang": lang} if lang != "nl" else {})})
    base = public_base()
    return f"{base}/groep.ipynb?{query}" if base else f"groep.ipynb?{query}"


def group_app(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The trainer's Group app in a frame with a language switch."""
    return app_frame("group", build_group, lang, content, session=False)


#: The longest session title the store keeps (its column holds 120).
TITLE_LIMIT = 120


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
        continuous_update=False,
        layout=w.Layout(width="460px"),
    )
    title.add_class("kit-new-title")
    title_limit = FieldLimit(ctx, TITLE_LIMIT)
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
        continuous_update=False,
    )
    code.add_class("kit-open-code")
    key = w.Password(
        description=ctx.t("group.key"), layout=w.Layout(width="360px"), continuous_update=False
    )
    key.add_class("kit-open-key")
    reopen = w.Button(description=ctx.t("group.open"), icon="sign-in")
    reopen.add_class("kit-open-session")

    def show_dashboard(info: SessionInfo, secret: str, new_key: bool) -> None:
        dash = Dashboard(ctx, store(), info, secret, new_key)
        holder.children = [dash.widget]
        message.value = ""

    def on_create(_: object) -> None:
        from kit.storage import StorageError

        clean_title = title_limit.check(title.value)  # kit.text.clean; too long: said there
        if clean_title is None:
            return
        try:
            info, secret = store().create_session(clean_title, case.value, intervention.value)
        except InputError as exc:
            message.value = alert(ctx.t(exc.code.text_key))
            return
        except StorageError as exc:
            log.warning("create session failed: %s", exc)
            message.value = alert(store_problem(ctx.t, exc, trainer=True))
            return
        show_dashboard(info, secret, True)

    def on_reopen(_: object) -> None:
        from kit.storage import StorageError

        try:
            # The same answer for an unknown code and a wrong key: nothing to probe; and only
            # a few wrong tries per session and per address (counted in the store).
            info = store().open_session(code.value, key.value, client_address())
        except InputError as exc:
            message.value = alert(ctx.t(exc.code.text_key))
            return
        except StorageError as exc:
            log.warning("reopen failed: %s", exc)
            message.value = alert(store_problem(ctx.t, exc, trainer=True))
            return
        show_dashboard(info, key.value, False)

    create.on_click(ctx.guard(on_create))
    reopen.on_click(ctx.guard(on_reopen))
    new_card = w.VBox(
        [
            w.HTML(f"<h3>{esc(ctx.t('group.new'))}</h3>"),
            title,
            title_limit.hint,
            case,
            intervention,
            create,
        ]
    )
    new_card.add_class("kit-card")
    open_card = w.VBox([w.HTML(f"<h3>{esc(ctx.t('group.reopen'))}</h3>"), code, key, reopen])
    open_card.add_class("kit-card")
    holder.children = [
        w.HBox([new_card, open_card], layout=w.Layout(flex_flow="row wrap")).add_class("kit-gap")
    ]
    intro = w.HTML(f"<p>{esc(ctx.t('group.intro'))}</p>")
    return w.VBox([intro, message, holder])


class Dashboard:
    """The live view of one session. Refreshes itself every few seconds; redraws only when the
    data changed, so nothing flickers."""

    def __init__(self, ctx: Ctx, store: Store, info: SessionInfo, key: str, new_key: bool) -> None:
        self.ctx, self.store, self.info, self.key = ctx, store, info, key
        self._signature: tuple[Any, ...] | None = None
        self._figures: dict[str, Any] = {}  # the chart Figure, redrawn in place
        self._timer: Any = None
        self._beat: float | None = None  # when the page last said someone looks (monotonic)
        self.paused = False
        self.heartbeat = w.Text(value="")
        self.heartbeat.add_class("kit-heartbeat")
        self.heartbeat.observe(ctx.guard(self._on_beat), names="value")
        self.subs: list[Submission] = []
        self.people: list[Participant] = []
        self.key_note = w.HTML(self._key_html() if new_key else "")
        self.key_note.add_class("kit-key-note")
        self.key_done = w.Button(description=ctx.t("group.key_done"), icon="eye-slash")
        self.key_done.add_class("kit-key-done")
        self.key_done.layout.display = None if new_key else "none"
        self.key_done.on_click(ctx.guard(self._hide_key))
        self.header = w.HTML()
        self.header.add_class("kit-session-header")
        self._header_state: bool | None = None
        self.live = w.Checkbox(value=True, description=ctx.t("group.live"), indent=False)
        self.live.add_class("kit-live")
        self.refresh_button = w.Button(description=ctx.t("group.refresh"), icon="refresh")
        self.refresh_button.add_class("kit-refresh")
        self.state = w.HTML()
        self.state.add_class("kit-dash-state")
        self.joined = w.HTML()
        self.joined.add_class("kit-joined")
        # The quickscan panel shows the perspective most participants used, unless the trainer
        # picks one; the toggle is hidden when the session's scan has one perspective only.
        shown = group.quickscan_counts(ctx.content, info.case_id, [])
        names = {p.id: p.name(ctx.lang) for p in ctx.content.instrument.perspectives}
        self.scan_perspective = w.ToggleButtons(
            options=[(ctx.t("group.perspective.auto"), "")] + [(names[p], p) for p in shown],
            value="",
            description=ctx.t("quickscan.perspective"),
            style={"button_width": "auto"},
        )
        self.scan_perspective.add_class("kit-group-perspective")
        self.scan_perspective.layout.display = None if len(shown) > 1 else "none"
        self.scan_perspective.observe(ctx.guard(lambda _: self.render(self.subs)), names="value")
        self.scan = w.HTML()
        self.scan.add_class("kit-group-scan")
        self.disagree = w.HTML()
        self.disagree.add_class("kit-disagree")
        self.tally = w.HTML()
        self.tally.add_class("kit-phase-tally")
        self.hexagon = w.HTML()  # the Hexagon exercise: counts only (issue 19 §3)
        self.hexagon.add_class("kit-hexagon-tally")
        self.adapt = w.HTML()
        self.adapt.add_class("kit-adapt-tally")
        self.plans = w.HTML()
        self.plans.add_class("kit-plan-tally")
        self.median = w.Button(description=ctx.t("group.median_scan"), icon="download")
        self.median.add_class("kit-group-median")
        self.group_plan = w.Button(description=ctx.t("group.median_plan"), icon="list")
        self.group_plan.add_class("kit-group-plan")
        self.plan_holder = w.VBox()
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
        self.confirm.add_class("kit-confirm-delete")
        self.reopen = w.Button(description=ctx.t("group.reopen_session"), icon="unlock")
        self.reopen.add_class("kit-reopen-session")
        self.reopen.on_click(ctx.guard(self._on_reopen))
        self.delete = w.Button(
            description=ctx.t("group.delete"), button_style="danger", icon="trash"
        )
        self.delete.add_class("kit-delete-session")

        self.refresh_button.on_click(ctx.guard(lambda _: self.refresh(force=True)))
        self.live.observe(ctx.guard(lambda ch: self._timer_on(ch["new"])), names="value")
        self.pdf.on_click(ctx.guard(self._on_pdf))
        self.csv.on_click(ctx.guard(self._on_csv))
        self.median.on_click(ctx.guard(self._on_median))
        self.group_plan.on_click(ctx.guard(self._on_group_plan))
        self.close.on_click(ctx.guard(self._on_close))
        self.delete.on_click(ctx.guard(self._on_delete))
        self.action_message = w.HTML()
        self.action_message.add_class("kit-action-message")
        self.action_message.add_class("kit-announce")
        self.confirm_close = w.Checkbox(
            value=False, description=ctx.t("group.confirm_close"), indent=False
        )
        self.confirm_close.add_class("kit-confirm-close")
        from kit.apps.room_app import remote_panel  # leading the room from the dashboard

        self.widget = w.VBox(
            [
                self.key_note,
                self.key_done,
                self.header,
                remote_panel(ctx, info, key),
                w.HBox(
                    [self.live, self.refresh_button, self.state],
                    layout=w.Layout(align_items="center"),
                ),
                self.joined,
                self.scan_perspective,
                self.scan,
                self.disagree,
                self.tally,
                self.hexagon,
                self.adapt,
                self.plans,
                w.HBox(
                    [self.pdf, self.csv, self.median, self.group_plan],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                self.links,
                self.plan_holder,
                w.HBox(
                    [self.confirm_close, self.close, self.reopen],
                    layout=w.Layout(align_items="center"),
                ).add_class("kit-controls"),
                w.HBox(
                    [self.confirm, self.delete], layout=w.Layout(align_items="center")
                ).add_class("kit-controls"),
                self.action_message,
                self.heartbeat,
            ]
        )
        self.widget.add_class("kit-dashboard")
        self.refresh(force=True)
        self._timer_on(True)

    # ----------------------------------------------------------- state of the store
    def show_state(self, error: Exception | None, unreadable: int = 0) -> None:
        """What the store does, since when (:func:`kit.present.store_health.store_lines`);
        the kit's advice where the store could not even say."""
        now = dt.datetime.now(dt.UTC)
        try:
            health = self.store.health()
        except Exception:  # health is bookkeeping in this process; never hide the data for it
            log.exception("store health could not be read")
            health = None
        lines = store_lines(self.ctx, health, now, unreadable)
        if error is not None and (health is None or health.failure is None):
            lines.insert(
                0, StoreLine(store_problem(self.ctx.t, error, trainer=True), True, "store")
            )
            lines = [line for line in lines if line.kind != "updated"]
        elif error is not None and getattr(error, "damaged", False):  # the last good copy
            advice = StoreLine(store_problem(self.ctx.t, error, trainer=True), True, "advice")
            lines.insert(1, advice)
        self.state.value = "".join(
            alert(line.text, "span").replace(
                'class="kit-error"', f'class="kit-error kit-state-{line.kind}"'
            )
            if line.alert
            else f'<span class="kit-muted kit-state-{line.kind}">{esc(line.text)}</span>'
            for line in lines
        )

    # ----------------------------------------------------------- key
    def _key_html(self) -> str:
        """The facilitator key, readable and grouped, with a copy button and a file to save:
        it is shown only now."""
        ctx, info = self.ctx, self.info
        shown = show_key(self.key)
        text = key_file(
            ctx,
            info.title,
            info.code,
            shown,
            dashboard_link(info.code, ctx.lang),
            join_link(info.code, ctx.lang),
        )
        save = download_link(
            text.encode("utf-8"),
            f"sessie-{info.code}-sleutel.txt"
            if ctx.lang == "nl"
            else f"session-{info.code}-key.txt",
            "text/plain;charset=utf-8",
            ctx.t("group.key_save"),
            "kit-key-file",
        )
        copy = (
            f'<button type="button" class="kit-key-copy" data-key="{esc(shown)}" '
            f'data-done="{esc("✓ " + ctx.t("group.key_copied"))}" onclick="{esc(COPY_JS)}">'
            f"{esc(ctx.t('group.key_copy'))}</button>"
        )
        return (
            f'<div class="kit-info kit-new-key" role="status">'
            # Focus lands here after creating a session (kit-a11y.js): the key is shown once.
            f"<p class='kit-key-title' data-kit-focus><b>{esc(ctx.t('group.key_only_now'))}</b></p>"
            f'<p class="kit-key-line"><span class="kit-muted">{esc(ctx.t("group.key"))}:</span> '
            f'<code class="kit-key" aria-label="{esc(" ".join(shown))}">{esc(shown)}</code></p>'
            f'<p class="kit-key-actions">{copy} {save}</p>'
            f'<p class="kit-muted">{esc(ctx.t("group.key_how"))}</p></div>'
        )

    # ----------------------------------------------------------- header
    def _hide_key(self, _: object) -> None:
        self.key_note.value = ""
        self.key_done.layout.display = "none"

    def render_header(self) -> None:
        """QR code, join code and link while the session is open; only a note once closed."""
        ctx, c, info = self.ctx, self.ctx.content, self.info
        if self._header_state == info.open:
            return
        self._header_state = info.open
        self.reopen.layout.display = None if not info.open else "none"
        self.close.layout.display = "none" if not info.open else None
        self.confirm_close.layout.display = "none" if not info.open else None
        context = []
        if info.case_id:
            context.append(ctx.t("group.case") + ": " + c.case(info.case_id).title(ctx.lang))
        if info.intervention_id:
            context.append(
                ctx.t("group.intervention")
                + ": "
                + c.intervention(info.intervention_id).name(ctx.lang)
            )
        about = f"<p class='kit-muted'>{esc(' · '.join(context))}</p>"
        keep = ctx.t(
            "group.retention",
            date=formats.date(info.delete_after.astimezone().date(), ctx.lang),
            days=info.retention_days,
        )
        about += f"<p class='kit-muted kit-retention'>{esc(keep)}</p>"
        title = f"<h3 class='kit-session-title' data-kit-focus>{esc(info.title)}</h3>"
        if not info.open:
            self.header.value = (
                f"<div class='kit-card'>{title}{notice(ctx.t('group.closed_qr'))}{about}</div>"
            )
            return
        link = join_link(info.code, ctx.lang)
        warning = ""
        if is_local_url(link):
            from urllib.parse import urlsplit

            host = urlsplit(link).hostname or "localhost"
            warning = f'<div class="kit-local-warning">{alert(ctx.t("group.local_warning", host=host))}</div>'
        self.header.value = (
            f"{warning}<div class='kit-card kit-join-card'>"
            f"<div class='kit-join-qr'>{qr_svg(link, scale=5)}</div><div>{title}"
            f"<p>{esc(ctx.t('group.join_with'))}</p>"
            f"<p class='kit-join-code'>{esc(info.code)}</p>"
            f"<p><a class='kit-join-link' href='{esc(link)}' target='_blank'>{esc(link)}</a></p>"
            f"<p><a class='kit-open kit-presenter-link' href='{esc(presenter_link(info.code, ctx.lang))}' target='_blank'>"
            f"{esc(ctx.t('group.presenter_link'))}</a></p>"
            f"<p class='kit-muted'>{esc(ctx.t('group.presenter_hint'))}</p>{about}</div></div>"
        )

    # ----------------------------------------------------------- timer
    def _timer_on(self, on: bool) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if on:
            self._timer = every(REFRESH_SECONDS, self._tick, self.ctx, "dashboard refresh")

    def _on_beat(self, _: object) -> None:
        self._beat = time.monotonic()
        if self.paused and self.live.value:
            self.paused = False
            self._timer_on(True)
            self.refresh()

    def _tick(self) -> None:
        """A refresh, unless the page stopped beating. A page that never beat (JupyterLab, no
        page script) refreshes as long as it lives."""
        if self._beat is not None and time.monotonic() - self._beat > WATCH_SECONDS:
            self.paused = True
            self._timer_on(False)
            return
        self.refresh()

    # ----------------------------------------------------------- data
    def refresh(self, force: bool = False) -> None:
        from kit.storage import StorageError

        ctx = self.ctx
        try:
            subs = self.store.all_submissions(self.info.code, self.key)
            people = self.store.participants(self.info.code, self.key)
            info = self.store.session(self.info.code)
            unreadable = self.store.unreadable(self.info.code, self.key)
        except StorageError as exc:
            log.warning("dashboard could not read the store: %s", exc)
            self.show_state(exc)
            return
        except InputError:
            self.state.value = alert(ctx.t("group.gone"), "span")
            self._timer_on(False)
            return
        try:
            # A small write each time: a full disk shows here while reads still work. It also
            # makes a copy when one is due: a good copy is at most 10 minutes old.
            self.store.probe_write()
        except StorageError as exc:
            log.warning("dashboard: the group store cannot write: %s", exc)
        self.show_state(None, unreadable)
        if info is not None:
            self.info = info
        self.render_header()
        signature = (len(subs), max((s.updated_at for s in subs), default=None), len(people))
        if not force and signature == self._signature:
            return
        self._signature = signature
        self.subs, self.people = subs, people
        self.render(subs)

    def render(self, subs: list[Submission]) -> None:
        ctx, c = self.ctx, self.ctx.content
        names = ", ".join(
            f'<span class="kit-alias">{esc(p.alias)}</span>'
            if p.answered
            else f'<span class="kit-alias kit-muted">{esc(p.alias)} ({esc(p.note)})</span>'
            for p in joined_names(ctx, self.people, subs)
        )
        self.joined.value = f'<div class="kit-card"><b>{esc(ctx.t("group.joined", n=len(self.people)))}</b><br><span class="kit-aliases">{names or "—"}</span></div>'
        # Quickscan
        perspective, case_id = group.quickscan_target(
            c, self.info.case_id, subs, self.scan_perspective.value or None
        )
        g = group.quickscan_group(subs, c, perspective, case_id)
        spec = scan_chart_spec(ctx, g)
        off = off_chart_line(ctx, case_id, subs)
        chart = charts.png(charts.group_phases, dpi=90, reuse=self._figures, **spec)
        self.scan.value = (
            f"<h3>{esc(ctx.t('group.scan_title', n=len(g.answers)))}</h3>"
            f"<p class='kit-scan-perspective'>{esc(perspective_line(ctx, case_id, subs, perspective))}</p>"
            + (f"<p class='kit-muted kit-off-chart'>{esc(off)}</p>" if off else "")
            + charts.img_html(chart, scan_alt(ctx, g, spec))
        )
        rows_html = "".join(
            f"<li><b>{esc(d.statement)}</b><br>"
            + " · ".join(f"{esc(label)}: {n}" for label, n in d.counts)
            + "</li>"
            for d in disagreement_rows(ctx, g, perspective)
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
        self.hexagon.value = hexagon_html(ctx, subs)
        # Adaptations
        if self.info.intervention_id:
            panel = adaptation_panel(ctx, subs, self.info.intervention_id)
            lis = "".join(f"<li>{esc(row)}</li>" for row in panel.rows)
            self.adapt.value = (
                f"<h3>{esc(panel.title)}</h3><p>{esc(' · '.join(panel.totals))}</p>"
                + (
                    f"<ul>{lis}</ul>"
                    if lis
                    else f'<p class="kit-muted">{esc(ctx.t("group.nothing_yet"))}</p>'
                )
            )
        else:
            self.adapt.value = ""
        # Plans: which activities, how often (for the closing discussion)
        plan_items = "".join(
            f"<li>{esc(r.activity)} <span class='kit-muted'>({r.phase})</span>: {esc(r.count)}</li>"
            for r in plan_rows(ctx, subs)
        )
        self.plans.value = (
            f"<h3>{esc(ctx.t('group.plans'))}</h3><p class='kit-muted'>{esc(ctx.t('group.plans.intro'))}</p>"
            + (
                f"<ol>{plan_items}</ol>"
                if plan_items
                else f'<p class="kit-muted">{esc(ctx.t("group.nothing_yet"))}</p>'
            )
        )

    # ----------------------------------------------------------- actions
    def _polls(self) -> tuple[list[Any], list[tuple[str, str, str, str]]] | None:
        """A led session's polls for the report and the spreadsheet: summaries and one row per
        vote (both empty when the session was never led); None when the store refused."""
        from kit.led import Led
        from kit.present.room import poll_csv_rows, poll_summaries

        def read() -> tuple[list[Any], list[tuple[str, str, str, str]]]:
            room = Led(self.store, self.ctx.content, self.info.code).room()
            agenda = next(
                (a for a in self.ctx.content.agendas if room and a.id == room.agenda), None
            )
            if room is None or agenda is None:
                return [], []
            votes = self.store.all_votes(self.info.code, self.key)
            people = self.store.participants(self.info.code, self.key)
            aliases = {p.participant: p.alias for p in people}
            summaries = poll_summaries(self.ctx, agenda, votes, len(people), room.hidden)
            return summaries, poll_csv_rows(self.ctx, agenda, votes, aliases)

        return self._store_action("read the polls", read)

    def _on_pdf(self, _: object) -> None:
        from kit import reports

        polls = self._polls()
        if polls is None:
            return
        data = reports.group_pdf(
            self.ctx, self.info, self.subs, self.scan_perspective.value or None, polls[0]
        )
        self.links.value = download_link(
            data,
            f"groep-{self.info.code}.pdf",
            "application/pdf",
            self.ctx.t("group.pdf_ready"),
            "kit-pdf-link",
        )

    def _on_csv(self, _: object) -> None:
        # Answers the kit cannot read are kept for the export (the dashboard counts them).
        unreadable = self._store_action(
            "export unreadable answers",
            lambda: self.store.unreadable_rows(self.info.code, self.key),
        )
        polls = self._polls()
        if unreadable is None or polls is None:
            return
        data = answers_csv(self.ctx, self.info.code, self.subs, unreadable, polls[1])
        self.links.value = download_link(
            data,
            f"groep-{self.info.code}.csv",
            "text/csv",
            self.ctx.t("group.csv_ready"),
            "kit-csv-link",
        )

    def _median(self) -> ScanAnswers:
        """The group's scan as one (the median per statement) for the perspective on screen."""
        c = self.ctx.content
        perspective, case_id = group.quickscan_target(
            c, self.info.case_id, self.subs, self.scan_perspective.value or None
        )
        g = group.quickscan_group(self.subs, c, perspective, case_id)
        return group.median_scan(g, perspective, case_id)

    def _on_group_plan(self, _: object) -> None:
        """The plan builder below the dashboard, started on the group's median: the closing
        discussion can make one plan together."""
        from kit.apps.plan_app import build_plan

        box = build_plan(self.ctx, (self._median(), "group", dt.date.today().isoformat()))
        self.plan_holder.children = [box]

    def _on_median(self, _: object) -> None:
        from kit.quickscan import dump_answers

        c = self.ctx.content
        scan = self._median()
        text = dump_answers(
            c.instrument.version, scan, dt.datetime.now().isoformat(timespec="seconds")
        )
        self.links.value = download_link(
            text.encode("utf-8"),
            f"groep-{self.info.code}-mediaan.json",
            "application/json",
            self.ctx.t("group.median_ready"),
            "kit-median-link",
        )

    def _store_action(self, what: str, call: Callable[[], T]) -> T | None:
        """A store call of a button: a refusal (wrong key, session gone) and a failing store
        get the kit's own words below the buttons, as creating and reopening do; None then."""
        from kit.storage import StorageError

        try:
            return call()
        except InputError as exc:
            log.info("%s refused: %s", what, exc.code)
            self.action_message.value = alert(self.ctx.t(exc.code.text_key))
        except StorageError as exc:
            log.warning("%s failed: %s", what, exc)
            self.action_message.value = alert(store_problem(self.ctx.t, exc, trainer=True))
        return None

    def _on_close(self, _: object) -> None:
        if not self.confirm_close.value:
            self.action_message.value = alert(self.ctx.t("group.confirm_close_first"))
            return

        def close() -> bool:
            self.store.close_session(self.info.code, self.key)
            return True

        if self._store_action("close session", close) is None:
            return
        self.confirm_close.value = False
        self.action_message.value = notice(self.ctx.t("group.closed"))
        self.refresh(force=True)

    def _on_reopen(self, _: object) -> None:
        """A closed session takes answers again, while its retention period lasts."""
        info = self._store_action(
            "reopen session",
            lambda: self.store.reopen_session(self.info.code, self.key, client_address()),
        )
        if info is None:
            return
        self.info = info
        self.action_message.value = notice(self.ctx.t("group.reopened"))
        self.refresh(force=True)

    def _on_delete(self, _: object) -> None:
        if not self.confirm.value:
            self.action_message.value = alert(self.ctx.t("group.confirm_first"))
            return
        n = self._store_action(
            "delete session", lambda: self.store.delete_session(self.info.code, self.key)
        )
        if n is None:
            return
        self._timer_on(False)
        self.widget.children = [
            w.HTML(
                f'<div class="kit-info kit-deleted">{esc(self.ctx.t("group.deleted", n=n))}</div>'
            )
        ]


def hexagon_html(ctx: Ctx, subs: list[Submission]) -> str:
    """The group's Hexagon on the dashboard: a table per indicator and the count per verdict,
    never a name; nothing while nobody has rated (a session that does not choose)."""
    panel = hexagon_panel(ctx, subs)
    if panel is None or not panel.people:
        return ""
    head = "".join(
        f"<th scope='col'>{esc(ctx.t(f'group.hexagon.col.{k}'))}</th>"
        for k in ("indicator", "rated", "median", "spread")
    )
    body = "".join(
        f"<tr><th scope='row'>{esc(r.indicator)} <span class='kit-muted'>({esc(r.group)})</span></th>"
        f"<td>{esc(r.rated)}</td><td>{esc(r.median)}</td><td>{esc(r.spread)}</td></tr>"
        for r in panel.rows
    )
    verdicts = " · ".join(esc(v) for v in panel.verdicts)
    return (
        f"<h3>{esc(panel.title)}</h3>"
        f"<p class='kit-hexagon-verdicts'><b>{esc(ctx.t('group.hexagon.verdicts'))}:</b> {verdicts}</p>"
        f"<table class='kit-table'><caption>{esc(ctx.t('group.hexagon.caption'))}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<p class='kit-muted'>{esc(panel.scale)}</p>"
    )
