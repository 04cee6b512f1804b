"""A PDF read back once: the text of each page and every piece of text with where it starts and
its size, as pypdf reads them.

pypdf parses a page's content stream in pure Python each time its text is asked for; a test that
wants the text, the per-page texts and the positions used to parse every page two or three
times. :func:`read` parses each page once (one ``extract_text`` with a visitor gives both the
text and the positioned runs) and keeps the result by the hash of the bytes, so the same
document read again in another check or test costs nothing. What is kept is immutable: a test
cannot change what the next one reads."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass(frozen=True)
class Run:
    """A piece of text as drawn: its text (unstripped), the point it starts at in page
    coordinates (points from the bottom left) and its size in points."""

    text: str
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class Page:
    text: str
    width: float
    height: float
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Pdf:
    pages: tuple[Page, ...]
    metadata: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        """The text of all pages, a line break between pages."""
        return "\n".join(page.text for page in self.pages)

    @property
    def texts(self) -> list[str]:
        return [page.text for page in self.pages]

    def meta(self, key: str) -> str | None:
        return dict(self.metadata).get(key)


_READ: dict[str, Pdf] = {}


def read(data: bytes) -> Pdf:
    """``data`` (a PDF: it must start like one) read back, each page parsed once."""
    assert data.startswith(b"%PDF"), data[:20]
    key = hashlib.sha256(data).hexdigest()
    if key not in _READ:
        _READ[key] = _parse(data)
    return _READ[key]


def _parse(data: bytes) -> Pdf:
    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        runs: list[Run] = []

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: float,
            runs: list[Run] = runs,
        ) -> None:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(Run(text, x, y, size * tm[0] * cm[0]))

        text = page.extract_text(visitor_text=visit) or ""
        box = page.mediabox
        pages.append(Page(text, float(box.width), float(box.height), tuple(runs)))
    meta = reader.metadata or {}
    return Pdf(tuple(pages), tuple((str(k), str(v)) for k, v in meta.items()))


def text(data: bytes) -> str:
    """The text of every page of ``data``, a line break between pages."""
    return read(data).text


def page_texts(data: bytes) -> list[str]:
    return read(data).texts
