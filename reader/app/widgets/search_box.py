"""The search bar: a right-to-left aware input (:class:`BidiInput`) where the help key works
while it is empty.

Focus starts here, so a person can type a query at once; the app's other keys are letters a
query needs (``q`` starts "Qatar"), so they work once the focus has left the bar (Escape moves
to the results, Enter opens the best one: see :class:`reader.app.app.ReaderApp`). The help key
(``?`` unless ``[keymap] help`` moves it) starts no query, so on an empty bar it opens the help
instead of being typed; in a query it is typed (Whoosh's one-character wildcard).

Arabic pasted from a screen that drew it shaped and in visual order (this one, a PDF) is
put in the bar as the logical text it shows (:func:`reader.core.text.arabic.from_screen`): the
bar then shows it as it was on that screen, and it searches as if typed.
"""

from __future__ import annotations

from textual import events

from reader.app.actions import ACTIONS, keys_for
from reader.app.widgets.bidi_input import BidiInput
from reader.core.text.arabic import from_screen

__all__ = ["SearchBox"]


class SearchBox(BidiInput):
    """The search bar (see the module docstring)."""

    def _help_keys(self) -> set[str]:
        keymap = getattr(getattr(self.app, "config", None), "keymap", {}) or {}
        action = next(a for a in ACTIONS if a.id == "help")
        return {key.strip() for key in keys_for(action, keymap).split(",")}

    async def _on_key(self, event: events.Key) -> None:
        if not self.value and event.key in self._help_keys():
            event.stop()
            event.prevent_default()
            await self.app.run_action("help")
            return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        # Input pastes the first line: that line as logical text, through Input's own paste
        # (called here; the handlers of the classes below are not called with the original).
        event.prevent_default()
        lines = event.text.splitlines()
        super()._on_paste(events.Paste(from_screen(lines[0])) if lines else event)
        event.stop()
