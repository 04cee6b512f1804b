"""Charts as matplotlib ``Figure`` objects (object API, no pyplot global state).

Every function returns a Figure; :func:`to_png` renders it and :func:`img_html` wraps the bytes in an
``<img>`` with alt text. Colours come from the Okabe-Ito palette (safe for colour-blind readers) and
always go together with a text label or a marker shape.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from kit import formats
from kit.palette import (
    BLUE,
    GREEN,
    GREY,
    INK,
    PAPER,
    PURPLE,
    SKY,
    VERMILION,
    YELLOW,
    level_style,
    verdict_style,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

P = ParamSpec("P")
T = TypeVar("T")

# matplotlib is imported inside the drawing functions: a page whose charts all come from the
# cache (see `png`) never loads it, which keeps app start-up close to a bare notebook.


# Okabe-Ito colours and the level and verdict styles: kit.palette.
STAGE_COLOURS = (PURPLE, SKY, GREEN)

#: Every text in a chart or report is drawn as it was typed. By default matplotlib reads text
#: between two ``$`` as mathtext, so an alias such as ``$\frac{a}{$`` (a participant's, typed
#: into the join form) made drawing the trainer's whole group report fail with a ValueError.
PLAIN_TEXT = ("text.parse_math", "text.usetex")


def plain_text(fn: Callable[P, T]) -> Callable[P, T]:
    """Run ``fn`` with :data:`PLAIN_TEXT` off: for every function that makes or saves a Figure (a
    Text reads the setting when it is made, tick labels when the figure is drawn)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
            return fn(*args, **kwargs)

    return wrapper


@plain_text
def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """Render ``fig`` to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def img_html(png: bytes, alt: str, css_class: str = "kit-chart") -> str:
    """An ``<img>`` tag carrying the PNG inline, with escaped alt text."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img class="{css_class}" alt="{html.escape(alt)}" role="img" '
        f'style="max-width:100%;height:auto" src="data:image/png;base64,{data}"/>'
    )


@plain_text
def journey(
    phases: Sequence[tuple[int, str, str]],
    stages: Sequence[tuple[str, Sequence[int]]],
    change_model: Sequence[tuple[int, str]],
    *,
    selected: int | None = None,
    team_phase: int | None = None,
    team_label: str = "",
    markers: Sequence[tuple[int, str, str]] = (),
    change_title: str = "",
    fig: Figure | None = None,
) -> Figure:
    """The implementation journey: phases in order, grouped by stage, with the change model below.

    ``phases``: (number, name, short question); ``stages``: (name, phase numbers);
    ``change_model``: (phase number, name); ``markers``: (phase number, symbol, label) drawn on
    the phase box, stacked when several land on one phase.
    """
    from matplotlib.patches import FancyBboxPatch

    fig = _reuse(fig, (10, 3.6 + 0.28 * _max_stack(markers)))
    ax = fig.add_axes((0.01, 0.02, 0.98, 0.96))
    n = len(phases)
    ax.set_xlim(-0.1, n + 0.1)
    stack = _max_stack(markers)
    ax.set_ylim(-1.35 - 0.33 * stack, 1.65)
    ax.axis("off")

    for s_index, (stage_name, numbers) in enumerate(stages):
        if not numbers:
            continue
        left, right = min(numbers), max(numbers) + 1
        colour = STAGE_COLOURS[s_index % len(STAGE_COLOURS)]
        ax.add_patch(
            FancyBboxPatch(
                (left + 0.04, 1.2),
                right - left - 0.08,
                0.32,
                boxstyle="round,pad=0.0,rounding_size=0.08",
                fc=colour,
                ec="none",
                alpha=0.35,
            )
        )
        ax.text(
            (left + right) / 2,
            1.36,
            stage_name,
            ha="center",
            va="center",
            fontsize=11,
            color=INK,
            weight="bold",
        )

    for number, name, question in phases:
        is_selected = number == selected
        is_team = number == team_phase
        ax.add_patch(
            FancyBboxPatch(
                (number + 0.06, 0.1),
                0.88,
                0.95,
                boxstyle="round,pad=0.0,rounding_size=0.06",
                fc="#E8F1F8" if is_selected else "#F4F4F4",
                ec=BLUE if is_selected else GREY,
                lw=3.2 if is_selected else 1.0,
            )
        )
        ax.text(
            number + 0.5,
            0.86,
            f"{number}",
            ha="center",
            va="center",
            fontsize=15,
            weight="bold",
            color=BLUE if is_selected else INK,
        )
        ax.text(
            number + 0.5,
            0.58,
            name,
            ha="center",
            va="center",
            fontsize=11,
            weight="bold",
            color=INK,
            wrap=True,
        )
        ax.text(
            number + 0.5,
            0.28,
            _wrap(question, 20),
            ha="center",
            va="center",
            fontsize=7.5,
            color="#444444",
        )
        if is_team:
            ax.annotate(
                team_label,
                xy=(number + 0.5, 0.1),
                xytext=(number + 0.5, -0.25),
                ha="center",
                va="top",
                fontsize=10,
                weight="bold",
                color=VERMILION,
                arrowprops={"arrowstyle": "-|>", "color": VERMILION, "lw": 2},
            )

    for number, name in change_model:
        y = -0.75
        ax.add_patch(
            FancyBboxPatch(
                (number + 0.1, y - 0.2),
                0.8,
                0.4,
                boxstyle="round,pad=0.0,rounding_size=0.05",
                fc=PAPER,
                ec=GREY,
                ls="--",
            )
        )
        ax.text(
            number + 0.5, y, _wrap(name, 14), ha="center", va="center", fontsize=9, style="italic"
        )
        ax.plot([number + 0.5, number + 0.5], [0.1, y + 0.2], color=GREY, lw=0.8, ls=":")
    if change_model and change_title:
        first = min(number for number, _ in change_model)
        ax.text(
            first - 0.05,
            -0.75,
            change_title,
            ha="right",
            va="center",
            fontsize=8,
            color="#444444",
            style="italic",
            wrap=True,
        )

    heights: dict[int, int] = {}
    for number, symbol, label in markers:
        level = heights.get(number, 0)
        heights[number] = level + 1
        y = -1.2 - 0.33 * level
        ax.text(
            number + 0.5,
            y,
            f"{symbol} {_short(label, 22)}",
            ha="center",
            va="center",
            fontsize=8.5,
            color=INK,
            bbox={"boxstyle": "round,pad=0.25", "fc": _marker_colour(symbol), "ec": INK, "lw": 0.6},
        )
    return fig


def _marker_colour(symbol: str) -> str:
    return {"✓": "#BFE6D9", "→": "#CFE3F2", "✗": "#F6CDB0", "↺": "#E6E6E6"}.get(symbol, PAPER)


def _max_stack(markers: Sequence[tuple[int, str, str]]) -> int:
    counts: dict[int, int] = {}
    for number, _, _ in markers:
        counts[number] = counts.get(number, 0) + 1
    return max(counts.values(), default=0)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")


def _share_axis(ax: Any, labels: Sequence[str], xlabel: str, top: float) -> None:
    """A 0-100 % axis with one row per phase (top row first) and dashed lines at the quickscan's
    weak and strong thresholds."""
    from kit.quickscan import STRONG_FROM, WEAK_BELOW

    ax.set_yticks(list(range(len(labels)))[::-1], labels, fontsize=9)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.65, top)
    for share in (WEAK_BELOW, STRONG_FROM):
        ax.axvline(share * 100, color=GREY, lw=0.8, ls="--")
    ax.set_xlabel(xlabel, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)


def _reuse(fig: Figure | None, size: tuple[float, float]) -> Figure:
    """Clear and reuse ``fig`` (cheaper than a new Figure on every answer) or make one."""
    if fig is None:
        from matplotlib.figure import Figure

        return Figure(figsize=size, facecolor=PAPER)
    fig.clear()
    fig.set_size_inches(*size)
    return fig


@plain_text
def phase_bars(
    rows: Sequence[tuple[str, float | None, str, str]],
    *,
    xlabel: str,
    reference: Sequence[float | None] | None = None,
    reference_label: str = "",
    zone_labels: Sequence[str] = (),
    lang: str = "nl",
    fig: Figure | None = None,
) -> Figure:
    """Horizontal bars per phase: (label, share 0..1 or None, level, level text); percentages
    are written the way ``lang`` writes them.

    Each bar carries its level as text and a hatch, so colour is never the only cue; an optional
    reference is drawn as a diamond marker per phase.
    """
    fig = _reuse(fig, (7.5, 0.5 * len(rows) + 1.2))
    ax = fig.add_axes((0.3, 0.16 + 0.1 / max(len(rows), 1), 0.52, 0.8 - 0.1 / max(len(rows), 1)))
    ys = list(range(len(rows)))[::-1]
    bars: list[Any] = []  # what changes with the answers (see PhaseBarsPng)
    texts: list[Any] = []
    markers: list[Any] = []
    for y, (_, share, level, text) in zip(ys, rows, strict=True):
        value = 0.0 if share is None else share * 100
        bars.extend(
            ax.barh(
                y,
                value,
                color=level_style(level).colour,
                hatch=level_style(level).hatch,
                edgecolor=INK,
                linewidth=0.6,
                height=0.62,
            )
        )
        shown = formats.percent(share, lang)
        texts.append(
            ax.text(
                101,
                y,
                f"{shown}  {text}",
                va="center",
                ha="left",
                fontsize=9,
                color=INK,
                clip_on=False,
            )
        )
    if reference is not None:
        for y, ref in zip(ys, reference, strict=True):
            if ref is not None:
                markers += ax.plot(
                    ref * 100,
                    y,
                    marker="D",
                    color=INK,
                    markersize=7,
                    markerfacecolor=YELLOW,
                    linestyle="none",
                    label=reference_label if y == ys[0] else None,
                )
        if reference_label:
            fig.text(0.84, 0.03, reference_label, fontsize=9, ha="left")
    from kit.quickscan import STRONG_FROM, WEAK_BELOW

    zones = (WEAK_BELOW / 2, (WEAK_BELOW + STRONG_FROM) / 2, (STRONG_FROM + 1) / 2)
    for x, label in zip((z * 100 for z in zones), zone_labels, strict=False):
        ax.text(x, len(rows) - 0.45, label, ha="center", va="bottom", fontsize=8, color="#444444")
    _share_axis(ax, [r[0] for r in rows], xlabel, top=len(rows) - 0.1)
    ax.tick_params(axis="x", labelsize=8)
    fig.kit_dynamic = (bars, texts, markers)  # type: ignore[attr-defined]
    return fig


class PhaseBarsPng:
    """:func:`phase_bars` as PNG bytes, redrawn cheaply after an answer.

    An answer changes a bar's length, colour and hatch and its text; the axis, the labels, the
    thresholds and the reference stay as they are. The first call draws the whole figure once
    without the parts that change and keeps that picture (matplotlib's blitting); every later
    call with the same rows, labels and reference pastes it back, draws only the bars, their
    texts and the reference marks on top, and encodes the PNG. Anything else changed (the
    language, the perspective, the case's reference) draws it all again. About a tenth of the
    CPU time of a full draw and save (``tests/test_charts_speed.py``)."""

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._fig: Figure | None = None
        self._canvas: Any = None
        self._background: Any = None

    @plain_text
    def __call__(
        self, rows: Sequence[tuple[str, float | None, str, str]], *, dpi: int = 100, **spec: Any
    ) -> bytes:
        """PNG bytes of ``phase_bars(rows, **spec)`` (the same picture)."""
        key = (tuple(r[0] for r in rows), dpi, repr(sorted(spec.items())))
        if key != self._key or self._fig is None:
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            fig = phase_bars(rows, fig=self._fig, **spec)
            fig.set_dpi(dpi)
            canvas = FigureCanvasAgg(fig)
            for artist in self._changing(fig):
                artist.set_animated(True)  # left out of the background
            canvas.draw()
            self._fig, self._canvas, self._key = fig, canvas, key
            self._background = canvas.copy_from_bbox(fig.bbox)
        else:
            fig = self._fig
            bars, texts, _ = fig.kit_dynamic  # type: ignore[attr-defined]
            for bar, label, (_, share, level, text) in zip(bars, texts, rows, strict=True):
                style = level_style(level)
                bar.set_width(0.0 if share is None else share * 100)
                bar.set_facecolor(style.colour)
                bar.set_hatch(style.hatch)
                label.set_text(f"{formats.percent(share, spec.get('lang', 'nl'))}  {text}")
        canvas = self._canvas
        canvas.restore_region(self._background)
        for artist in self._changing(fig):
            artist.axes.draw_artist(artist)
        return _png_of(canvas)

    @staticmethod
    def _changing(fig: Figure) -> list[Any]:
        """The bars, their texts and the reference marks, with what a full draw paints over the
        bars (the threshold lines, the axis lines), in the order it paints them."""
        bars, texts, markers = fig.kit_dynamic  # type: ignore[attr-defined]
        ax = bars[0].axes if bars else None
        over = [] if ax is None else [line for line in ax.get_lines() if line not in markers]
        spines = [] if ax is None else [s for s in ax.spines.values() if s.get_visible()]
        return [*bars, *markers, *over, *spines, *texts]


def _png_of(canvas: Any) -> bytes:
    """The canvas's pixels as PNG bytes (as ``savefig`` writes them, without drawing again)."""
    from PIL import Image

    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png")
    return buf.getvalue()


@plain_text
def heat_grid(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    cells: Sequence[Sequence[tuple[float | None, str, str]]],
    *,
    fig: Figure | None = None,
) -> Figure:
    """A phase × factor grid; each cell is (share or None, level, text) and shows its text."""
    from matplotlib.patches import FancyBboxPatch

    fig = _reuse(fig, (7.5, 0.42 * len(row_labels) + 1.3))
    ax = fig.add_axes((0.22, 0.04, 0.76, 0.78))
    n_rows, n_cols = len(row_labels), len(col_labels)
    for r in range(n_rows):
        for c in range(n_cols):
            share, level, text = cells[r][c]
            colour = level_style(level).colour if share is not None else PAPER
            ax.add_patch(
                FancyBboxPatch(
                    (c + 0.05, n_rows - r - 1 + 0.06),
                    0.9,
                    0.88,
                    boxstyle="round,pad=0,rounding_size=0.05",
                    fc=colour,
                    alpha=0.35 if share is not None else 1.0,
                    ec=GREY,
                    lw=0.6,
                    hatch=level_style(level).hatch if share is not None else "",
                )
            )
            ax.text(
                c + 0.5, n_rows - r - 0.5, text, ha="center", va="center", fontsize=8.5, color=INK
            )
    ax.set_xlim(0, n_cols)
    ax.set_ylim(0, n_rows)
    ax.set_xticks([c + 0.5 for c in range(n_cols)], col_labels, fontsize=8.5)
    ax.xaxis.tick_top()
    ax.set_yticks([n_rows - r - 0.5 for r in range(n_rows)], row_labels, fontsize=8.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


@plain_text
def kern_schil(
    elements: Sequence[tuple[str, str, Sequence[str]]],
    *,
    kern_label: str,
    schil_label: str,
    fig: Figure | None = None,
) -> Figure:
    """The intervention as a kern (inner circle) inside a schil (ring).

    ``elements``: (label, "kern" | "schil", verdicts of the adaptations on it). Each element is a
    labelled dot; adaptations show as markers with a symbol (✓ ! ✗) and a colour.
    """
    import math

    from matplotlib.patches import Circle

    fig = _reuse(fig, (7.2, 7.2))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(-2.6, 2.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.add_patch(Circle((0, 0), 2.1, fc="#EEF5FB", ec=BLUE, lw=1.5))
    ax.add_patch(Circle((0, 0), 1.05, fc="#FFF6E0", ec=INK, lw=2.2))
    ax.text(0, 2.22, schil_label, ha="center", va="bottom", fontsize=12, weight="bold", color=BLUE)
    ax.text(
        0,
        0.0,
        kern_label,
        ha="center",
        va="center",
        fontsize=12,
        weight="bold",
        color="#7A5B00",
        alpha=0.35,
    )

    for part, radius in (("kern", 0.62), ("schil", 1.58)):
        mine = [e for e in elements if e[1] == part]
        offset = math.pi / 2 if part == "kern" else math.pi / 2 + math.pi / max(len(mine), 1)
        for i, (label, _, verdicts) in enumerate(mine):
            angle = offset + 2 * math.pi * i / max(len(mine), 1)
            r = radius if len(mine) > 1 or part == "schil" else 0.0
            x, y = r * math.cos(angle), r * math.sin(angle)
            ax.plot(x, y, "o", color=INK, markersize=5)
            ax.text(
                x,
                y - 0.1,
                _wrap(label, 14),
                ha="center",
                va="top",
                fontsize=8.5,
                color=INK,
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "fc": PAPER,
                    "ec": GREY,
                    "lw": 0.5,
                    "alpha": 0.9,
                },
            )
            for j, verdict in enumerate(verdicts):
                ax.text(
                    x - 0.14 * (len(verdicts) - 1) + 0.28 * j,
                    y + 0.16,
                    verdict_style(verdict)[1],
                    ha="center",
                    va="center",
                    fontsize=11,
                    weight="bold",
                    color=PAPER,
                    bbox={
                        "boxstyle": verdict_style(verdict)[2],
                        "fc": verdict_style(verdict)[0],
                        "ec": INK,
                        "lw": 0.6,
                    },
                )
    return fig


@plain_text
def group_phases(
    rows: Sequence[tuple[str, Sequence[float], float | None]],
    *,
    xlabel: str,
    median_label: str,
    reference_label: str,
    lang: str = "nl",
    fig: Figure | None = None,
) -> Figure:
    """Each participant as a dot per phase, the spread as a band, the median as a bar and the case
    reference as a diamond; a text label per phase gives n and the median."""
    import statistics

    fig = _reuse(fig, (8, 0.62 * len(rows) + 1.3))
    ax = fig.add_axes((0.24, 0.17, 0.56, 0.78))
    ys = list(range(len(rows)))[::-1]
    for y, (_, shares, ref) in zip(ys, rows, strict=True):
        values = [s * 100 for s in shares]
        if values:
            ax.plot(
                [min(values), max(values)],
                [y, y],
                color=SKY,
                lw=9,
                alpha=0.45,
                solid_capstyle="round",
            )
            offsets = [((i * 7) % 5 - 2) * 0.06 for i in range(len(values))]
            ax.scatter(
                values,
                [y + o for o in offsets],
                s=28,
                color=BLUE,
                edgecolor=INK,
                linewidth=0.5,
                zorder=3,
            )
            median = statistics.median(values)
            ax.plot([median, median], [y - 0.3, y + 0.3], color=INK, lw=2.4, zorder=4)
            text = f"n={len(values)}, {median_label} {formats.percent(median / 100, lang)}"
        else:
            text = "n=0"
        if ref is not None:
            ax.plot(
                ref * 100,
                y,
                marker="D",
                markersize=9,
                color=INK,
                markerfacecolor=YELLOW,
                linestyle="none",
                zorder=5,
            )
        ax.text(102, y, text, va="center", fontsize=9, clip_on=False)
    _share_axis(ax, [r[0] for r in rows], xlabel, top=len(rows) - 0.3)
    handles = [
        ax.scatter([], [], s=28, color=BLUE, edgecolor=INK, label="●"),
        ax.plot([], [], color=INK, lw=2.4, label=f"| {median_label}")[0],
        ax.plot(
            [],
            [],
            marker="D",
            color=INK,
            markerfacecolor=YELLOW,
            linestyle="none",
            label=f"◆ {reference_label}",
        )[0],
    ]
    ax.legend(
        handles=handles[1:],
        loc="upper left",
        bbox_to_anchor=(0, -0.12),
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    return fig


def png(
    draw: Callable[..., Figure],
    *,
    dpi: int = 100,
    cache: bool = False,
    reuse: dict[str, Any] | None = None,
    **kwargs: Any,
) -> bytes:
    """PNG bytes of ``draw(**kwargs)``.

    ``cache=True`` keeps the bytes on disk under a hash of the function and every argument, so a
    chart drawn once (the journey, an empty diagram) is read back by later kernels without
    loading matplotlib. Only use it for charts with few distinct inputs. ``reuse`` holds Figures
    to redraw into instead of making new ones. Every chart function takes ``fig=``.
    """
    path = None
    if cache:
        key = hashlib.sha256(
            repr((draw.__name__, dpi, sorted(kwargs.items()), _source_hash())).encode()
        ).hexdigest()
        try:
            path = _cache_dir_cached() / f"{key}.png"
            if path.exists():
                return path.read_bytes()
        except OSError:
            path = None  # no writable cache: just draw
    fig = draw(**kwargs, fig=reuse.get(draw.__name__) if reuse is not None else None)
    if reuse is not None:
        reuse[draw.__name__] = fig
    data = to_png(fig, dpi)
    if path is not None:
        try:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)  # atomic: concurrent kernels never read half a file
        except OSError:
            pass
    return data


_CACHE: dict[str, Any] = {}


def _cache_dir_cached() -> Path:
    if "dir" not in _CACHE:
        # Keyed without importing matplotlib: its version is read from the package metadata.
        from importlib.metadata import version

        from platformdirs import user_cache_dir

        base = os.environ.get("KIT_CHART_CACHE") or user_cache_dir(
            "implementatiekit", appauthor=False
        )
        folder = Path(base) / f"charts-mpl{version('matplotlib')}"
        folder.mkdir(parents=True, exist_ok=True)
        _CACHE["dir"] = folder
    return Path(_CACHE["dir"])


def _source_hash() -> str:
    """Changes whenever the kit's code changes (this file, and every module whose constants a
    chart uses, such as the quickscan's weak/strong thresholds), so no stale picture is served."""
    if "src" not in _CACHE:
        digest = hashlib.sha256()
        for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
            digest.update(path.read_bytes())
        _CACHE["src"] = digest.hexdigest()[:16]
    return str(_CACHE["src"])


def progress_pairs(
    rows: Sequence[tuple[str, float | None, float | None, str]],
    *,
    before_label: str,
    after_label: str,
    xlabel: str,
    fig: Figure | None = None,
) -> Figure:
    """Before and after per row as paired bars: the earlier scan hatched and light, the later one
    solid, a text label per row (``40% → 65% ↑ ✓``) so the change never rests on colour alone.
    ``rows``: (label, share before, share after, text)."""
    fig = _reuse(fig, (8, 0.62 * len(rows) + 1.4))
    ax = fig.add_axes((0.26, 0.2, 0.5, 0.76))
    ys = list(range(len(rows)))[::-1]
    for y, (_, before, after, text) in zip(ys, rows, strict=True):
        if before is not None:
            ax.barh(y + 0.19, before * 100, height=0.36, color=SKY, edgecolor=INK, hatch="//")
        if after is not None:
            ax.barh(y - 0.19, after * 100, height=0.36, color=BLUE, edgecolor=INK)
        ax.text(102, y, text, va="center", fontsize=9, clip_on=False, parse_math=False)
    _share_axis(ax, [r[0] for r in rows], xlabel, top=len(rows) - 0.4)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(facecolor=SKY, edgecolor=INK, hatch="//", label=before_label),
            Patch(facecolor=BLUE, edgecolor=INK, label=after_label),
        ],
        loc="upper left",
        bbox_to_anchor=(0, -0.1),
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    return fig
