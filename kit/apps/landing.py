"""The landing page: the kit's name, one line on what it is, and a card per app."""

from __future__ import annotations

import contextlib
import os
from typing import Any
from urllib.parse import urlencode

import ipywidgets as w

from kit.answers import Record
from kit.apps.common import (
    STYLE,
    content_problem_panel,
    download_link,
    esc,
    log_failure,
    pick_lang,
    query_params,
)
from kit.apps.frame import identity_html, wait_for_request
from kit.content import Content, ContentError, default_content
from kit.present.route import RouteView, route_view
from kit.present.texts import Texts
from kit.serve import PARTICIPANT_PAGE
from kit.sessions import InputError, normalise_code, normalise_token

#: The self-study route's start page (notebooks/start.ipynb; ``make lab`` opens it).
START_PAGE = "start.ipynb"

#: The trainer's pages: on the start page apart from the learner's steps (app key, notebook).
TRAINER_PAGES: tuple[tuple[str, str], ...] = (
    ("group", "groep.ipynb"),
    ("led", "leiden.ipynb"),
    ("presenter", "presentatie.ipynb"),
    ("workshop", "deelnemer.ipynb"),
    ("homework", "huiswerk.ipynb"),
)

#: (app key, notebook) in the order the landing page shows them.
APPS: tuple[tuple[str, str], ...] = (
    ("phases", "fasen.ipynb"),
    ("quickscan", "quickscan.ipynb"),
    ("kern", "kern-en-schil.ipynb"),
    ("plan", "plan.ipynb"),
    ("group", "groep.ipynb"),
    ("homework", "huiswerk.ipynb"),
)


def landing_page(lang: str | None = None, content: Content | None = None) -> w.Widget:
    try:
        c = content or default_content()
    except ContentError as exc:
        wait_for_request()
        return content_problem_panel(exc, pick_lang(lang))
    wait_for_request()  # a pooled kernel: the URL is known from here on
    lang = pick_lang(lang)
    session = token = ""
    with contextlib.suppress(InputError):
        session = normalise_code(query_params().get("session", ""))
    with contextlib.suppress(InputError):
        token = normalise_token(query_params().get("p", "")) if session else ""
    query = {
        "lang": lang,
        **({"session": session} if session else {}),
        **({"p": token} if token else {}),
    }
    apps = [(k, nb) for k, nb in APPS if not (session and k in ("group", "homework"))]
    self_study = (
        ""
        if session
        else f'<div class="kit-card kit-app-card kit-self-study-card"><h3>{esc(c.t("start.title", lang))}</h3>'
        f"<p>{esc(c.t('landing.self_study', lang))}</p>"
        f'<a href="{START_PAGE}?{esc(urlencode(query))}" class="kit-open">'
        f"{esc(c.t('landing.self_study_open', lang))} →</a></div>"
    )
    workshop = (
        f'<div class="kit-card kit-app-card kit-workshop-card"><h3>{esc(c.t("workshop.title", lang))}</h3>'
        f'<a href="{PARTICIPANT_PAGE}?{esc(urlencode(query))}" class="kit-open">'
        f"{esc(c.t('landing.workshop', lang))} →</a></div>"
        if session
        else ""
    )
    cards = (
        workshop
        + self_study
        + "".join(
            f'<div class="kit-card kit-app-card"><h3>{esc(c.t(f"{key}.title", lang))}</h3>'
            f"<p>{esc(c.t(f'landing.app.{key}', lang))}</p>"
            f'<a href="{notebook}?{esc(urlencode(query))}" class="kit-open">'
            f"{esc(c.t('landing.open', lang))} →</a></div>"
            for key, notebook in apps
        )
    )
    other = "en" if lang == "nl" else "nl"
    switch = urlencode({**query, "lang": other})
    joined = (
        f'<div class="kit-info">{esc(c.t("landing.session", lang, code=session))}</div>'
        if session
        else ""
    )
    page = w.HTML(
        f'{STYLE}<div class="kit-app"><h1>{esc(c.t("landing.title", lang))}</h1>'
        f'<p style="font-size:1.15em">{esc(c.t("landing.tagline", lang))}</p>{joined}'
        f'<p>{esc(c.t("landing.intro", lang))} <a href="?{esc(switch)}" lang="{other}">'
        f'{"English" if other == "en" else "Nederlands"}</a></p><div class="kit-cards">{cards}</div>'
        f'<p class="kit-muted">{esc(c.t("landing.about", lang))}</p></div>'
        # The page's lang and title in its language (kit-page.js).
        + identity_html(None, lang, c.t("landing.title", lang))
    )
    page.add_class("kit-landing")
    return page


def _in_voila() -> bool:
    """Whether this kernel serves a Voila page (Voila gives its kernels VOILA_* variables); in
    JupyterLab the start page also links the README and docs/, which Voila does not serve."""
    return any(key.startswith("VOILA_") for key in os.environ)


def _kept_records() -> tuple[list[Record], bool]:
    """The learner's kept answers for her progress, and whether the kit keeps them here."""
    from kit.storage.own import StorageError, get_own_store, learner

    who = learner()
    if who is None:
        return [], False
    try:
        return list(get_own_store().kept(who).records.values()), True
    except StorageError:
        log_failure("reading the own store for the route failed")
        return [], True


def route_html(view: RouteView, texts: Texts, query: str, lab: bool, kept: bool) -> str:
    """The route as HTML: a numbered list of steps, each with its goal, what to do, its time,
    its progress in words and its take-aways; then the trainer's pages apart."""
    t = texts.t
    steps = ""
    for s in view.steps:
        sign = {"done": "kit-good", "started": "kit-mid", "todo": "kit-muted"}[s.state]
        takeaways = "".join(f"<li>{esc(k)}</li>" for k in s.takeaways)
        steps += (
            f'<li class="kit-card kit-route-step is-{s.state}" data-step="{esc(s.id)}">'
            f"<h2>{s.number}. {esc(s.title)}</h2>"
            f'<p class="kit-route-meta"><span class="kit-route-state {sign}">{esc(s.progress)}</span>'
            f" · {esc(s.minutes)}</p>"
            f"<p><b>{esc(t('route.goal'))}</b> {esc(s.goal)}</p>"
            f"<p><b>{esc(t('route.todo_label'))}</b> {esc(s.todo)}</p>"
            f"<details><summary>{esc(t('route.takeaways'))}</summary><ul>{takeaways}</ul></details>"
            f'<a class="kit-open" href="{esc(s.notebook)}{query}">{esc(t("route.open", number=s.number))} →</a>'
            "</li>"
        )
    following = (
        f'<p><a href="{esc(view.next.notebook)}{query}">'
        f"{esc(t('route.next', title=f'{view.next.number}. {view.next.title}'))} →</a></p>"
        if view.next is not None
        else ""
    )
    hint = f'<p class="kit-info">{esc(t("route.lab_hint"))}</p>' if lab else ""
    not_kept = "" if kept else f'<p class="kit-info">{esc(t("route.not_kept"))}</p>'
    trainer = "".join(
        f'<li><a href="{nb}{query}">{esc(t(f"{key}.title"))}</a> ({esc(nb)})</li>'
        for key, nb in TRAINER_PAGES
    )
    docs = (
        f'<p>{esc(t("route.docs"))} <a href="../README.md">README.md</a> · '
        f'<a href="../docs/">docs/</a></p>'
        if lab
        else ""
    )
    return (
        f'<p style="font-size:1.1em">{esc(t("route.intro"))}</p>{hint}{not_kept}'
        f'<p class="kit-route-summary" role="status"><b>{esc(view.summary)}</b></p>{following}'
        f'<ol class="kit-route">{steps}</ol>{docs}'
        f'<section class="kit-route-trainer"><h2>{esc(t("route.trainer"))}</h2>'
        f"<p>{esc(t('route.trainer_intro'))}</p><ul>{trainer}</ul></section>"
    )


def start_page(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The self-study route: ``make lab`` opens it (notebooks/start.ipynb), and the landing page
    links it. Progress comes from the work the kit keeps for the learner (kit/storage/own.py)."""
    try:
        c = content or default_content()
    except ContentError as exc:
        wait_for_request()
        return content_problem_panel(exc, pick_lang(lang))
    wait_for_request()
    lang = pick_lang(lang)
    texts = Texts(c, lang)
    records, kept = _kept_records()
    lab = not _in_voila()
    query = "" if lab else f"?{urlencode({'lang': lang})}"
    other = "en" if lang == "nl" else "nl"
    switch = (
        ""
        if lab
        else f' <a href="?{esc(urlencode({"lang": other}))}" lang="{other}">'
        f"{'English' if other == 'en' else 'Nederlands'}</a>"
    )
    page = w.HTML(
        f'{STYLE}<div class="kit-app kit-start"><h1>{esc(c.t("start.title", lang))} · '
        f"{esc(c.t('landing.title', lang))}</h1>{switch}"
        + route_html(route_view(texts, records), texts, query, lab, kept)
        + "</div>"
        + identity_html(None, lang, f"{c.t('start.title', lang)} · {c.t('landing.title', lang)}")
    )
    page.add_class("kit-start-route")
    check = SelfCheckBox(texts, records)
    box = w.VBox([page, check.box, _summary_form(texts, check)])
    box.add_class("kit-landing")
    return box


def _seed() -> str:
    """Whose self-check it is: her id in the own store, else one for this machine."""
    from kit.storage.own import learner

    return learner() or "local"


class SelfCheckBox:
    """The route's closing self-check (issue 25): the questions of :func:`kit.route.self_check`,
    each with its options as radio buttons; a choice shows at once whether it is right and why,
    the first choice counts. Her answers are kept in the own store, as the exercises' are."""

    def __init__(self, texts: Texts, records: list[Record]) -> None:
        from kit.answers import SelfCheck
        from kit.route import self_check

        self.texts = texts
        self.questions = self_check(texts.content, _seed())
        kept = next((r for r in records if isinstance(r, SelfCheck)), None)
        self.first = dict(kept.first) if kept else {}
        self.last = dict(kept.last) if kept else {}
        self.progress = w.HTML()
        self.progress.add_class("kit-selfcheck-progress")
        self.feedback: list[w.HTML] = []
        cards: list[w.Widget] = []
        n = len(self.questions)
        for view in self._view().questions:
            head = w.HTML(
                f'<p class="kit-tag">{esc(texts.t("selfcheck.question", number=view.number, n=n))}</p>'
                f"<p>{esc(view.text)}</p><p><b>{esc(view.prompt)}</b></p>"
            )
            radios = w.RadioButtons(
                options=[(label, option) for option, label in view.options],
                value=view.chosen,
                layout=w.Layout(width="auto"),
            )
            radios.add_class("kit-selfcheck-options")
            # The first choice counts: the arrow keys only move, Space chooses (kit-a11y.js).
            radios.add_class("kit-choose-on-space")
            radios.observe(self._chooser(view.id), names="value")
            feedback = w.HTML()
            feedback.add_class("kit-selfcheck-feedback")
            self.feedback.append(feedback)
            card = w.VBox([head, radios, feedback])
            card.add_class("kit-card")
            card.add_class("kit-selfcheck-question")
            cards.append(card)
        intro = w.HTML(
            f"<h2>{esc(texts.t('selfcheck.title'))}</h2><p>{esc(texts.t('selfcheck.intro'))}</p>"
        )
        self.box = w.VBox([intro, *cards, self.progress])
        self.box.add_class("kit-app")
        self.box.add_class("kit-selfcheck")
        self.show()

    def _view(self) -> Any:
        from kit.present.route import self_check_view

        return self_check_view(self.texts, self.questions, self.first, self.last)

    def record(self) -> Record:
        from kit.answers import SelfCheck

        return SelfCheck(first=dict(self.first), last=dict(self.last))

    def _chooser(self, question: str) -> Any:
        def choose(change: dict[str, Any]) -> None:
            try:
                if change["new"] is None:
                    return
                self.first.setdefault(question, change["new"])
                self.last[question] = change["new"]
                self.show()
                self._keep()
            except Exception:  # a callback's failure would vanish: say it, with its reference
                ref = log_failure("the self-check failed")
                message = f"{self.texts.t('error.callback')} ({self.texts.t('error.ref', ref=ref)})"
                self.progress.value = f'<p class="kit-error" role="alert">⚠ {esc(message)}</p>'

        return choose

    def _keep(self) -> None:
        from kit.storage.own import StorageError, get_own_store, learner

        who = learner()
        if who is None:
            return
        try:
            get_own_store().save(who, self.record())
        except StorageError:
            log_failure("keeping the self-check failed")
            self.progress.value += (
                f'<p class="kit-info">{esc(self.texts.t("selfcheck.not_kept"))}</p>'
            )

    def show(self) -> None:
        view = self._view()
        for q, feedback in zip(view.questions, self.feedback, strict=True):
            if q.good is None:
                feedback.value = ""
                continue
            css = "kit-good" if q.good else "kit-bad"
            feedback.value = (
                f'<div class="kit-feedback {css}" role="status"><b>{esc(q.feedback)}</b> '
                f"{esc(q.why)}</div>"
            )
        self.progress.value = (
            f'<p class="kit-check-progress" role="status"><b>{esc(view.progress)}</b></p>'
        )


def _summary_form(texts: Texts, check: SelfCheckBox | None = None) -> w.Widget:
    """Her name and a button: the completion summary as a PDF (kit/completion.py)."""
    name = w.Text(
        description=texts.t("completion.name"),
        layout=w.Layout(max_width="420px"),
        continuous_update=False,
    )
    name.add_class("kit-completion-name")
    button = w.Button(description=texts.t("completion.make"), icon="file-pdf-o")
    button.add_class("kit-completion-pdf")
    link = w.HTML()
    link.add_class("kit-completion-link")

    def make(_: object) -> None:
        import datetime as dt

        from kit.completion import completion_pdf
        from kit.present.route import completion_summary

        who = " ".join(name.value.split())[:80]
        if not who:
            link.value = (
                f'<p class="kit-info" role="status">{esc(texts.t("completion.name_first"))}</p>'
            )
            return
        records, _ = _kept_records()
        if check is not None:  # the self-check as the page has it, kept or not
            records = [r for r in records if r.key != check.record().key] + [check.record()]
        try:
            summary = completion_summary(texts, records, who, dt.date.today(), seed=_seed())
            data = completion_pdf(texts, summary)
        except Exception:  # a callback's failure would vanish: say it, with its reference
            ref = log_failure("the completion summary failed")
            message = f"{texts.t('error.callback')} ({texts.t('error.ref', ref=ref)})"
            link.value = f'<p class="kit-error" role="alert">⚠ {esc(message)}</p>'
            return
        filename = f"zelfstudie-{'-'.join(who.lower().split())}-{dt.date.today().isoformat()}.pdf"
        link.value = download_link(
            data, filename, "application/pdf", texts.t("completion.ready"), "kit-pdf-link"
        )

    button.on_click(make)
    form = w.VBox([w.HTML(f"<h2>{esc(texts.t('completion.title'))}</h2>"), name, button, link])
    form.add_class("kit-app")
    return form
