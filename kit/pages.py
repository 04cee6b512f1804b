"""A4 pages of wrapped plain text, for the PDF reports and the plan documents (matplotlib's
PdfPages). Every text is drawn as typed: never parsed as mathtext, so a participant's ``$`` is a
dollar sign; and through :func:`kit.text.printable`, so a control character or a lone surrogate
in stored text (matplotlib refuses the one, the PDF cannot hold the other) never stops a report."""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from kit.text import printable

A4 = (8.27, 11.69)  # inches


class TextPages:
    """Writes wrapped lines onto A4 figures, starting a new page when one is full; every page
    carries ``header`` in small grey type at the top."""

    def __init__(self, pdf: PdfPages, header: str) -> None:
        self.pdf, self.header = pdf, printable(header)
        self.fig: Figure | None = None
        self.y = 0.0

    def page(self) -> None:
        """Start a new page (the current one, if any, is saved)."""
        self.close()
        self.fig = Figure(figsize=A4)
        self.fig.text(0.07, 0.96, self.header, fontsize=9, color="#555555", parse_math=False)
        self.y = 0.93

    def line(self, text: str, size: float = 10, bold: bool = False, indent: float = 0) -> None:
        # About 90 regular characters of 10 pt fit the A4 text width; bold and larger need more.
        width = int(90 * 10 / size * (0.9 if bold else 1.0) - indent * 120)
        for part in textwrap.wrap(printable(text), width) or [""]:
            if self.fig is None or self.y < 0.05:
                self.page()
            assert self.fig is not None
            self.fig.text(
                0.07 + indent,
                self.y,
                part,
                fontsize=size,
                weight="bold" if bold else "normal",
                parse_math=False,
            )
            self.y -= 0.0165 * size / 10 + 0.002

    def gap(self, amount: float = 0.01) -> None:
        self.y -= amount

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` (a share of the page) still fits on this one, so
        what follows stays together (a statement with its boxes to tick)."""
        if self.fig is None or self.y - height < 0.05:
            self.page()

    def close(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None


class Signed:
    """Stands in for PdfPages and signs every page at its foot with ``line`` (who made the
    document, :func:`kit.present.maker.byline`) before saving it: a page printed or handed in
    on its own still says whose it is."""

    def __init__(self, pdf: PdfPages, line: str) -> None:
        self.pdf, self.line = pdf, printable(line)

    def savefig(self, figure: Any = None, **kwargs: Any) -> None:
        if figure is not None and self.line:
            figure.text(0.07, 0.012, self.line, fontsize=7, color="#555555", parse_math=False)
        self.pdf.savefig(figure, **kwargs)
