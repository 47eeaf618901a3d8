"""The search bar: a right-to-left aware input (:class:`BidiInput`) where the help key works
while it is empty.

Focus starts here, so a person can type a query at once; the app's other keys are letters a
query needs (``q`` starts "Qatar"), so they work once the focus has left the bar (Escape moves
to the results, Enter opens the best one: see :class:`reader.app.app.ReaderApp`). The help key
(``?`` unless ``[keymap] help`` moves it) starts no query, so on an empty bar it opens the help
instead of being typed; in a query it is typed (Whoosh's one-character wildcard).
"""

from __future__ import annotations

from textual import events

from reader.app.actions import ACTIONS, keys_for
from reader.app.widgets.bidi_input import BidiInput

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
