"""The command palette's entries, from the action table (the main window's actions)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.command import Hit, Hits, Provider

from reader.app.actions import actions_of


class ActionCommands(Provider):
    """One palette entry per action of the main window, matched on its label and help."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in actions_of("main"):
            score = matcher.match(f"{action.label} {action.help}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(action.label),
                    self._runner(action.action),
                    help=action.help,
                )

    def _runner(self, action: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await self.app.run_action(action)

        return run
