"""The Hexagon's result as a document (issue 19 §3): the ratings and the kit's feedback as a PDF,
read back as its reader gets it (pypdf), in Dutch and in English; and the exercise's button that
makes it."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from kit import reports
from kit.apps.common import Ctx, Status
from kit.apps.hexagon_app import HexagonView
from kit.content import default_content
from kit.formats import Maker
from kit.group import Memory
from kit.present.hexagon import report
from kit.present.texts import Texts
from tests.test_exports_read import (
    LANGS,
    assert_on_the_page,
    foreign,
    missing,
    pdf_text,
    squash,
    ui_keys,
)

C = default_content()
assert C.hexagon is not None
HX = C.hexagon
IDS = [i.id for i in HX.indicators]
WHEN = dt.datetime(2026, 12, 7, 14, 3)
#: Two weak indicators, every other point of the scale used once: "think again".
RATINGS = {"evidence": 3, "support": 2, "usability": 1, "need": 3, "fit": 1, "capacity": 2}


def scale_label(value: int, lang: str) -> str:
    return f"{value} · {next(s.label(lang) for s in HX.scale if s.value == value)}"


def without_source(text: str) -> str:
    """The document without the tool's citation: an English title in a Dutch document, kept as
    printed (content/hexagon.yaml: the citation is in no language of ours)."""
    source = squash(HX.source)
    return "\n".join(line for line in text.splitlines() if squash(line) not in source)


def other_language_texts(lang: str) -> list[str]:
    """The content's Hexagon texts in the other language that differ from ours."""
    other = {"nl": "en", "en": "nl"}[lang]
    texts = [HX.title, HX.intro, HX.check, HX.missing]
    for i in HX.indicators:
        texts += [i.name, i.question, i.weak]
    for v in HX.verdicts:
        texts += [v.label, v.reason]
    found = []
    for t in texts:
        theirs, ours = t(other), t(lang)
        if theirs != ours and len(theirs) > 6:
            found.append(theirs.split("{")[0])  # the words before a placeholder
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_document_has_every_rating_the_outcome_and_the_advice(lang: str) -> None:
    ctx = Texts(C, lang)
    made = Maker("Merel de Vries", "K7Q2MX", made=WHEN)
    data = reports.hexagon_pdf(ctx, RATINGS, made)
    assert_on_the_page(data)
    text = pdf_text(data)
    rethink = HX.verdict("rethink").label(lang)
    wanted = [
        HX.title(lang),
        "Merel de Vries",
        "K7Q2MX",
        ctx.t("hexagon.pdf.outcome", verdict=rethink),
        ctx.t("hexagon.pdf.rated", n=6, total=6),
        # Each indicator's name and question, followed by its own rating in words.
        *(
            f"{i.name(lang)}: {i.question(lang)}→ {scale_label(RATINGS[i.id], lang)}"
            for i in HX.indicators
        ),
        # The weak ones with what to do, in the indicators' order.
        *(
            f"{HX.indicator(w).name(lang)}{HX.indicator(w).weak(lang)}"
            for w in ("usability", "fit")
        ),
        *(g.name(lang) for g in HX.groups),
        HX.source,
    ]
    assert missing(text, wanted) == []
    # The verdict in words, and no other verdict's label.
    for v in HX.verdicts:
        if v.id != "rethink":
            assert squash(v.label(lang)) not in squash(text)
    # No advice for what is not weak.
    assert squash(HX.indicator("need").weak(lang)) not in squash(text)
    dutch_or_english = without_source(text)
    assert foreign(dutch_or_english, lang, ui_keys("hexagon.", "export.")) == []
    assert [t for t in other_language_texts(lang) if squash(t) in squash(dutch_or_english)] == []
    title = PdfReader(io.BytesIO(data)).metadata
    assert title is not None and title.title == HX.title(lang) and title.author == "Merel de Vries"


@pytest.mark.parametrize("lang", LANGS)
def test_incomplete_ratings_name_what_is_missing(lang: str) -> None:
    ctx = Texts(C, lang)
    data = reports.hexagon_pdf(ctx, {"evidence": 0, "fit": 2})
    text = pdf_text(data)
    names = ", ".join(
        HX.indicator(i).name(lang).lower() for i in ("support", "usability", "need", "capacity")
    )
    assert (
        missing(
            text,
            [
                ctx.t("hexagon.pdf.incomplete", n=4),
                HX.missing(lang).format(missing=names),
                ctx.t("hexagon.pdf.rated", n=2, total=6),
                f"{HX.indicator('support').question(lang)}→ {ctx.t('hexagon.pdf.not_rated')}",
                f"{HX.indicator('evidence').question(lang)}→ {scale_label(0, lang)}",
                HX.indicator("evidence").weak(lang),  # rated weak already: its advice is there
            ],
        )
        == []
    )
    assert all(squash(v.label(lang)) not in squash(text) for v in HX.verdicts)
    assert squash(text).count(squash(f"→ {ctx.t('hexagon.pdf.not_rated')}")) == 4
    # Without a maker: the date, and no "made by".
    assert squash(ctx.t("export.by", name="")) not in squash(text)
    assert re.search(r"\b20\d\d\b", text)


def test_nothing_rated_and_stray_ratings_never_stop_the_document() -> None:
    ctx = Texts(C, "en")
    empty = pdf_text(reports.hexagon_pdf(ctx, {}))
    assert squash(ctx.t("hexagon.pdf.incomplete", n=6)) in squash(empty)
    assert squash(empty).count(squash("→ not rated yet")) == 6
    # A rating off today's scale and an indicator this content no longer has (an old record).
    odd = report(ctx, {"evidence": 7, "gone": 1, **dict.fromkeys(IDS[1:], 3)})
    assert odd.rows[0].answer == "7" and len(odd.rows) == 6
    assert odd.outcome == "Outcome: Go ahead"
    text = pdf_text(reports.hexagon_pdf(ctx, {"evidence": 7, "gone": 1}))
    assert "gone" not in text


def test_typed_text_is_printed_as_typed() -> None:
    """A maker's name with a dollar sign and a control character (mathtext off, printable)."""
    made = Maker("Ans $x$ \x07Bakker", made=WHEN)
    text = pdf_text(reports.hexagon_pdf(Texts(C, "nl"), RATINGS, made))
    assert "Ans $x$" in text and "Bakker" in text


# --------------------------------------------------------------------------- the button


@pytest.mark.parametrize("lang", LANGS)
def test_the_exercise_button_gives_the_pdf_of_what_is_on_screen(lang: str) -> None:
    ctx = Ctx(default_content(), lang, Status(), Memory())
    view = HexagonView(ctx)
    ctx.memory.view["maker.name"] = "Uil"
    for i, value in RATINGS.items():
        view.radios[i].value = value
    assert view.pdf_button.description == ctx.t("hexagon.pdf")
    assert view.links.value == ""
    view.pdf_button.click()
    link = view.links.value
    assert ctx.t("hexagon.pdf_ready") in link and 'class="kit-pdf-link"' in link
    name = re.search(r'download="([^"]+)"', link)
    assert name is not None
    assert re.fullmatch(rf"{ctx.t('hexagon.file')}-uil-\d{{4}}-\d\d-\d\d-\d{{4}}\.pdf", name[1])
    data = base64.b64decode(re.search(r"base64,([^\"]+)", link)[1])  # type: ignore[index]
    text = pdf_text(data)
    verdict = HX.verdict("rethink").label(lang)
    assert missing(text, ["Uil", ctx.t("hexagon.pdf.outcome", verdict=verdict)]) == []
    assert ctx.status.value == ""  # no error shown
    # A changed rating is in the next document.
    view.radios["fit"].value = 0
    view.pdf_button.click()
    data = base64.b64decode(re.search(r"base64,([^\"]+)", view.links.value)[1])  # type: ignore[index]
    assert squash(HX.verdict("not-now").label(lang)) in squash(pdf_text(data))
