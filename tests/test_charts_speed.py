"""The Quickscan's phase chart after an answer: the same picture as a full draw, for a fraction
of its work (``make bench``'s "quickscan answer → chart" was 140-167 ms of kernel CPU time, nearly
all of it matplotlib drawing and saving the whole figure again)."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Iterator

import pytest
from PIL import Image, ImageChops

from kit import charts
from kit.apps.common import Ctx, Status
from kit.content import default_content
from kit.present.quickscan import compute, phase_chart, reference_result


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _differing(a: bytes, b: bytes) -> int:
    """Pixels that differ visibly (more than 40 of 255 in a channel) between two PNGs."""
    first, second = _image(a), _image(b)
    assert first.size == second.size
    diff = ImageChops.difference(first, second).convert("L").point(lambda v: 255 if v > 40 else 0)
    return diff.histogram()[255]


def _specs(lang: str) -> Iterator[tuple[str, dict[str, object]]]:
    """Answers coming in one by one, without and with the case's reference, then another
    perspective: what a participant's chart goes through."""
    ctx = Ctx(default_content(), lang, Status())
    for perspective in [p.id for p in ctx.content.instrument.perspectives][:2]:
        ids = [s.id for s in ctx.content.instrument.statements_for(perspective)]
        case = next(k for k in ctx.content.cases if perspective in k.perspectives)
        for n in (1, 2, 7, 8, 20, 35):
            answers = {sid: (i * 7 + n) % 4 for i, sid in enumerate(ids[:n])}
            reference = reference_result(ctx, case, perspective) if n >= 20 else None
            spec, _ = phase_chart(ctx, compute(ctx, perspective, answers), reference)
            yield f"{perspective} {n}", spec


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_redrawn_chart_is_the_picture_a_full_draw_makes(lang: str) -> None:
    chart = charts.PhaseBarsPng()
    for label, spec in _specs(lang):
        quick = chart(**spec)
        full = charts.to_png(charts.phase_bars(**spec))
        assert _differing(quick, full) == 0, label
        assert quick.startswith(b"\x89PNG")


def test_a_redraw_draws_only_the_texts_that_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted, not timed: how many texts matplotlib draws (each costs about 3 ms of CPU)."""
    from matplotlib.text import Text

    drawn: list[str] = []
    original = Text.draw

    def counting(self: Text, renderer: object) -> None:
        drawn.append(self.get_text())
        original(self, renderer)

    monkeypatch.setattr(Text, "draw", counting)
    specs = [spec for _, spec in _specs("nl")][:4]  # the same perspective, no reference yet
    chart = charts.PhaseBarsPng()
    chart(**specs[0])
    full = len(drawn)
    drawn.clear()
    chart(**specs[1])
    rows = len(specs[1]["rows"])  # type: ignore[arg-type]
    assert len(drawn) == rows < full / 3, (len(drawn), full)
    assert any("%" in text for text in drawn)  # the share beside a bar changed with the answer


def test_a_redraw_costs_under_half_the_cpu_of_a_full_draw() -> None:
    """CPU time of this process (other work on the machine does not count), medians."""
    specs = [spec for _, spec in _specs("nl")][:6]
    chart = charts.PhaseBarsPng()
    chart(**specs[0])

    def cpu(draw: object) -> float:
        samples = []
        for i in range(12):
            spec = specs[1 + i % 5] if i % 2 else specs[1]
            start = time.process_time()
            draw(spec)  # type: ignore[operator]
            samples.append(time.process_time() - start)
        return statistics.median(samples)

    quick = cpu(lambda spec: chart(**spec))
    full = cpu(lambda spec: charts.to_png(charts.phase_bars(**spec)))
    assert quick < full / 2, (quick, full)
