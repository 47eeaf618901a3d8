"""Breaking a prepared paragraph (:class:`reader.core.text.shaping.Paragraph`) into rows.

Internal to :mod:`reader.core.text.layout` (use that module's API). Rows are cut in logical
order, on the clusters and break kinds shaping gives; see :func:`wrap` for the rules.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from reader.core.text.shaping import Paragraph

__all__ = ["wrap"]

_NOT_SPACE = re.compile("[^w]")
# Punctuation that closes the word before it: a row never starts with it when it can be kept
# with that word ("حفتر ،" and "word ." as typed, or a folded word's last letter before it).
_CLOSING = frozenset(",.;:!?)]}»›”’،؛؟…%٪۔")


def wrap(par: Paragraph, width: int) -> list[tuple[int, int, int]]:
    """Break a paragraph into rows of at most ``width`` cells: (first, end cluster, cells).

    Greedy, in logical order: a row breaks at the last space that lets it fit; the spaces at a
    break are swallowed; a word wider than the row is folded; trailing spaces of the paragraph
    stay only when they fit. Leading spaces of the paragraph stick to its first word.
    A row does not start with punctuation that closes the word before it (",", ".", "،",
    "؟", ")", "»"... alone up to the next space): the space before such punctuation is no
    place to break, unless the row has no other; a folded word leaves its last letter before
    such punctuation to the next row with it.
    """
    count = len(par.texts)
    if not count:
        return [(0, 0, 0)]
    breaks = par.breaks
    cum: Sequence[int] = par.cum if width > 1 else range(count + 1)  # 1 cell: clamp wide ones

    def closes(first: int) -> bool:  # clusters first.. up to a space are closing punctuation
        last = first
        while last < count and breaks[last] != "w":
            if par.text[par.starts[last]] not in _CLOSING:
                return False
            last += 1
        return last > first

    rows: list[tuple[int, int, int]] = []
    start = 0
    while True:
        limit = bisect_right(cum, cum[start] + width) - 1  # clusters start..limit-1 fit
        if limit >= count:
            rows.append((start, count, cum[count] - cum[start]))
            return rows
        cut = limit if breaks[limit] == "w" else breaks.rfind("w", start, limit)
        better = cut
        while (
            better > start
            and (after := _NOT_SPACE.search(breaks, better))
            and closes(after.start())
        ):
            while better > start and breaks[better - 1] == "w":
                better -= 1
            better = breaks.rfind("w", start, better)
        if better > start:
            cut = better
        if cut <= start:  # no space to break at: fold the word
            end = max(limit, start + 1)
            if end - 1 > start and closes(end):
                end -= 1
            rows.append((start, end, cum[end] - cum[start]))
            start = end
            continue
        end = cut
        while breaks[end - 1] == "w":
            end -= 1
        rows.append((start, end, cum[end] - cum[start]))
        following = _NOT_SPACE.search(breaks, cut)
        if following is None:
            return rows
        start = following.start()
