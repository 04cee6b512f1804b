"""The landing page: the kit's name, one line on what it is, and a card per app."""

from __future__ import annotations

import contextlib
from urllib.parse import urlencode

import ipywidgets as w

from kit.apps.common import STYLE, content_problem_panel, esc, pick_lang, query_params
from kit.content import Content, ContentError, default_content
from kit.sessions import InputError, normalise_code

#: (app key, notebook) in the order the landing page shows them.
APPS: tuple[tuple[str, str], ...] = (
    ("phases", "fasen.ipynb"),
    ("quickscan", "quickscan.ipynb"),
    ("kern", "kern-en-schil.ipynb"),
    ("group", "groep.ipynb"),
)


def landing_page(lang: str | None = None, content: Content | None = None) -> w.Widget:
    lang = pick_lang(lang)
    try:
        c = content or default_content()
    except ContentError as exc:
        return content_problem_panel(exc, lang)
    session = ""
    with contextlib.suppress(InputError):
        session = normalise_code(query_params().get("session", ""))
    query = {"lang": lang, **({"session": session} if session else {})}
    apps = [(k, nb) for k, nb in APPS if not (session and k == "group")]
    cards = "".join(
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
    )
    page.add_class("kit-landing")
    return page
