"""The completion summary as a PDF (:func:`kit.present.route.completion_summary` lays out the
data): what a learner files for a professional register after the self-study route."""

from __future__ import annotations

import io

from matplotlib.backends.backend_pdf import PdfPages

from kit.charts import plain_text
from kit.pages import TextPages
from kit.present.route import CompletionSummary
from kit.present.texts import Texts


@plain_text
def completion_pdf(texts: Texts, summary: CompletionSummary) -> bytes:
    """One or two A4 pages: who and when, every step with its result, her scan and her plan."""
    t = texts.t
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": t("completion.title"), "Author": summary.name}) as pdf:
        pages = TextPages(pdf, f"{t('landing.title')} · {t('completion.title')}")
        pages.line(t("completion.title"), size=16, bold=True)
        pages.gap()
        pages.line(t("completion.who", name=summary.name, date=summary.date), size=11)
        pages.line(summary.done, size=11)
        pages.gap(0.02)
        for step in summary.steps:
            sign = "✓" if step.done else "–"
            pages.line(f"{sign} {step.number}. {step.title}", size=11, bold=True)
            pages.line(step.result, indent=0.03)
            pages.gap(0.006)
        if summary.self_check:  # the closing self-check (issue 25)
            pages.line(summary.self_check, size=11, bold=True)
        if summary.own_scan:
            pages.gap(0.015)
            pages.line(t("completion.scan"), size=12, bold=True)
            for phase, level in summary.own_scan:
                pages.line(f"{phase}: {level}", indent=0.03)
        if summary.plan:
            pages.gap(0.015)
            pages.line(t("completion.plan"), size=12, bold=True)
            for activity in summary.plan:
                pages.line(f"• {activity}", indent=0.03)
        pages.gap(0.02)
        pages.line(t("completion.note"), size=8)
        pages.close()
    return buf.getvalue()
