"""The one table of the app's actions: it generates the key bindings of every screen, the
command palette and the help screen, so they never drift apart.

Each action's ``id`` is also its name under ``[keymap]`` in config (``search = "ctrl+f"``); a
binding carries its id, so ``App.set_keymap`` rebinds it on every screen that has it. Each
action names the places it is bound in (``screens``): ``main`` (the app's own bindings, active
under every screen), ``notes`` (the notes panel), ``compare``, ``picker``, ``editor``,
``confirm``, ``label`` (a one-line question), ``event_picker`` (a list of events) and
``help``. The compare screen also binds each main-window action it has no use for to nothing,
under the same id, so a key the user moved is blocked there too.
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
    screens: tuple[str, ...] = ("main",)  # where it is bound (see the module docstring)
    bound: bool = True  # False: the key is a child widget's own (enter in a list): help only
    priority: bool = False  # a priority binding (runs before the focused widget's keys)


MAIN, COMPARE = ("main",), ("compare",)
BOTH = ("main", "compare")

ACTIONS: tuple[Action, ...] = (
    Action("search", "slash", "focus_search", "Search", "Put the cursor in the search bar."),
    Action(
        "leave_search",
        "escape",
        "leave_search",
        "Results",
        "Search bar: go to the results (enter in the bar opens the best one).",
    ),
    Action(
        "open", "enter", "open_selected", "Open", "Open the selected result.", False, bound=False
    ),
    Action(
        "next_pane", "tab", "app.focus_next", "Next pane", "Move to the next pane.", False, BOTH
    ),
    Action(
        "scroll_down", "j,down", "scroll_article(1)", "Down", "Scroll down a line.", False, BOTH
    ),
    Action("scroll_up", "k,up", "scroll_article(-1)", "Up", "Scroll up a line.", False, BOTH),
    Action(
        "prev_sentence",
        "left_square_bracket",
        "move_sentence(-1)",
        "Prev sentence",
        "Select the previous sentence of the article.",
        False,
        BOTH,
    ),
    Action(
        "next_sentence",
        "right_square_bracket",
        "move_sentence(1)",
        "Next sentence",
        "Select the next sentence of the article.",
        False,
        BOTH,
    ),
    Action(
        "word_right",
        "right",
        "word_step(1)",
        "Word →",
        "Article: select the word to the right (in Arabic, the word read before).",
        False,
        BOTH,
    ),
    Action(
        "word_left",
        "left",
        "word_step(-1)",
        "Word ←",
        "Article: select the word to the left (in Arabic, the next word read).",
        False,
        BOTH,
    ),
    Action(
        "extend_right",
        "shift+right",
        "word_step(1,True)",
        "Extend →",
        "Article: extend the selection by a word to the right (a clause, a figure).",
        False,
        BOTH,
    ),
    Action(
        "extend_left",
        "shift+left",
        "word_step(-1,True)",
        "Extend ←",
        "Article: extend the selection by a word to the left (in Arabic, onwards).",
        False,
        BOTH,
    ),
    Action("next_match", "n", "jump_match(1)", "Next hit", "Jump to the next search match.", False),
    Action("prev_match", "p", "jump_match(-1)", "Prev hit", "Jump to the previous match.", False),
    Action(
        "annotate", "a", "annotate", "Annotate", "Write a note on the selected passage.", True, BOTH
    ),
    Action("notes", "N", "toggle_notes", "Notes", "Show or hide the notes panel."),
    Action("compare", "c", "compare", "Compare", "Open the article beside other coverage."),
    Action("language", "l", "cycle_language", "Language", "Filter results: all, English, Arabic."),
    Action("outlet", "o", "cycle_outlet", "Outlet", "Filter results by outlet (cycles).", False),
    Action("help", "question_mark", "help", "Help", "List every key."),
    Action("palette", "ctrl+p", "command_palette", "Commands", "Open the command palette.", False),
    Action("quit", "q", "quit", "Quit", "Leave reader."),
    # The notes panel.
    Action(
        "edit_note",
        "enter",
        "edit",
        "Edit note",
        "Notes panel: edit the note.",
        False,
        ("notes",),
        bound=False,
    ),
    Action(
        "delete_note",
        "d,delete",
        "delete",
        "Delete note",
        "Notes panel: delete the note (asks).",
        False,
        ("notes",),
    ),
    # The compare view.
    Action(
        "compare_close",
        "escape,q",
        "close",
        "Close",
        "Compare: back to the article.",
        True,
        COMPARE,
    ),
    Action(
        "prev_pane",
        "shift+tab",
        "app.focus_previous",
        "Prev pane",
        "Compare: the previous pane.",
        False,
        COMPARE,
    ),
    Action(
        "sync",
        "s",
        "toggle_sync",
        "Sync",
        "Compare: scroll the columns together or not.",
        True,
        COMPARE,
    ),
    Action(
        "jump_fact",
        "enter",
        "jump",
        "Jump",
        "Compare: scroll every column to the fact.",
        True,
        COMPARE,
    ),
    Action(
        "next_fact",
        "n",
        "divergence(1)",
        "Next",
        "Compare: the next divergence.",
        True,
        COMPARE,
    ),
    Action(
        "prev_fact",
        "p",
        "divergence(-1)",
        "Prev",
        "Compare: the previous divergence.",
        False,
        COMPARE,
    ),
    Action(
        "pick_articles",
        "o",
        "pick",
        "Articles",
        "Compare: pick the articles to compare.",
        True,
        COMPARE,
    ),
    # The compare view: the user's decisions over the event shown (saved to events.toml).
    Action(
        "event_remove",
        "x",
        "event_remove",
        "Take out",
        "Compare: take the focused column's article out of the event.",
        False,
        COMPARE,
    ),
    Action(
        "event_add",
        "plus",
        "event_add",
        "Add article",
        "Compare: add articles to the event (pick them).",
        False,
        COMPARE,
    ),
    Action(
        "event_merge",
        "m",
        "event_merge",
        "Merge",
        "Compare: merge the event with another (pick it from the list).",
        False,
        COMPARE,
    ),
    Action(
        "event_split",
        "S",
        "event_split",
        "Split",
        "Compare: the articles you tick form a new event.",
        False,
        COMPARE,
    ),
    Action(
        "event_rename",
        "r",
        "event_rename",
        "Rename",
        "Compare: give the event a label of your own.",
        True,
        COMPARE,
    ),
    Action(
        "event_confirm",
        "C",
        "event_confirm",
        "Confirm",
        "Compare: mark the event as right (its articles stay together).",
        False,
        COMPARE,
    ),
    # The article picker, the note editor, the yes/no question and the help screen.
    Action(
        "picker_compare",
        "ctrl+s",
        "compare",
        "Compare",
        "Picker: compare the ticked articles.",
        True,
        ("picker",),
        priority=True,
    ),
    Action(
        "picker_cancel",
        "escape",
        "cancel",
        "Cancel",
        "Picker: close without comparing.",
        True,
        ("picker",),
    ),
    Action(
        "editor_save",
        "ctrl+s",
        "save",
        "Save",
        "Note editor: save the note.",
        True,
        ("editor",),
        priority=True,
    ),
    Action(
        "editor_cancel",
        "escape",
        "cancel",
        "Cancel",
        "Note editor: close without saving.",
        True,
        ("editor",),
    ),
    Action(
        "label_cancel",
        "escape",
        "cancel",
        "Cancel",
        "Label dialog: close without saving (enter saves).",
        True,
        ("label",),
    ),
    Action(
        "event_picker_cancel",
        "escape",
        "cancel",
        "Cancel",
        "Event list: close without choosing (enter chooses).",
        True,
        ("event_picker",),
    ),
    Action("confirm_yes", "y", "answer(True)", "Yes", "Question: answer yes.", True, ("confirm",)),
    Action(
        "confirm_no", "n,escape", "answer(False)", "No", "Question: answer no.", True, ("confirm",)
    ),
    Action(
        "help_close",
        "escape,q,question_mark",
        "dismiss",
        "Close",
        "Help: close it.",
        True,
        ("help",),
    ),
)

# Main-window actions that stay usable over the compare view (their own key is not taken there;
# the palette then lists the compare view's actions, see reader.app.commands).
USABLE_OVER_COMPARE = {"help", "palette", "quit", "outlet", "next_match", "prev_match"}


def unknown_keymap_ids(keymap: Mapping[str, str]) -> list[str]:
    """The ``[keymap]`` names that match no action."""
    known = {action.id for action in ACTIONS}
    return sorted(name for name in keymap if name not in known)


def keys_for(action: Action, keymap: Mapping[str, str]) -> str:
    """The keys bound to ``action``: the config's override, else the default."""
    return keymap.get(action.id, action.keys)


def actions_of(screen: str) -> list[Action]:
    """The actions bound in ``screen`` (see the module docstring), in table order."""
    return [a for a in ACTIONS if screen in a.screens]


def bindings(screen: str = "main", keymap: Mapping[str, str] | None = None) -> list[Binding]:
    """Textual bindings for the actions of ``screen`` (``id`` set, so ``App.set_keymap`` works
    too). For ``compare``, the main window's actions that act on its widgets are bound to
    ``nothing`` under their own ids: they are the app's bindings and would otherwise run there."""
    keymap = keymap or {}
    found = [
        Binding(keys_for(a, keymap), a.action, a.label, show=a.footer, id=a.id, priority=a.priority)
        for a in actions_of(screen)
        if a.bound
    ]
    if screen == "compare":
        found += [
            Binding(keys_for(a, keymap), "nothing", show=False, id=a.id)
            for a in actions_of("main")
            if a.bound and "compare" not in a.screens and a.id not in USABLE_OVER_COMPARE
        ]
    return found


def display_keys(keys: str) -> str:
    """Keys as a person reads them: ``left_square_bracket`` -> ``[``."""
    names = {
        "slash": "/",
        "question_mark": "?",
        "plus": "+",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "down": "↓",
        "up": "↑",
        "right": "→",
        "left": "←",
        "shift+right": "shift+→",
        "shift+left": "shift+←",
    }
    return " ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


def help_rows(keymap: Mapping[str, str] | None = None) -> Iterable[tuple[str, str, str]]:
    """(keys, label, help) of every action, for the help screen and the README."""
    keymap = keymap or {}
    for action in ACTIONS:
        yield display_keys(keys_for(action, keymap)), action.label, action.help
