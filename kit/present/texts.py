"""The widget-free context every view is made in: the content and the language."""

from __future__ import annotations

from dataclasses import dataclass

from kit.content import Content


@dataclass
class Texts:
    """Content and language: all a view needs to say things (screens add a status line)."""

    content: Content
    lang: str

    def t(self, key: str, **values: object) -> str:
        return self.content.t(key, self.lang, **values)
