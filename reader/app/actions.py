"""The one table of the app's actions: it generates the key bindings, the command palette and
the help screen, so the three never drift apart.

Each action's ``id`` is also its name under ``[keymap]`` in config (``search = "ctrl+f"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Action:
    """One thing a user can do: default keys, the app action it runs, and how it is described."""

    id: str
    keys: str  # Textual key names, comma-separated
    action: str  # a Textual action string run on the app
    label: str  # short, for the footer and the help table
    help: str  # one sentence, for the palette and the help screen
    footer: bool = True


ACTIONS: tuple[Action, ...] = (
    Action("search", "slash", "focus_search", "Search", "Put the cursor in the search bar."),
    Action("open", "enter", "open_selected", "Open", "Open the selected result.", footer=False),
    Action("next_pane", "tab", "app.focus_next", "Next pane", "Move to the next pane.", False),
    Action("scroll_down", "j,down", "scroll_article(1)", "Down", "Scroll down a line.", False),
    Action("scroll_up", "k,up", "scroll_article(-1)", "Up", "Scroll up a line.", False),
    Action(
        "prev_sentence",
        "left_square_bracket",
        "move_sentence(-1)",
        "Prev sentence",
        "Select the previous sentence of the article.",
        False,
    ),
    Action(
        "next_sentence",
        "right_square_bracket",
        "move_sentence(1)",
        "Next sentence",
        "Select the next sentence of the article.",
        False,
    ),
    Action("next_match", "n", "jump_match(1)", "Next hit", "Jump to the next search match.", False),
    Action("prev_match", "p", "jump_match(-1)", "Prev hit", "Jump to the previous match.", False),
    Action("annotate", "a", "annotate", "Annotate", "Write a note on the selected passage."),
    Action("notes", "N", "toggle_notes", "Notes", "Show or hide the notes panel."),
    Action("compare", "c", "compare", "Compare", "Open the article beside other coverage."),
    Action("language", "l", "cycle_language", "Language", "Filter results: all, English, Arabic."),
    Action("outlet", "o", "cycle_outlet", "Outlet", "Filter results by outlet (cycles).", False),
    Action("help", "question_mark", "help", "Help", "List every key."),
    Action("palette", "ctrl+p", "command_palette", "Commands", "Open the command palette.", False),
    Action("quit", "q", "quit", "Quit", "Leave reader."),
)


def unknown_keymap_ids(keymap: Mapping[str, str]) -> list[str]:
    """The ``[keymap]`` names that match no action."""
    known = {action.id for action in ACTIONS}
    return sorted(name for name in keymap if name not in known)


def keys_for(action: Action, keymap: Mapping[str, str]) -> str:
    """The keys bound to ``action``: the config's override, else the default."""
    return keymap.get(action.id, action.keys)


def bindings(keymap: Mapping[str, str] | None = None) -> list[Binding]:
    """Textual bindings for every action (``id`` set, so ``App.set_keymap`` works too)."""
    keymap = keymap or {}
    return [
        Binding(keys_for(a, keymap), a.action, a.label, show=a.footer, id=a.id)
        for a in ACTIONS
        if a.action != "open_selected"  # enter is the results list's own key
    ]


def display_keys(keys: str) -> str:
    """Keys as a person reads them: ``left_square_bracket`` -> ``[``."""
    names = {
        "slash": "/",
        "question_mark": "?",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "down": "↓",
        "up": "↑",
    }
    return " ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


def help_rows(keymap: Mapping[str, str] | None = None) -> Iterable[tuple[str, str, str]]:
    """(keys, label, help) for the help screen and the README."""
    keymap = keymap or {}
    for action in ACTIONS:
        yield display_keys(keys_for(action, keymap)), action.label, action.help
