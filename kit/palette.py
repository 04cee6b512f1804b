"""The colours and hatches that stand for a quickscan level and for a verdict, in one table.

Colours are from the Okabe-Ito palette (told apart with the common forms of colour blindness).
Colour is never the only cue: every level has its own hatch besides its colour (and the charts
write the level's symbol and name next to each bar), every verdict its own symbol and marker
shape. Weak and strong, the pair a reader must never confuse, differ in colour (vermilion and
blue), in hatch (diagonal lines and none) and in symbol (✗ and ✓).

Pure data, no matplotlib: :mod:`kit.charts` draws with it, and the tests read it as a table.
"""

from __future__ import annotations

from typing import NamedTuple

BLUE = "#0072B2"
SKY = "#56B4E9"
GREEN = "#009E73"
ORANGE = "#E69F00"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#999999"
INK = "#222222"
PAPER = "#FFFFFF"

LEVELS = ("weak", "mixed", "strong", "unknown")
VERDICTS = ("green", "amber", "red")


class Style(NamedTuple):
    colour: str  # fill, #RRGGBB
    hatch: str  # matplotlib hatch pattern; "" is solid


def level_style(level: str) -> Style:
    """How a level is drawn.

    >>> level_style("weak"), level_style("strong")
    (Style(colour='#D55E00', hatch='//'), Style(colour='#0072B2', hatch=''))
    """
    return {
        "weak": Style(VERMILION, "//"),
        "mixed": Style(ORANGE, ".."),
        "strong": Style(BLUE, ""),
        "unknown": Style(GREY, "xx"),
    }[level]


def verdict_style(verdict: str) -> tuple[str, str, str]:
    """How a verdict is drawn: (colour, symbol, marker box of matplotlib's ``boxstyle``).

    >>> verdict_style("red")
    ('#D55E00', '✗', 'round4,pad=0.2')
    """
    return {
        "green": (GREEN, "✓", "circle,pad=0.15"),
        "amber": (ORANGE, "!", "square,pad=0.18"),
        "red": (VERMILION, "✗", "round4,pad=0.2"),
    }[verdict]
