"""One rule for free text that people type: what is kept, what is changed, what is refused.

Every free-text field of the kit (session titles, plan notes, reasons for an adaptation, the
"adjust" fields of a plan, poll answers) goes through :func:`clean` before it is stored or used,
and every writer (Word, PDF, CSV) passes what it prints through :func:`printable` as well, so a
document can be made even from text stored before this rule existed.

What :func:`clean` does, and why:

* Unicode NFC, so that "é" typed on two keyboards is one string.
* A lone surrogate (Chromium can send one when an emoji is cut in half) becomes U+FFFD: it cannot
  be encoded as UTF-8, so a database, JSON or a Word file would drop or refuse the whole text.
* Control characters (NUL, vertical tab, escape, C1 controls, …) are removed: PostgreSQL refuses
  NUL, XML (Word) refuses most C0 controls, and in a CSV or terminal they do mischief. Line breaks
  and tabs stay in multi-line fields (``\\r\\n`` and ``\\r`` become ``\\n``); in a one-line field
  any run of white space becomes one space.
* Leading and trailing white space goes.
* Text longer than ``limit`` characters is **refused** with :class:`TooLong` (never cut
  silently): the field shows the limit and the app says how much is too much.

Pure (standard library only), so apps, storage and writers share it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["TooLong", "clean", "printable"]

#: C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What XML 1.0 cannot hold (besides the controls above): U+FFFE and U+FFFF.
_NON_XML = re.compile("[\ufffe\uffff]")


class TooLong(ValueError):
    """The text is longer than its field allows; nothing was stored."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"{length} characters, at most {limit}")
        self.length, self.limit = length, limit

    @property
    def excess(self) -> int:
        """How many characters too many."""
        return self.length - self.limit


def clean(value: object, limit: int, multiline: bool = False) -> str:
    """``value`` as the kit keeps it, or :class:`TooLong` when it exceeds ``limit`` characters.

    >>> clean("  Buurt\\x00team\\x1b[31m  ", limit=40)
    'Buurtteam[31m'
    >>> clean("regel 1\\r\\nregel\\x0b 2", limit=40, multiline=True)
    'regel 1\\nregel 2'
    >>> clean("een\\n  twee\\tdrie", limit=40)
    'een twee drie'
    >>> clean("half \\ud83d emoji", limit=40)
    'half \\ufffd emoji'
    >>> clean("x" * 11, limit=10)
    Traceback (most recent call last):
    ...
    kit.text.TooLong: 11 characters, at most 10
    """
    text = "" if value is None else str(value)
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _NON_XML.sub("", _CONTROL.sub("", text))
    if multiline:
        text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    else:
        text = " ".join(text.split())
    if len(text) > limit:
        raise TooLong(len(text), limit)
    return text


def printable(value: object) -> str:
    """Text that every writer can put in a document: no controls, no lone surrogates, nothing
    XML refuses; line breaks and tabs kept. Never raises and never shortens.

    >>> printable("Notitie\\x00 met\\x0b rommel\\n\\ud800en een regel")
    'Notitie met rommel\\n\\ufffden een regel'
    """
    text = "" if value is None else str(value)
    text = _SURROGATE.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
    return _NON_XML.sub("", _CONTROL.sub("", text))
