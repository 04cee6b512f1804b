"""The teacher's homework page (issue 25 §3, ``huiswerk.ipynb``): set homework (exercises, a
deadline, when the reference shows) and get the links to paste in the learning platform; come
back with the code and the key to the class view: per student what she handed in, when, the
scores; her PDF, all of them in one zip, the spreadsheet with every field. No projector framing:
this page has names on it and is for the teacher's own screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w

from kit import formats, homework
from kit.apps.common import Ctx, alert, client_address, download_link, esc, notice, store_problem
from kit.apps.frame import app_frame
from kit.apps.presenter import public_base
from kit.content import Content
from kit.homework import Assignment, HomeworkError
from kit.links import TABS
from kit.sessions import InputError, show_key

#: The notebook of each exercise app, for the links a teacher pastes.
NOTEBOOK = {
    "phases": "fasen.ipynb",
    "quickscan": "quickscan.ipynb",
    "kern": "kern-en-schil.ipynb",
    "plan": "plan.ipynb",
}


def homework_app(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The teacher's homework page in a frame with a language switch."""
    return app_frame("homework", build_homework, lang, content, session=False)


def build_homework(ctx: Ctx) -> w.Widget:
    holder = w.VBox()
    holder.children = [_set_form(ctx, holder), _open_form(ctx, holder)]
    return holder


def refusal(ctx: Ctx, exc: Exception) -> str:
    """What the teacher is told when setting or opening homework was refused."""
    if isinstance(exc, HomeworkError):
        return ctx.t(exc.problem.text_key)
    if isinstance(exc, InputError):
        return ctx.t(exc.code.text_key)
    return store_problem(ctx.t, exc, trainer=True)


def links_for(info_code: str, work: Assignment, case: str | None, item: str | None) -> list[str]:
    """The links of a homework session, one per exercise, relative to the notebooks folder: the
    page puts the address students reach before them (:func:`kit.apps.presenter.public_base`)."""
    out = []
    for app in work.exercises:
        query = f"session={info_code}"
        if app == "quickscan" and case:
            query += f"&case={case}"
        if app == "kern" and item:
            query += f"&intervention={item}"
        out.append(f"{NOTEBOOK[app]}?{query}")
    return out


def _set_form(ctx: Ctx, holder: w.VBox) -> w.Widget:
    c = ctx.content
    title = w.Text(
        description=ctx.t("homework.set.title"),
        style={"description_width": "initial"},
        continuous_update=False,
    )
    title.add_class("kit-homework-title")
    case = w.Dropdown(
        options=[(ctx.t("homework.set.none"), "")] + [(k.title(ctx.lang), k.id) for k in c.cases],
        description=ctx.t("homework.set.case"),
        style={"description_width": "initial"},
    )
    case.add_class("kit-homework-case")
    item = w.Dropdown(
        options=[(ctx.t("homework.set.none"), "")]
        + [(i.name(ctx.lang), i.id) for i in c.interventions],
        description=ctx.t("homework.set.intervention"),
        style={"description_width": "initial"},
    )
    item.add_class("kit-homework-intervention")
    picks = {
        app: w.Checkbox(description=ctx.t(f"{app}.title"), value=False, indent=False)
        for app in TABS
    }
    for app, box in picks.items():
        box.add_class(f"kit-homework-pick-{app}")
    day = w.DatePicker(
        description=ctx.t("homework.set.day"), style={"description_width": "initial"}
    )
    day.add_class("kit-homework-day")
    hour = w.Text(
        value="17:00",
        description=ctx.t("homework.set.hour"),
        style={"description_width": "initial"},
        continuous_update=False,
    )
    hour.add_class("kit-homework-hour")
    release = w.RadioButtons(
        options=[(ctx.t(f"homework.release.{r}"), r) for r in homework.RELEASES],
        description=ctx.t("homework.set.release"),
        style={"description_width": "initial"},
    )
    release.add_class("kit-homework-release")
    create = w.Button(description=ctx.t("homework.set.create"), button_style="primary", icon="plus")
    create.add_class("kit-homework-create")
    message = w.HTML()
    message.add_class("kit-homework-set-message")
    message.add_class("kit-announce")

    def on_create(_: object) -> None:
        from kit.storage import StorageError, get_store

        now = get_store().clock()  # the store's clock: what it stamps, the rules read
        try:
            clock_time = dt.time.fromisoformat(hour.value.strip())
        except ValueError:
            message.value = alert(ctx.t("homework.error.hour"))
            return
        if day.value is None:
            message.value = alert(ctx.t("homework.error.day"))
            return
        # The teacher means her own clock: the deadline in the server's local time zone.
        local = dt.datetime.combine(day.value, clock_time).astimezone()
        try:
            work = homework.assignment(
                [a for a, box in picks.items() if box.value],
                local.astimezone(dt.UTC),
                release.value,
                now,
            )
            days = (work.takes_until - now).days + 1
            store = get_store()
            info, key = store.create_session(
                title.value, case.value or None, item.value or None, days=days
            )
            store.set_homework(info.code, key, work.dump())
        except (HomeworkError, InputError, StorageError) as exc:
            message.value = alert(refusal(ctx, exc))
            return
        # Whole addresses when the kit knows the one students reach (KIT_PUBLIC_URL, else the
        # address this page came in on); else the part after it, with a word on what goes before.
        base = public_base()
        links = "".join(
            f'<li><a href="{esc(f"{base}/{link}")}"><code>{esc(f"{base}/{link}")}</code></a></li>'
            if base
            else f"<li><code>{esc(link)}</code></li>"
            for link in links_for(info.code, work, info.case_id, info.intervention_id)
        )
        heading = ctx.t("homework.set.links_full" if base else "homework.set.links")
        message.value = (
            notice(ctx.t("homework.set.made", code=info.code, facilitator=show_key(key)))
            + f'<p>{esc(heading)}</p><ul class="kit-homework-links">{links}</ul>'
        )

    create.on_click(ctx.guard(on_create))
    exercises = w.VBox(list(picks.values()))
    box = w.VBox(
        [
            w.HTML(f"<h2>{esc(ctx.t('homework.set.heading'))}</h2>"),
            title,
            case,
            item,
            w.HTML(f"<p>{esc(ctx.t('homework.set.exercises'))}</p>"),
            exercises,
            day,
            hour,
            release,
            create,
            message,
        ]
    )
    box.add_class("kit-homework-set")
    return box


def _open_form(ctx: Ctx, holder: w.VBox) -> w.Widget:
    code = w.Text(description=ctx.t("session.code"), placeholder="K7Q2MX", continuous_update=False)
    code.add_class("kit-homework-code")
    key = w.Password(description=ctx.t("homework.open.key"), continuous_update=False)
    key.add_class("kit-homework-key")
    go = w.Button(description=ctx.t("homework.open.go"), icon="folder-open")
    go.add_class("kit-homework-open")
    message = w.HTML()
    message.add_class("kit-announce")
    view = w.VBox()
    view.add_class("kit-homework-class")

    def on_open(_: object) -> None:
        from kit.storage import StorageError, get_store

        try:
            store = get_store()
            info = store.open_session(code.value, key.value, client_address())
            text = store.homework(info.code)
        except (InputError, StorageError) as exc:
            message.value = alert(refusal(ctx, exc))
            return
        if text is None:
            message.value = alert(ctx.t("homework.open.not_homework"))
            return
        message.value = ""
        view.children = [_class_view(ctx, info, Assignment.load(text), key.value)]

    go.on_click(ctx.guard(on_open))
    box = w.VBox(
        [w.HTML(f"<h2>{esc(ctx.t('homework.open.heading'))}</h2>"), code, key, go, message, view]
    )
    box.add_class("kit-homework-open-form")
    return box


def _class_view(ctx: Ctx, info: Any, work: Assignment, key: str) -> w.Widget:
    """The class view, with the page's heartbeat (kit-page.js sets ``.kit-heartbeat`` every few
    seconds while the tab is visible): a view left open across the deadline turns "not handed in
    yet" into "not handed in" by itself. A beat reads the clock only; the store is read again
    when the homework's stage (:func:`kit.homework.stage`: open, past the deadline, closed)
    changed since the view last looked, and then the table, the hand-ins the zip, spreadsheet
    and PDF buttons give and those buttons follow it."""
    from kit import reports
    from kit.present.homework import class_csv, class_view
    from kit.storage import StorageError, get_store

    table = w.HTML()
    table.add_class("kit-homework-roll")
    problem = w.HTML()
    problem.add_class("kit-announce")
    files = w.HTML()
    files.add_class("kit-homework-files")
    zip_button = w.Button(description=ctx.t("homework.view.zip"), icon="file-archive-o")
    zip_button.add_class("kit-homework-zip")
    csv_button = w.Button(description=ctx.t("homework.view.csv"), icon="table")
    csv_button.add_class("kit-homework-csv")
    pdf_row = w.HBox().add_class("kit-row")
    # What the view last read: the hand-ins its buttons give, and the stage it was read at.
    seen: dict[str, Any] = {"hand_ins": [], "stage": None}

    def on_pdf(hand_in: homework.HandIn) -> None:
        from kit.present.homework import maker_of

        name = formats.file_name(ctx.t("homework.file"), maker_of(ctx, info, hand_in), "pdf")
        files.value = download_link(
            reports.hand_in_pdf(ctx, info, work, hand_in),
            name,
            "application/pdf",
            ctx.t("homework.view.pdf_ready", alias=hand_in.alias),
            "kit-homework-pdf-link",
        )

    def show() -> None:
        store = get_store()
        try:
            hand_ins = store.hand_ins(info.code, key)
            people = store.participants(info.code, key)
        except (InputError, StorageError) as exc:  # the session deleted or the store away
            problem.value = alert(refusal(ctx, exc))
            return
        now = store.clock()
        problem.value = ""
        seen["hand_ins"] = hand_ins
        seen["stage"] = homework.stage(work, now, False)
        data = class_view(ctx, info, work, people, hand_ins, now)
        head = "".join(
            f'<th scope="col">{esc(ctx.t(f"homework.view.{k}"))}</th>'
            for k in ("alias", "status", "when", "times", "scores")
        )
        body = "".join(
            f"<tr><th scope='row'>{esc(r.alias)}</th><td>{esc(r.status)}</td>"
            f"<td>{esc(r.when)}</td><td class='kit-homework-times'>{r.times}</td>"
            f"<td>{'<br>'.join(esc(s) for s in r.scores)}</td></tr>"
            for r in data.rows
        )
        table.value = (
            f"<h2>{esc(data.title)} ({esc(info.code)})</h2>"
            f"<p>{esc(ctx.t('homework.pdf.deadline', deadline=data.deadline))}.<br>"
            f"{esc(data.summary)}</p>"
            f'<table class="kit-table kit-homework-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
        # Each student's own PDF (her newest hand-in), as the zip has it.
        newest = homework.newest(hand_ins)
        buttons = []
        for row in data.rows:
            if row.participant not in newest:
                continue
            one = w.Button(
                description=ctx.t("homework.view.pdf", alias=row.alias), icon="file-pdf-o"
            )
            one.add_class("kit-homework-pdf")
            one.on_click(ctx.guard(lambda _, h=newest[row.participant]: on_pdf(h)))
            buttons.append(one)
        pdf_row.children = buttons
        pdf_row.layout.display = None if buttons else "none"

    def on_zip(_: object) -> None:
        blob, _names = reports.class_zip(ctx, info, work, seen["hand_ins"])
        name = f"{ctx.t('homework.file')}-{info.code}-{formats.Maker().made:%Y-%m-%d-%H%M}.zip"
        files.value = download_link(
            blob, name, "application/zip", ctx.t("homework.view.zip_ready"), "kit-zip-link"
        )

    def on_csv(_: object) -> None:
        blob = class_csv(ctx, info, seen["hand_ins"])
        name = f"{ctx.t('homework.zip.csv')}-{info.code}.csv"
        files.value = download_link(
            blob, name, "text/csv", ctx.t("homework.view.csv_ready"), "kit-csv-link"
        )

    beat = w.Text(value="")
    beat.add_class("kit-heartbeat")

    def on_beat(_: object) -> None:
        # Cheap while nothing changes: one reading of the clock.
        if homework.stage(work, get_store().clock(), False) != seen["stage"]:
            show()

    beat.observe(ctx.guard(on_beat), names="value")
    zip_button.on_click(ctx.guard(on_zip))
    csv_button.on_click(ctx.guard(on_csv))
    show()
    return w.VBox(
        [
            table,
            problem,
            w.HBox([zip_button, csv_button]).add_class("kit-row"),
            pdf_row,
            files,
            beat,
        ]
    )
