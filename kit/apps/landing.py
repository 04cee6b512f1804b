"""The landing page: the kit's name, one line on what it is, and a card per app."""

from __future__ import annotations

import contextlib
from urllib.parse import urlencode

import ipywidgets as w

from kit.apps.common import STYLE, content_problem_panel, esc, pick_lang, query_params
from kit.apps.frame import identity_html, wait_for_request
from kit.content import Content, ContentError, default_content
from kit.serve import PARTICIPANT_PAGE
from kit.sessions import InputError, normalise_code, normalise_token

#: (app key, notebook) in the order the landing page shows them.
APPS: tuple[tuple[str, str], ...] = (
    ("phases", "fasen.ipynb"),
    ("quickscan", "quickscan.ipynb"),
    ("kern", "kern-en-schil.ipynb"),
    ("plan", "plan.ipynb"),
    ("group", "groep.ipynb"),
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
    apps = [(k, nb) for k, nb in APPS if not (session and k == "group")]
    workshop = (
        f'<div class="kit-card kit-app-card kit-workshop-card"><h3>{esc(c.t("workshop.title", lang))}</h3>'
        f'<a href="{PARTICIPANT_PAGE}?{esc(urlencode(query))}" class="kit-open">'
        f"{esc(c.t('landing.workshop', lang))} →</a></div>"
        if session
        else ""
    )
    cards = workshop + "".join(
        f'<div class="kit-card kit-app-card"><h3>{esc(c.t(f"{key}.title", lang))}</h3>'
        f"<p>{esc(c.t(f'landing.app.{key}', lang))}</p>"
        f'<a href="{notebook}?{esc(urlencode(query))}" class="kit-open">'
        f"{esc(c.t('landing.open', lang))} →</a></div>"
        for key, notebook in apps
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
