"""The plan builder: from a scan to a plan a team can take home, and back to the next scan.

1. *Scan*: start from your own scan, a case's reference reading or a scan file (also the group
   median a trainer downloads from the dashboard); the kit proposes the activities that fit.
2. *Plan*: per activity who, when, what it needs and the indicator the next scan checks; the
   cycle's check (next scan) and act (what you adjust); warnings as you go.
3. *Money*: the cost worksheet and the usual funding routes.
4. *Files*: Word and PDF (in the app's language), the werkmap, save and load as JSON.
5. *Progress*: an earlier and a later scan side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from kit import charts, formats
from kit import plan as logic
from kit.answers import Plan, PlanStep, ScanAnswers
from kit.apps import common
from kit.apps.common import Ctx, alert, download_link, esc, lazy_tabs, log, notice
from kit.apps.frame import app_frame
from kit.apps.text_fields import FieldLimit
from kit.content import Content
from kit.formats import Maker
from kit.present import plan as view
from kit.quickscan import AnswersFileError, reference_answers

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"  # .docx
WHO = ("organisation", "professionals", "developer", "funder")
FULL = {"width": "100%", "max_width": "460px"}


def plan_app(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The plan builder in a frame with a language switch."""
    return app_frame("plan", build_plan, lang, content)


class PlanBuilder:
    """The plan on screen; every change is saved to the answer memory at once."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        found = ctx.memory.find(Plan)
        # A new plan starts on the perspective the Quickscan starts on (the instrument's first).
        self.plan: Plan = found or Plan(perspective=ctx.content.instrument.perspectives[0].id)
        self.on_change: list[Callable[[], None]] = []

    def set(self, plan: Plan) -> None:
        self.plan = plan
        self.ctx.memory.save(plan)
        for callback in self.on_change:
            callback()

    def start_from(self, scan: ScanAnswers, source: str, date: str) -> None:
        """A new starting scan: the steps are kept, the proposals change."""
        self.set(
            self.plan.model_copy(
                update={
                    "perspective": scan.perspective,
                    "case": scan.case,
                    "source": source,
                    "scan": dict(scan.values),
                    "scan_date": date,
                }
            )
        )

    def choose(self, activities: list[str]) -> None:
        """The steps for these activities, in this order; a step already planned keeps its
        details."""
        c, p = self.ctx.content, self.plan
        answers = p.scan
        steps = tuple(p.step(a) or logic.new_step(c, p.perspective, a, answers) for a in activities)
        self.set(p.model_copy(update={"steps": steps}))

    def update_step(self, activity: str, **fields: Any) -> None:
        steps = tuple(
            s.model_copy(update=fields) if s.activity == activity else s for s in self.plan.steps
        )
        # model_copy does not validate: build the step again so a bad value fails here.
        steps = tuple(PlanStep.model_validate(s.model_dump()) for s in steps)
        self.set(self.plan.model_copy(update={"steps": steps}))

    def update(self, **fields: Any) -> None:
        self.set(Plan.model_validate({**self.plan.model_dump(), **fields}))


#: A scan handed to the plan builder by another screen: (scan, source, date).
Start = tuple[ScanAnswers, str, str]


def build_plan(ctx: Ctx, start: Start | None = None) -> w.Widget:
    """The plan builder; ``start`` is a scan another screen hands over (the Quickscan's result,
    the group's median): the builder starts on it, so its proposals show at once."""
    builder = PlanBuilder(ctx)
    if start is not None:
        builder.start_from(*start)
    findings = w.HTML()
    findings.add_class("kit-plan-findings")

    def show_findings() -> None:
        found = logic.check(builder.plan, ctx.content)
        if not found:
            findings.value = (
                f'<div class="kit-feedback kit-good">✓ {esc(ctx.t("plan.findings.none"))}</div>'
            )
            return
        items = "".join(
            f'<li class="{"kit-plan-warning" if f.issue.warning else "kit-plan-todo"}">'
            f"{esc(view.finding_text(ctx, f))}</li>"
            for f in found
        )
        findings.value = f"<b>{esc(ctx.t('plan.findings'))}</b><ul>{items}</ul>"

    builder.on_change.append(show_findings)
    show_findings()
    tabs = lazy_tabs(
        ctx,
        "plan.tab",
        [
            (f"1 · {ctx.t('plan.tab.scan')}", lambda: _scan_tab(ctx, builder)),
            (f"2 · {ctx.t('plan.tab.plan')}", lambda: _plan_tab(ctx, builder, findings)),
            (f"3 · {ctx.t('plan.tab.money')}", lambda: _money_tab(ctx, builder)),
            (f"4 · {ctx.t('plan.tab.files')}", lambda: _files_tab(ctx, builder)),
            (f"5 · {ctx.t('plan.tab.progress')}", lambda: _progress_tab(ctx, builder)),
        ],
    )
    tabs.add_class("kit-plan-tabs")
    box = w.VBox([w.HTML(f"<p>{esc(ctx.t('plan.intro'))}</p>"), tabs])
    box.add_class("kit-plan")
    box.builder = builder  # lets tests reach the plan
    return box


# --------------------------------------------------------------------------- 1. scan


def _scan_options(ctx: Ctx) -> list[tuple[str, str]]:
    """Own scans in the answer memory (with answers), then every case's reference reading."""
    c, lang = ctx.content, ctx.lang
    options = []
    for scan in ctx.memory.records(ScanAnswers):
        if scan.values:
            where = c.case(scan.case).title(lang) if scan.case else ctx.t("quickscan.own")
            options.append((ctx.t("plan.scan.mine", where=where), f"mine:{scan.item}"))
    for case in c.cases:
        options.append((ctx.t("plan.scan.case", title=case.title(lang)), f"case:{case.id}"))
    return options


def _scan_view(p: Plan) -> tuple[Any, ...]:
    """What the scan tab shows of a plan: the scan and which activities are chosen."""
    return (
        p.perspective,
        p.case,
        p.source,
        p.scan_date,
        tuple(sorted(p.scan.items(), key=lambda kv: kv[0])),
        tuple(s.activity for s in p.steps),
    )


def _scan_tab(ctx: Ctx, builder: PlanBuilder) -> w.Widget:
    c, lang = ctx.content, ctx.lang
    chooser = w.Dropdown(
        options=_scan_options(ctx), description=ctx.t("plan.scan.choose"), layout=w.Layout(**FULL)
    )
    chooser.add_class("kit-plan-source")
    use = w.Button(description=ctx.t("plan.scan.use"), button_style="primary", icon="check")
    use.add_class("kit-plan-use-scan")
    upload = w.FileUpload(accept=".json", multiple=False, description=ctx.t("plan.scan.upload"))
    upload.add_class("kit-plan-upload-scan")
    message = w.HTML()
    message.add_class("kit-plan-scan-message")
    message.add_class("kit-announce")
    where = w.HTML()
    where.add_class("kit-plan-where")
    proposals = w.VBox()
    proposals.add_class("kit-proposals")
    boxes: dict[str, w.Checkbox] = {}
    extra = w.Dropdown(
        options=[("—", "")]
        + [(f"{p.number} · {a.text(lang)}", a.id) for p in c.phases for a in p.activities],
        value="",
        description=ctx.t("plan.scan.other"),
        layout=w.Layout(**FULL),
    )
    extra.add_class("kit-plan-other")
    apply = w.Button(description=ctx.t("plan.scan.apply"), button_style="primary", icon="list")
    apply.add_class("kit-plan-apply")

    shown: list[tuple[Any, ...]] = [()]

    def show() -> None:
        p = builder.plan
        shown[0] = _scan_view(p)
        if not p.scan:
            where.value = f'<p class="kit-muted">{esc(ctx.t("plan.scan.none_yet"))}</p>'
            proposals.children = []
            return
        where.value = f'<p class="kit-card"><b>{esc(view.scan_line(ctx, p))}</b></p>'
        chosen = {s.activity for s in p.steps}
        rows: list[w.Widget] = []
        boxes.clear()
        found = logic.propose(c, p.perspective, p.scan)
        for prop in found:
            box = w.Checkbox(
                value=prop.activity in chosen,
                description=f"{view.fit_text(ctx, prop.fit)} · {c.activity(prop.activity).text(lang)}",
                indent=False,
                layout=w.Layout(width="100%"),
            )
            box.add_class("kit-proposal-box")
            boxes[prop.activity] = box
            rows += [
                box,
                w.HTML(
                    f'<div class="kit-muted kit-proposal-why">{esc(view.phase_label(ctx, prop.phase))} — '
                    f"{esc(view.proposal_why(ctx, prop))}</div>"
                ),
            ]
        if not found:
            rows.append(w.HTML(f'<p class="kit-muted">{esc(ctx.t("plan.scan.nothing"))}</p>'))
        proposals.children = rows

    def show_if_changed() -> None:
        """The scan or the chosen steps changed elsewhere (a plan file loaded, a scan handed
        over, a step removed): redraw; a detail of a step (its date, a note) changes nothing
        here."""
        if _scan_view(builder.plan) != shown[0]:
            show()

    def pick(value: str) -> ScanAnswers:
        kind, _, key = value.partition(":")
        if kind == "case":
            case = c.case(key)
            values = reference_answers(case.references[0].answers)  # the case's own reading
            return ScanAnswers(perspective=case.perspective, case=case.id, values=values)
        perspective, _, case_id = key.partition(":")
        found = ctx.memory.find(
            ScanAnswers, perspective=perspective, case=None if case_id == "__own__" else case_id
        )
        assert found is not None
        return found

    def on_use(_: object) -> None:
        if chooser.value is None:
            return
        kind = str(chooser.value).partition(":")[0]
        scan = pick(str(chooser.value))
        builder.start_from(scan, "case" if kind == "case" else "own", dt.date.today().isoformat())
        message.value = ""
        show_if_changed()  # drawn once: the builder's listener may have done it

    def on_upload(change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        try:
            dated = logic.parse_scan_file(bytes(item["content"]), c)
        except AnswersFileError as exc:
            log.warning("scan file %s rejected: %s", item.get("name"), exc)
            message.value = alert(
                ctx.t(
                    "plan.scan.bad",
                    name=item.get("name", "?"),
                    reason=ctx.t(exc.problem.text_key, version=c.instrument.version),
                )
            )
            return
        finally:
            upload.value = ()
        scan = dated.scan
        if scan.case not in {k.id for k in c.cases}:
            scan = scan.model_copy(update={"case": None})
        builder.start_from(scan, "file", dated.date)
        message.value = notice("✓ " + ctx.t("plan.scan.loaded", name=item.get("name", "?")))
        show_if_changed()  # drawn once: the builder's listener may have done it

    def on_apply(_: object) -> None:
        p = builder.plan
        if not p.scan:
            message.value = alert(ctx.t("plan.scan.none_yet"))
            return
        kept = [s.activity for s in p.steps if s.activity not in boxes]  # added by hand
        ticked = [a for a, box in boxes.items() if box.value]
        chosen = [a for a in [*ticked, *kept] if a]
        if extra.value and extra.value not in chosen:
            chosen.append(str(extra.value))
        # Keep the order the user had, new ones after it.
        before = [s.activity for s in p.steps]
        order = [a for a in before if a in chosen] + [a for a in chosen if a not in before]
        builder.choose(order)
        extra.value = ""
        message.value = notice("✓ " + ctx.t("plan.scan.applied", n=len(order)))
        show_if_changed()  # drawn once: the builder's listener may have done it

    use.on_click(ctx.guard(on_use))
    upload.observe(ctx.guard(on_upload), names="value")
    apply.on_click(ctx.guard(on_apply))
    builder.on_change.append(show_if_changed)
    show()
    return w.VBox(
        [
            w.HTML(f"<p>{esc(ctx.t('plan.scan.intro'))}</p>"),
            chooser,
            w.HBox([use, upload], layout=w.Layout(flex_flow="row wrap")).add_class("kit-row"),
            message,
            where,
            w.HTML(f"<h3>{esc(ctx.t('plan.scan.proposals'))}</h3>"),
            proposals,
            extra,
            apply,
        ]
    )


# --------------------------------------------------------------------------- 2. plan (PDCA)


def _step_editor(ctx: Ctx, builder: PlanBuilder, step: PlanStep, n: int) -> w.Widget:
    c, lang = ctx.content, ctx.lang
    p = builder.plan
    s = view.step_view(ctx, p, step)
    assert c.costs is not None
    style = {"description_width": "initial"}
    who = w.Dropdown(
        options=[(ctx.t(f"plan.who.{k}"), k) for k in WHO],
        value=step.who,
        description=ctx.t("plan.field.who"),
        style=style,
        layout=w.Layout(**FULL),
    )
    when = w.Text(
        value=step.when,
        placeholder=ctx.t("plan.when.placeholder"),
        description=ctx.t("plan.field.when"),
        continuous_update=False,
        style=style,
        layout=w.Layout(**FULL),
    )
    when.add_class("kit-step-when")
    amounts = {
        key: w.BoundedIntText(
            value=getattr(step, key),
            min=0,
            max=10_000_000,
            description=ctx.t(f"plan.field.{key}"),
            continuous_update=False,
            style=style,
            layout=w.Layout(width="100%", max_width="220px"),
        )
        for key in ("hours", "money", "people")
    }
    cost = w.Dropdown(
        options=[(cat.name(lang), cat.id) for cat in c.costs.categories],
        value=step.cost,
        description=ctx.t("plan.field.cost"),
        style=style,
        layout=w.Layout(**FULL),
    )
    linked = [
        st
        for st in c.instrument.statements_for(p.perspective)
        if step.activity in st.activities or st.phase == c.phase_of_activity(step.activity).id
    ]
    linked.sort(key=lambda st: step.activity not in st.activities)
    indicator = w.Dropdown(
        options=[(ctx.t("plan.indicator.none"), "")] + [(st.text(lang), st.id) for st in linked],
        value=step.indicator or "",
        description=ctx.t("plan.field.indicator"),
        style=style,
        layout=w.Layout(width="100%", max_width="720px"),
    )
    indicator.add_class("kit-step-indicator")
    target = w.Dropdown(
        options=[(f"≥ {sc.value} · {sc.label(lang)}", sc.value) for sc in c.instrument.scale],
        value=step.target,
        description=ctx.t("plan.field.target"),
        style=style,
        layout=w.Layout(**FULL),
    )
    note = w.Text(
        value=step.note,
        description=ctx.t("plan.field.note"),
        placeholder=ctx.t("plan.note.placeholder"),
        continuous_update=False,
        style=style,
        layout=w.Layout(**FULL),
    )
    note.add_class("kit-step-note")
    remove = w.Button(description=ctx.t("plan.remove"), icon="trash")
    remove.add_class("kit-step-remove")
    status = w.HTML()
    # The indicator in words: a long statement does not fit a select on a phone.
    in_words = w.HTML(f'<p class="kit-muted kit-step-indicator-text">→ {esc(s.indicator)}</p>')

    def show_indicator() -> None:
        now = builder.plan.step(step.activity)
        if now is not None:
            text = view.indicator_text(ctx, now)
            in_words.value = f'<p class="kit-muted kit-step-indicator-text">→ {esc(text)}</p>'

    def field(name: str, get: Callable[[Any], Any]) -> Callable[[dict[str, Any]], None]:
        def changed(change: dict[str, Any]) -> None:
            status.value = ""
            if name == "when" and change["new"] and logic.when_date(change["new"]) is None:
                status.value = alert(ctx.t("plan.when.bad", value=change["new"]))
                return
            builder.update_step(step.activity, **{name: get(change["new"])})
            if name in ("indicator", "target"):
                show_indicator()

        return changed

    who.observe(ctx.guard(field("who", str)), names="value")
    when.observe(ctx.guard(field("when", lambda v: str(v).strip())), names="value")
    for key, box in amounts.items():
        box.observe(ctx.guard(field(key, int)), names="value")
    cost.observe(ctx.guard(field("cost", str)), names="value")
    indicator.observe(ctx.guard(field("indicator", lambda v: v or None)), names="value")
    target.observe(ctx.guard(field("target", int)), names="value")
    note_limit = FieldLimit(ctx)

    def on_note(change: dict[str, Any]) -> None:
        text = note_limit.check(change["new"])
        if text is not None:  # too long: the text stays in the field, the plan keeps the old
            builder.update_step(step.activity, note=text)

    note.observe(ctx.guard(on_note), names="value")
    remove.on_click(
        ctx.guard(
            lambda _: builder.choose(
                [x.activity for x in builder.plan.steps if x.activity != step.activity]
            )
        )
    )
    head = w.HTML(
        f"<h4>{n}. {esc(s.activity)}</h4><p class='kit-muted'>{esc(s.phase)} — {esc(s.fit)}</p>"
    )
    needs = w.HBox(list(amounts.values()), layout=w.Layout(flex_flow="row wrap"))
    card = w.VBox(
        [
            head,
            who,
            when,
            status,
            needs,
            cost,
            indicator,
            target,
            in_words,
            note,
            note_limit.hint,
            remove,
        ]
    )
    card.add_class("kit-card")
    card.add_class("kit-step")
    card.add_class(f"kit-step-{step.activity}")
    return card


def _plan_tab(ctx: Ctx, builder: PlanBuilder, findings: w.HTML) -> w.Widget:
    steps = w.VBox()
    steps.add_class("kit-steps")
    style = {"description_width": "initial"}
    next_scan = w.Text(
        value=builder.plan.next_scan,
        placeholder=ctx.t("plan.when.placeholder"),
        description=ctx.t("plan.next_scan"),
        continuous_update=False,
        style=style,
        layout=w.Layout(**FULL),
    )
    next_scan.add_class("kit-plan-next-scan")
    adjust = w.Textarea(
        value=builder.plan.adjust,
        placeholder=ctx.t("plan.adjust.placeholder"),
        description=ctx.t("plan.adjust"),
        continuous_update=False,
        style=style,
        layout=w.Layout(width="100%", max_width="640px"),
    )
    adjust.add_class("kit-plan-adjust")
    message = w.HTML()
    shown: list[tuple[str, ...]] = [()]

    def rebuild() -> None:
        p = builder.plan
        ids = tuple(s.activity for s in p.steps)
        if ids == shown[0] and steps.children:
            return
        shown[0] = ids
        steps.children = [
            _step_editor(ctx, builder, s, n) for n, s in enumerate(logic.schedule(p.steps), 1)
        ] or [w.HTML(f'<p class="kit-muted">{esc(ctx.t("plan.no_steps"))}</p>')]

    def on_next(change: dict[str, Any]) -> None:
        value = str(change["new"]).strip()
        if value and logic.when_date(value) is None:
            message.value = alert(ctx.t("plan.when.bad", value=value))
            return
        message.value = ""
        builder.update(next_scan=value)

    builder.on_change.append(rebuild)
    next_scan.observe(ctx.guard(on_next), names="value")
    adjust_limit = FieldLimit(ctx, multiline=True)

    def on_adjust(change: dict[str, Any]) -> None:
        text = adjust_limit.check(change["new"])
        if text is not None:  # too long: the text stays in the field, the plan keeps the old
            builder.update(adjust=text)

    adjust.observe(ctx.guard(on_adjust), names="value")
    rebuild()
    return w.VBox(
        [
            w.HTML(f"<p>{esc(ctx.t('plan.plan.intro'))}</p>"),
            findings,
            w.HTML(f"<h3>{esc(ctx.t('plan.pdca.plan'))} · {esc(ctx.t('plan.pdca.do'))}</h3>"),
            steps,
            w.HTML(f"<h3>{esc(ctx.t('plan.pdca.check'))} · {esc(ctx.t('plan.pdca.act'))}</h3>"),
            next_scan,
            message,
            adjust,
            adjust_limit.hint,
        ]
    )


# --------------------------------------------------------------------------- 3. money


def _money_tab(ctx: Ctx, builder: PlanBuilder) -> w.Widget:
    c, lang = ctx.content, ctx.lang
    costs = c.costs
    assert costs is not None
    rate = w.BoundedIntText(
        value=builder.plan.hour_rate,
        min=0,
        max=1000,
        description=ctx.t("plan.cost.rate"),
        continuous_update=False,
        style={"description_width": "initial"},
        layout=w.Layout(width="100%", max_width="260px"),
    )
    rate.add_class("kit-plan-rate")
    sheet = w.HTML()
    sheet.add_class("kit-cost-sheet")

    def show() -> None:
        rows, totals = view.cost_rows(ctx, builder.plan)
        head = "".join(f"<th scope='col'>{esc(h)}</th>" for h in view.cost_head(ctx))
        body = "".join(
            "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows
        )
        explain = "".join(
            f"<li><b>{esc(cat.name(lang))}</b> ({esc(ctx.t(f'plan.cost.kind.{cat.kind}'))}): "
            f"{esc(cat.explain(lang))}</li>"
            for cat in costs.categories
        )
        sheet.value = (
            f"<div class='kit-scroll-x'><table class='kit-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div><p><b>{esc(totals)}</b></p>"
            f"<details><summary>{esc(ctx.t('plan.cost.what'))}</summary><ul>{explain}</ul></details>"
        )

    routes = "".join(
        f"<div class='kit-card kit-route'><b>{esc(name)}</b> <span class='kit-tag'>{esc(covers)}</span>"
        f"<br>{esc(explain)}<br><span class='kit-muted'>{esc(watch)}</span></div>"
        for name, covers, explain, watch in view.route_lines(ctx)
    )
    builder.on_change.append(show)
    rate.observe(ctx.guard(lambda ch: builder.update(hour_rate=int(ch["new"]))), names="value")
    show()
    return w.VBox(
        [
            w.HTML(f"<p>{esc(ctx.t('plan.cost.intro'))}</p>"),
            rate,
            sheet,
            w.HTML(
                f"<h3>{esc(ctx.t('plan.routes'))}</h3><p>{esc(ctx.t('plan.routes.intro'))}</p>{routes}"
            ),
        ]
    )


# --------------------------------------------------------------------------- 4. files


def _files_tab(ctx: Ctx, builder: PlanBuilder) -> w.Widget:
    c = ctx.content
    buttons = {
        "docx": w.Button(
            description=ctx.t("plan.files.docx"), icon="file-word-o", button_style="primary"
        ),
        "pdf": w.Button(
            description=ctx.t("plan.files.pdf"), icon="file-pdf-o", button_style="primary"
        ),
        "werkmap": w.Button(description=ctx.t("plan.files.werkmap"), icon="folder-open"),
        "json": w.Button(description=ctx.t("plan.files.save"), icon="save"),
    }
    for key, b in buttons.items():
        b.add_class(f"kit-plan-make-{key}")
    links = w.HTML()
    links.add_class("kit-downloads")
    links.add_class("kit-announce")
    upload = w.FileUpload(accept=".json", multiple=False, description=ctx.t("plan.files.load"))
    upload.add_class("kit-plan-load")
    message = w.HTML()
    message.add_class("kit-plan-load-message")
    message.add_class("kit-announce")

    def made_by() -> Maker:
        """Who makes the plan; on a case's scan, that case."""
        case = builder.plan.case
        if case in {k.id for k in c.cases}:
            return common.maker(ctx, "case", str(case), c.case(str(case)).title(ctx.lang))
        return common.maker(ctx)

    def link(data: bytes, ext: str, mime: str, label: str, name: str = "plan") -> str:
        return download_link(
            data,
            formats.file_name(f"{name}-{ctx.lang}", made_by(), ext),
            mime,
            label,
            f"kit-plan-{ext}-link",
        )

    def on_docx(_: object) -> None:
        from kit import plan_docs

        links.value = link(
            plan_docs.plan_docx(ctx, builder.plan, made_by()),
            "docx",
            DOCX,
            ctx.t("plan.files.docx_ready"),
        )

    def on_pdf(_: object) -> None:
        from kit import plan_docs

        links.value = link(
            plan_docs.plan_pdf(ctx, builder.plan, made_by()),
            "pdf",
            "application/pdf",
            ctx.t("plan.files.pdf_ready"),
        )

    def on_werkmap(_: object) -> None:
        from kit import plan_docs

        links.value = (
            link(
                plan_docs.werkmap_docx(ctx, builder.plan, made_by()),
                "docx",
                DOCX,
                ctx.t("plan.files.werkmap_docx"),
                "werkmap",
            )
            + " "
            + link(
                plan_docs.werkmap_pdf(ctx, builder.plan, made_by()),
                "pdf",
                "application/pdf",
                ctx.t("plan.files.werkmap_pdf"),
                "werkmap",
            )
        )

    def on_json(_: object) -> None:
        text = logic.dump_plan(builder.plan, dt.datetime.now().isoformat(timespec="seconds"))
        links.value = link(
            text.encode("utf-8"), "json", "application/json", ctx.t("plan.files.save_ready")
        )

    def on_upload(change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        try:
            loaded = logic.parse_plan(bytes(item["content"]), c)
        except logic.PlanFileError as exc:
            log.warning("plan file %s rejected: %s", item.get("name"), exc)
            message.value = alert(
                ctx.t(
                    "plan.files.bad", name=item.get("name", "?"), reason=ctx.t(exc.problem.text_key)
                )
            )
            return
        finally:
            upload.value = ()
        builder.set(loaded)
        message.value = notice(
            "✓ " + ctx.t("plan.files.loaded", name=item.get("name", "?"), n=len(loaded.steps))
        )

    for key, fn in (("docx", on_docx), ("pdf", on_pdf), ("werkmap", on_werkmap), ("json", on_json)):
        buttons[key].on_click(ctx.guard(fn))
    upload.observe(ctx.guard(on_upload), names="value")
    row = w.HBox(list(buttons.values()), layout=w.Layout(flex_flow="row wrap"))
    return w.VBox(
        [
            w.HTML(f"<p>{esc(ctx.t('plan.files.intro'))}</p>"),
            common.name_field(ctx),
            row.add_class("kit-row"),
            links,
            w.HTML(f"<p>{esc(ctx.t('plan.files.load_intro'))}</p>"),
            upload,
            message,
        ]
    )


# --------------------------------------------------------------------------- 5. progress


def _progress_tab(ctx: Ctx, builder: PlanBuilder) -> w.Widget:
    c = ctx.content
    before_up = w.FileUpload(
        accept=".json", multiple=True, description=ctx.t("plan.progress.load_before")
    )
    before_up.add_class("kit-progress-before")
    after_up = w.FileUpload(
        accept=".json", multiple=True, description=ctx.t("plan.progress.load_after")
    )
    after_up.add_class("kit-progress-after")
    loaded: dict[str, list[logic.DatedScan]] = {"before": [], "after": []}
    message = w.HTML()
    message.add_class("kit-progress-message")
    message.add_class("kit-announce")
    result = w.HTML()
    result.add_class("kit-progress-result")

    def show() -> None:
        if not loaded["before"] or not loaded["after"]:
            result.value = f'<p class="kit-muted">{esc(ctx.t("plan.progress.need_both"))}</p>'
            return
        perspectives = {d.scan.perspective for d in loaded["before"] + loaded["after"]}
        if len(perspectives) > 1:
            result.value = alert(ctx.t("plan.progress.mixed"))
            return

        def snap(items: list[logic.DatedScan]) -> logic.Snapshot:
            dates = sorted({d.date for d in items if d.date})
            date = dates[0] if len(dates) == 1 else " – ".join(dates[:: max(1, len(dates) - 1)])
            return logic.snapshot(c, [d.scan for d in items], date)

        plan = builder.plan if builder.plan.steps else None
        prog = logic.progress(c, snap(loaded["before"]), snap(loaded["after"]), plan)
        parts = []
        lines = view.progress_lines(ctx, prog)
        for key in ("strong", "improved", "worse", "indicators"):
            items = lines[key]
            body = (
                "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in items) + "</ul>"
                if items
                else f"<p class='kit-muted'>{esc(ctx.t('plan.progress.none'))}</p>"
            )
            parts.append(
                f"<div class='kit-card kit-progress-{key}'>"
                f"<b>{esc(ctx.t(f'plan.progress.{key}'))}</b>{body}</div>"
            )
        for which in ("phases", "factors"):
            spec, alt = view.progress_chart(ctx, prog, which)
            parts.append(f"<h3>{esc(ctx.t(f'plan.progress.by_{which}'))}</h3>")
            parts.append(charts.img_html(charts.png(charts.progress_pairs, **spec), alt))
            parts.append(f"<p class='kit-muted'>{esc(ctx.t('plan.progress.legend'))}</p>")
        result.value = "".join(parts)

    def on_files(which: str, upload: w.FileUpload) -> Callable[[dict[str, Any]], None]:
        def handler(change: dict[str, Any]) -> None:
            files = change["new"]
            if not files:
                return
            scans = []
            try:
                for item in files:
                    try:
                        scans.append(logic.parse_scan_file(bytes(item["content"]), c))
                    except AnswersFileError as exc:
                        message.value = alert(
                            ctx.t(
                                "plan.scan.bad",
                                name=item.get("name", "?"),
                                reason=ctx.t(exc.problem.text_key, version=c.instrument.version),
                            )
                        )
                        return
            finally:
                upload.value = ()
            loaded[which] = scans
            message.value = notice("✓ " + ctx.t(f"plan.progress.loaded_{which}", n=len(scans)))
            show()

        return handler

    before_up.observe(ctx.guard(on_files("before", before_up)), names="value")
    after_up.observe(ctx.guard(on_files("after", after_up)), names="value")
    show()
    return w.VBox(
        [
            w.HTML(f"<p>{esc(ctx.t('plan.progress.intro'))}</p>"),
            w.HBox([before_up, after_up], layout=w.Layout(flex_flow="row wrap")).add_class(
                "kit-row"
            ),
            message,
            result,
        ]
    )
