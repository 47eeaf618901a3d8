"""The text ``reader events`` prints (without ``--json``): each event with its dates, label and
who reported it, then its articles; the articles that stand alone; the closest pairs.

On a pipe every line is the text as stored, made one line (:func:`one_line`). On a terminal
every piece of untrusted text (an id, a label, an outlet, a title) is laid out alone by the
right-to-left engine (:class:`reader.cli.visual.VisualPrinter`), and each article's title is
laid out in the room right of its prefix, so Arabic reads right to left and joined, as in
``reader show``, and no row is wider than the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from reader.core.config import Config
from reader.core.text.sanitize import one_line

if TYPE_CHECKING:
    from reader.cli.visual import VisualPrinter
    from reader.core.events.coverage import Coverage
    from reader.core.events.event import Event
    from reader.core.sources.article import Article


class Out:
    """Where the lines go: stdout as text (``printer`` None) or laid out for a terminal."""

    def __init__(self, printer: VisualPrinter | None) -> None:
        self.printer = printer

    def field(self, text: str, lang: str | None = None) -> str:
        """One untrusted field, for a line the caller builds."""
        return one_line(text) if self.printer is None else self.printer.field(text, lang)

    def line(self, text: str) -> None:
        """A line built from :meth:`field` results and reader's own words."""
        if self.printer is None:
            print(text)
        else:
            self.printer.line(text)

    def rows(self, prefix: str, text: str, lang: str | None = None) -> None:
        """``prefix`` (built from fields) and then untrusted ``text`` (a title)."""
        if self.printer is None:
            print(prefix + one_line(text))
        else:
            self.printer.rows(prefix, text, lang=lang)


def terminal_out(config: Config) -> Out:
    """An :class:`Out` laying text out when stdout is a terminal, else printing it as is."""
    from reader.cli.visual import stdout_is_terminal

    if not stdout_is_terminal():
        return Out(None)
    from reader.cli import terminal_columns
    from reader.cli.visual import VisualPrinter

    return Out(VisualPrinter(config, terminal_columns()))


def span(event: Event) -> str:
    """The event's dates, ``  2020-05-18 – 2020-05-20`` (empty when undated)."""
    if event.start is None or event.end is None:
        return ""
    if event.start == event.end:
        return f"  {event.start.isoformat()}"
    return f"  {event.start.isoformat()} – {event.end.isoformat()}"


def coverage_line(out: Out, coverage: Coverage) -> str:
    """Who reported the event, on one line safe to print."""
    from reader.core.events.coverage import summary

    line = f"  reported by: {summary(coverage, outlets=True, name=out.field)}"
    if coverage.one_sided:
        blind = ", ".join(out.field(side) for side in coverage.blind)
        line += f" (a blind spot of {blind})"
    return line


def article_rows(out: Out, article: Article, tail: str = "") -> None:
    """One article: id, language, outlet and title (``tail``: reader's own words after it;
    on a terminal, before the title)."""
    outlet = f"  {out.field(article.outlet)}" if article.outlet else ""
    prefix = f"  {out.field(article.id)}  {article.lang}{outlet}  "
    if out.printer is None:
        out.rows(prefix, article.title + tail)
    else:
        out.rows(prefix + (tail.strip() + "  " if tail else ""), article.title, article.lang)


def print_events(
    out: Out,
    grouped: Sequence[Event],
    alone: Sequence[Event],
    by_id: Mapping[str, Article],
    coverage: Mapping[str, Coverage],
    *,
    all_alone: bool,
    shown_alone: int,
) -> None:
    """The events and the articles alone (all of them with ``all_alone``, else when there
    are at most ``shown_alone``)."""
    for event in grouped:
        flags = " [confirmed]" if event.confirmed else (" [decided]" if event.decided else "")
        size = len(event.article_ids)
        out.line("")
        label = f"  {out.field(event.label)}" if event.label else ""
        # An event the decisions made or reshaped (of articles that stood alone, an article
        # taken out or added) has no cohesion worked out (0): none shown.
        cohesion = f", cohesion {event.cohesion:.2f}" if event.cohesion else ""
        out.line(
            f"{out.field(event.id)}{label}{span(event)}  ({size} article"
            f"{'s' if size != 1 else ''}{cohesion}){flags}"
        )
        out.line(coverage_line(out, coverage[event.id]))
        for article_id in event.article_ids:
            article_rows(out, by_id[article_id])
    if alone and (all_alone or len(alone) <= shown_alone):
        out.line("")
        out.line("Standing alone:")
        for event in alone:
            side = coverage[event.id].one_sided
            mark = f"  [one-sided: {out.field(side)}]" if side else ""
            article_rows(out, by_id[event.article_ids[0]], span(event) + mark)
    elif alone:
        out.line("")
        out.line(f"{len(alone)} articles stand alone (--all lists them, --json gives everything)")
