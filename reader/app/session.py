"""The app comes back where it was left: the last query, the open article, how far down it was
read and the filters (``[session] restore``, on by default; the file is
:mod:`reader.core.config_session`'s).

What the app may rely on:

- :meth:`SessionKeeper.restore` (at mount) puts the filters and the query back; the query's
  search runs as if typed. The article is opened once the index is open
  (:meth:`index_ready`), and scrolled to the text that was at the top of the view when it is
  shown (:meth:`place_of`); the focus is left where it is (the search bar). A damaged state
  file gives one warning naming it, never an error; the app starts afresh.
- :meth:`save` writes where the app is (called when an article is shown and when the app
  quits). It never raises; a file-system problem is shown once in the status line.
- With ``restore = false`` nothing is read or written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from reader.app.widgets.article_view import ArticleView
from reader.core.config_session import Session, read_session, session_path, write_session
from reader.core.sources.article import Article

if TYPE_CHECKING:
    from reader.app.app import ReaderApp


class SessionKeeper:
    """Reads the session at start and writes it as the app goes (see the module docstring)."""

    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self.enabled = app.config.restore_session
        self.path = session_path(app.config)
        self._article: str | None = None  # to open once the index is open
        self._top: int | None = None  # where to scroll it when it is shown
        self._opened: str | None = None  # the article of the session, once asked for
        self._warned = False

    def restore(self) -> None:
        """Put the filters and the query back (at mount)."""
        if not self.enabled:
            return
        session, problem = read_session(self.path)
        if problem:
            self.app.notify(problem, severity="warning", timeout=10, markup=False)
        if session is None:
            return
        if session.language in ("en", "ar"):
            self.app.language = session.language
        self.app.outlet = session.outlet
        if session.query:
            self.app.search_text = session.query
            bar = self.app.query_one("#search", Input)
            bar.value = session.query
            bar.select_all()  # what is typed first replaces it (a new search, not an addition)
        if session.article:
            self._article, self._top = session.article, session.top

    def index_ready(self) -> None:
        """Open the article of the session (once, the first time the index is open)."""
        article, self._article = self._article, None
        if article is not None:
            self._opened = article
            self.app.open_article(article)

    def place_of(self, article: Article) -> int | None:
        """Where to scroll ``article`` when it is shown: the place it was left at, the first
        time the article of the session is shown; else None."""
        top, self._top = self._top, None
        # The focus stays where it is (the search bar, at start): the article comes back
        # while a person may be typing, and in the article pane a typed letter is a command
        # ("q" of "Iraq" quits).
        return top if top is not None and self._opened == article.id else None

    def save(self) -> None:
        """Write where the app is now."""
        if not self.enabled:
            return
        app = self.app
        view = app.query_one(ArticleView)
        article = view.article
        top = self._top if self._top is not None else view.top_offset()
        session = Session(
            query=app.search_text,
            article=article.id if article is not None else (self._article or ""),
            top=top if article is not None or self._article else 0,
            language=app.language,
            outlet=app.outlet,
        )
        problem = write_session(self.path, session)
        if problem and not self._warned:
            self._warned = True
            app.notify(problem, severity="warning", markup=False)
