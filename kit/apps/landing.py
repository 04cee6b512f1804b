"""The landing page: the kit's name, one line on what it is, and a card per app."""

from __future__ import annotations

import ipywidgets as w

from kit.apps.common import STYLE, content_problem_panel, esc, pick_lang
from kit.content import Content, ContentError, default_content

#: (app key, notebook) in the order the landing page shows them.
APPS: tuple[tuple[str, str], ...] = (
    ("phases", "fasen.ipynb"),
    ("quickscan", "quickscan.ipynb"),
    ("kern", "kern-en-schil.ipynb"),
)


def landing_page(lang: str | None = None, content: Content | None = None) -> w.Widget:
    lang = pick_lang(lang)
    try:
        c = content or default_content()
    except ContentError as exc:
        return content_problem_panel(exc, lang)
    cards = "".join(
        f'<div class="kit-card kit-app-card"><p>{esc(c.t(f"landing.app.{key}", lang))}</p>'
        f'<a href="{notebook}?lang={lang}" class="kit-open">{esc(c.t("landing.open", lang))} →</a></div>'
        for key, notebook in APPS
    )
    other = "en" if lang == "nl" else "nl"
    page = w.HTML(
        f'{STYLE}<div class="kit-app"><h1>{esc(c.t("landing.title", lang))}</h1>'
        f'<p style="font-size:1.15em">{esc(c.t("landing.tagline", lang))}</p>'
        f'<p>{esc(c.t("landing.intro", lang))} <a href="?lang={other}" lang="{other}">'
        f"{'English' if other == 'en' else 'Nederlands'}</a></p>{cards}</div>"
    )
    page.add_class("kit-landing")
    return page
