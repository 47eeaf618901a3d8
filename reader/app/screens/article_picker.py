"""Picking the articles to compare an article with: 1 to 3 others, from the whole corpus.

The most similar articles come first with their similarity, the closest ones already ticked;
typing filters the list by words of the title, the outlet or the id. Returns the chosen ids
(most similar first) or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList
from textual.widgets.selection_list import Selection

from reader.app.actions import bindings
from reader.app.widgets.bidi_input import BidiInput
from reader.app.widgets.bidi_text import field_text
from reader.core.config import Config
from reader.core.sources.article import Article
from reader.core.text.layout import layout_text
from reader.core.text.sanitize import clipped
from reader.rich_rows import rich_text

MAX_OTHERS = 3
SUGGESTED = 0.1  # similarity from which an article is ticked before the user picks


@dataclass(frozen=True, slots=True)
class Choice:
    """An article that may be compared, with its similarity (0..1) to the opened one."""

    article_id: str
    lang: str
    title: str
    outlet: str
    score: float


def row_room(screen_width: int, chrome: int) -> int:
    """The columns a row of a picker (90% of the screen, at most 130, in a thick border with
    one column of padding) leaves for its text, after ``chrome`` columns of the list's own
    (its border, padding, tick boxes). A title laid out wider is cut by the widget at its
    right end: the start of an Arabic one."""
    return max(10, min(130, screen_width * 9 // 10) - 4 - chrome)


def first_row(text: str, config: Config, lang: str | None, width: int) -> Text:
    """The first visual line of ``text`` laid out by the right-to-left engine, without the
    padding that right-aligns it, and "…" when there is more (on the left of a right-to-left
    row, where its text goes on), ``width`` cells at most."""
    layout = layout_text(
        " ".join(text.split()),
        max(1, width - 1),
        lang=lang,
        harakat=config.harakat,  # type: ignore[arg-type]
        mode=config.rtl,  # type: ignore[arg-type]
        paragraph_gap=0,
    )
    line = rich_text(layout.line_text(0))[layout.lines[0].indent :]
    if len(layout.lines) > 1 and layout.lines[0].rtl:
        return Text("…").append_text(line)
    if len(layout.lines) > 1:
        line.append("…")
    return line


_LIST_CHROME = 11  # a SelectionList's border, padding and tick box; 3 before the id after it


def choice_prompt(choice: Choice, config: Config, screen_width: int) -> Text:
    """A choice's row in the picker on a screen ``screen_width`` wide: score, language, the
    first line of its title, its outlet and its id, within :func:`row_room`. A third of the
    row (16 columns at most) is kept for the outlet, laid out and cut by the layout: an
    Arabic one keeps its start (cut by the widget at the row's right end, it would lose it);
    the id goes after it, cut at its end when the row is too narrow."""
    prompt = Text(f"{choice.score:4.2f}  {choice.lang:<5} ", style="dim")
    room = row_room(screen_width, _LIST_CHROME + len(prompt))
    kept = min(16, room // 3) if choice.outlet.strip() else 0
    title = first_row(choice.title, config, choice.lang, min(70, room - kept))
    prompt.append_text(title)
    left = room - title.cell_len - 2
    outlet = Text()
    if choice.outlet.strip() and left >= 4:
        outlet = first_row(clipped(choice.outlet), config, None, min(left, 40))
    ident = field_text(choice.article_id, config)
    extra = Text("  ").append_text(outlet)
    extra.append(f" · {ident}" if outlet.cell_len and ident else ident)
    extra.stylize("dim")
    return prompt.append_text(extra)


class ArticlePicker(ModalScreen[list[str] | None]):
    """Tick 1 to 3 articles; Ctrl+S (or the button) compares, Escape cancels."""

    DEFAULT_CSS = """
    ArticlePicker { align: center middle; }
    ArticlePicker #picker { width: 90%; max-width: 130; height: 85%; border: thick $accent;
                            background: $surface; padding: 0 1; }
    ArticlePicker #picker-list { height: 1fr; }
    ArticlePicker #picker-hint { width: 100%; }
    ArticlePicker #picker-buttons { height: 3; align-horizontal: right; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("picker")]

    def __init__(
        self,
        config: Config,
        article: Article,
        choices: Sequence[Choice],
        current: Sequence[str] | None = (),
        *,
        heading: str = "Compare with…",
        verb: str = "Compare",
    ) -> None:
        """``current``: the ids ticked at first (empty: the most similar; None: none);
        ``heading``: the question, put before the article's title; ``verb``: what Ctrl+S does."""
        super().__init__()
        self.config = config
        self.article = article
        self.choices = list(choices)
        self.heading, self.verb = heading, verb
        ticked = list(current or ()) or [
            c.article_id for c in self.choices[:MAX_OTHERS] if c.score >= SUGGESTED
        ]
        first = [c.article_id for c in self.choices[:1]]
        self.chosen: list[str] = [] if current is None else ticked or first

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            title = Text(f"{self.heading}  ", style="bold")
            room = row_room(self.app.size.width, len(title))
            title.append(first_row(self.article.title, self.config, self.article.lang, room))
            yield Label(title)
            yield Label(
                Text(
                    f"tick 1 to {MAX_OTHERS} articles (space or enter), most similar first; "
                    "type to filter",
                    style="dim",
                ),
                id="picker-hint",
            )
            yield BidiInput(
                placeholder="filter: words of the title, the outlet or the id", id="filter"
            )
            yield SelectionList[str](id="picker-list")
            with Horizontal(id="picker-buttons"):
                yield Button(Text(f"{self.verb} (ctrl+s)"), variant="primary", id="compare")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self._fill("")
        listing = self.query_one("#picker-list", SelectionList)
        listing.focus()
        if listing.option_count:
            listing.highlighted = 0

    def _prompt(self, choice: Choice) -> Text:
        return choice_prompt(choice, self.config, self.app.size.width)

    def _remember(self) -> None:
        """Fold the ticks of the list shown into ``chosen`` (hidden ones are kept)."""
        listing: SelectionList[str] = self.query_one("#picker-list", SelectionList)
        shown = {listing.get_option_at_index(i).value for i in range(listing.option_count)}
        ticked = set(listing.selected)
        kept = [i for i in self.chosen if i not in shown or i in ticked]
        self.chosen = kept + [
            c.article_id for c in self.choices if c.article_id in ticked - set(kept)
        ]

    def _fill(self, words: str) -> None:
        listing: SelectionList[str] = self.query_one("#picker-list", SelectionList)
        needles = words.casefold().split()
        listing.clear_options()
        for choice in self.choices:
            haystack = f"{choice.title} {choice.outlet} {choice.article_id}".casefold()
            if all(n in haystack for n in needles):
                prompt = self._prompt(choice)
                listing.add_option(
                    Selection(prompt, choice.article_id, choice.article_id in self.chosen)
                )

    def on_input_changed(self, event: Input.Changed) -> None:
        self._remember()
        self._fill(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "compare":
            self.action_compare()
        else:
            self.action_cancel()

    def action_compare(self) -> None:
        self._remember()
        if not 1 <= len(self.chosen) <= MAX_OTHERS:
            self.notify(
                f"tick 1 to {MAX_OTHERS} articles (now {len(self.chosen)})",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(list(self.chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)
