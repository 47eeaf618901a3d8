"""The command palette's entries, from the action table: every action of the screen the
palette was opened over (the main window's, or the compare view's and the main ones usable
there), listed as soon as the palette opens and matched on label and help as one types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.app.actions import USABLE_OVER_COMPARE, Action, actions_of, display_keys, keys_for


class ActionCommands(Provider):
    """One palette entry per action of the screen (see the module docstring)."""

    def _over_compare(self) -> bool:
        from reader.app.screens.compare import CompareScreen

        return isinstance(self.screen, CompareScreen)

    def _actions(self) -> list[Action]:
        if self._over_compare():
            found = actions_of("compare")
            found += [a for a in actions_of("main") if a.id in USABLE_OVER_COMPARE]
        else:
            found = actions_of("main")
        return [a for a in found if a.bound and a.id != "palette"]

    def _title(self, action: Action) -> str:
        keymap = getattr(getattr(self.app, "config", None), "keymap", {}) or {}
        return f"{action.label}  ({display_keys(keys_for(action, keymap))})"

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(self._title(action), self._runner(action), help=action.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            score = matcher.match(f"{action.label} {action.help}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(self._title(action)),
                    self._runner(action),
                    help=action.help,
                )

    def _runner(self, action: Action) -> Callable[[], Awaitable[None]]:
        # Over the compare view its own actions run on it; the main window's run on the app.
        namespace = self.screen if self._over_compare() and "compare" in action.screens else None

        async def run() -> None:
            await self.app.run_action(action.action, default_namespace=namespace)

        return run
