"""The chart palette as a table (issue 26 §2): which colour and hatch stand for each level and
verdict; weak never shares a colour or a hatch with strong; colour is never the only cue. And one
rendered chart, its pixels read where a weak and a strong bar must be."""

from __future__ import annotations

import numpy as np
import pytest

from kit import charts, palette
from kit.adaptations import SYMBOL
from kit.quickscan import LEVEL_SYMBOL, Level

#: The palette, written out: change it here and in kit/palette.py together, on purpose.
LEVELS = {
    # level: (colour, hatch, symbol)
    "weak": ("#D55E00", "//", "✗"),  # vermilion, diagonal lines
    "mixed": ("#E69F00", "..", "~"),  # orange, dots
    "strong": ("#0072B2", "", "✓"),  # blue, solid
    "unknown": ("#999999", "xx", "?"),  # grey, crosses
}
VERDICTS = {
    # verdict: (colour, symbol, marker box)
    "green": ("#009E73", "✓", "circle,pad=0.15"),
    "amber": ("#E69F00", "!", "square,pad=0.18"),
    "red": ("#D55E00", "✗", "round4,pad=0.2"),
}


def test_level_palette_is_the_table() -> None:
    assert set(palette.LEVELS) == {level.value for level in Level} == set(LEVELS)
    for level, (colour, hatch, symbol) in LEVELS.items():
        assert palette.level_style(level) == (colour, hatch), level
        assert LEVEL_SYMBOL[Level(level)] == symbol, level


def test_weak_and_strong_never_share_a_cue() -> None:
    weak, strong = palette.level_style("weak"), palette.level_style("strong")
    assert weak.colour != strong.colour
    assert weak.hatch != strong.hatch
    assert LEVEL_SYMBOL[Level.WEAK] != LEVEL_SYMBOL[Level.STRONG]


def test_colour_is_never_the_only_cue() -> None:
    """Every level differs from every other in hatch and in symbol as well as in colour, so a
    reader who cannot tell the colours apart (or prints in grey) still can."""
    styles = [palette.level_style(level) for level in palette.LEVELS]
    assert len({s.colour for s in styles}) == len(styles)
    assert len({s.hatch for s in styles}) == len(styles)
    assert len({LEVEL_SYMBOL[Level(level)] for level in palette.LEVELS}) == len(styles)
    assert sum(1 for s in styles if s.hatch == "") <= 1  # at most one solid fill


def test_verdict_palette_is_the_table() -> None:
    assert set(palette.VERDICTS) == set(VERDICTS) == set(SYMBOL)
    for verdict, row in VERDICTS.items():
        assert palette.verdict_style(verdict) == row, verdict
        assert SYMBOL[verdict] == row[1]  # the symbol in the app and the log is the chart's
    for i in range(3):  # colour, symbol and shape each differ
        assert len({row[i] for row in VERDICTS.values()}) == 3


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _pixels_at(fig: object, ax: object, x: float, y: float, half: int = 6) -> np.ndarray:
    """The RGB pixels of a small square around data point (x, y) of ``ax``, as drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)  # type: ignore[arg-type]
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())[:, :, :3].astype(float)
    px, py = ax.transData.transform((x, y))  # type: ignore[attr-defined]
    row, col = round(float(image.shape[0] - py)), round(float(px))
    return image[row - half : row + half, col - half : col + half].reshape(-1, 3)


def _share_near(pixels: np.ndarray, colour: str, tolerance: float = 40) -> float:
    """The share of ``pixels`` within ``tolerance`` of ``colour``."""
    return float(np.mean(np.linalg.norm(pixels - _rgb(colour), axis=1) < tolerance))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_rendered_chart_shows_weak_in_vermilion_with_lines_and_strong_in_solid_blue(
    lang: str,
) -> None:
    rows = [("0 Ontwikkelen", 0.2, "weak", "✗ zwak"), ("1 Willen", 0.9, "strong", "✓ sterk")]
    fig = charts.phase_bars(rows, xlabel="%", lang=lang)
    ax = fig.axes[0]
    weak = _pixels_at(fig, ax, 10, 1)  # the first row is drawn on top (y = 1), 20 % long
    strong = _pixels_at(fig, ax, 45, 0)  # the second below it (y = 0), 90 % long
    assert _share_near(weak, "#D55E00") > 0.4
    assert _share_near(weak, "#0072B2") == 0
    assert _share_near(weak, "#222222", 80) > 0.05  # the hatch's lines in ink
    assert _share_near(strong, "#0072B2") > 0.95  # solid: no hatch lines
    assert _share_near(strong, "#D55E00") == 0
