"""Micro-benchmark of the layout engine: ``python -m reader.bench_layout [--words N]``.

Builds a deterministic Arabic article of N words (default 5,000) from the vocabulary of the
Arabic seed article, inflated with common prefixes/suffixes to a realistic number of distinct
words and sprinkled with numbers, dates, Latin names and brackets, then times:

- cold: every cache cleared before each run (shaping, bidi, paragraphs, layouts);
- warm words: words already shaped (as after reading a few articles), layout caches cleared;
- re-layout: the same article at a new width (prepared paragraphs reused);
- render: building the styled Rich Text of every row.

Prints the median and the minimum of each, in CPU milliseconds (process time).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from reader.core.text.layout import Span, clear_caches, layout_text

SEED = Path(__file__).resolve().parent.parent / "seeds" / "003_cf72655655ca3791.txt"
_FALLBACK = "قال الجيش الوطني الليبي إن قواته تقدمت نحو المدينة بعد معارك عنيفة مع الميليشيات"
_PREFIXES = ["", "", "", "و", "ب", "ال", "وال", "لل", "ف"]
_SUFFIXES = ["", "", "", "ها", "ات", "ون", "ين", "ه", "هم"]
_EXTRAS = ["140 كلم", "18/05/2020", "GNA", "(حكومة الوفاق)", "«الجيش»", "2020", "٣٥", "%12"]


def make_article(words: int = 5000, seed: int = 7) -> str:
    """A deterministic Arabic article of about ``words`` words, paragraphs of 40-120 words."""
    rng = random.Random(seed)
    try:
        base = SEED.read_text(encoding="utf-8").split()
    except OSError:
        base = _FALLBACK.split()
    vocabulary = sorted({p + w + s for w in base for p in _PREFIXES[::3] for s in _SUFFIXES[::3]})
    rng.shuffle(vocabulary)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    paragraphs = []
    count = 0
    while count < words:
        size = min(rng.randint(40, 120), words - count)
        chosen = rng.choices(vocabulary, weights, k=size)
        for i in range(0, size, 17):
            chosen[i] = rng.choice(_EXTRAS)
        paragraphs.append(" ".join(chosen) + ".")
        count += size
    return "\n".join(paragraphs)


def _time(action: Callable[[], object], prepare: Callable[[], object], runs: int) -> list[float]:
    """CPU milliseconds of ``action`` per run (CPU time: the machine may be shared)."""
    times = []
    for _ in range(runs):
        prepare()
        start = time.process_time()
        action()
        times.append((time.process_time() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--width", type=int, default=80)
    args = parser.parse_args()
    text = make_article(args.words)
    width = args.width
    distinct = len(set(text.split()))
    print(f"{len(text.split())} words ({distinct} distinct), {len(text)} characters")

    def report(name: str, times: list[float]) -> None:
        print(f"{name:<34} median {statistics.median(times):7.2f} ms   min {min(times):7.2f} ms")

    def forget_layouts() -> None:
        from reader.core.text import layout, layout_blocks

        layout._LAYOUTS.clear()
        layout_blocks.clear_blocks()
        layout._SCANS.clear()

    report(f"cold, width {width}", _time(lambda: layout_text(text, width), clear_caches, args.runs))
    layout_text(text, width)
    report(
        f"warm words, width {width}",
        _time(lambda: layout_text(text, width), forget_layouts, args.runs),
    )

    other = 120 if width != 120 else 80

    def relayout() -> None:
        forget_layouts()
        layout_text(text, width)
        from reader.core.text import layout

        layout._LAYOUTS.clear()

    report(
        f"re-layout at {other} (after {width})",
        _time(lambda: layout_text(text, other), relayout, args.runs),
    )
    result = layout_text(text, width)
    spans = [Span(i, i + 5, "reverse") for i in range(0, len(text), 97)]

    def render() -> None:
        styled = result.with_spans(spans)
        for line in range(len(styled)):
            styled.line_text(line)

    report(f"render {len(result)} styled rows", _time(render, lambda: None, args.runs))


if __name__ == "__main__":
    main()
