"""Verification notes: the public API the app and the CLI use, and the store that keeps them.

Public API (everything here is safe to call from worker threads)::

    from reader.core.notes.store import NotesStore, Note, Evidence, Anchor, NotesFileError

    store = NotesStore(config)
    store.load(article_id) -> list[Note]              # the article's notes, in file order
    store.add(article, start, end, *, verdict="unverified", claim=None, note="",
              evidence=(), tags=(), claimant="", claimant_url="") -> Note  # on body[start:end]
    store.update(article_id, note) -> Note           # save an edited note (dataclasses.replace)
    store.merge_in(article_id, notes) -> list[Note]  # merge notes made elsewhere (an import)
    store.delete(article_id, note_id) -> bool        # False when there was nothing to delete
    store.resolve_conflict(article_id, keep_id) -> Note  # keep one version of a conflict
    store.anchor(note, article) -> Anchor            # status exact/moved/fuzzy/orphaned + span
    store.all_notes(on_error=None) -> list[Note]     # every note of every article
    store.unsaved() -> dict[str, list[Note]]         # notes waiting for a broken file to be fixed
    store.flush() -> None                            # retry those saves now
    store.path_for(article_id) -> Path               # the article's notes file

What callers may rely on:

- Every change is saved at once, atomically (a crash leaves the old file or the new one), under
  an exclusive lock on ``.<file>.lock``; before writing, the store re-reads the file and merges
  by note id (:mod:`reader.core.notes.merge`): a note is never lost; a note edited both here and
  elsewhere is kept twice, the copy flagged with ``conflict_of``; a note deleted here stays
  deleted unless it was changed elsewhere.
- A file that is not valid TOML or breaks the schema raises :class:`NotesFileError` (path, line,
  column, message) and is never written. A change that could not be saved because of it stays
  in memory (:meth:`NotesStore.unsaved`) and in a rescue file next to it
  (``<name>.rescue.toml``, see ``NotesFileError.rescue``); every later save of that article, by
  any process, first merges rescue files back and then deletes them.
- ``update``/``delete`` treat the note as an edit of the version this store last read or wrote.
- A save re-reads the file every time, but parses it again only when its text changed since
  this store last read or wrote it, and re-renders only the notes that change
  (:mod:`reader.core.notes.splice`): saving one note into a file of 20,000 costs about what
  saving it into a file of one does, plus copying the text.
- A symlinked notes file stays a link; its target is replaced atomically.
- Text is stored exactly as given (callers normalise article text to NFC, as Article does).

The file format is in the README ("Notes files") and :mod:`reader.core.notes.file`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from reader.core.config import Config
from reader.core.files.safe_write import locked, remove_stale_temp_files, write_atomically
from reader.core.notes.anchoring import Anchor, anchor, selectors_for
from reader.core.notes.file import (
    DECISIONS_FILE,
    SUFFIX,
    NotesFileError,
    file_name_for,
    is_rescue_file,
    parse_notes,
    read_text,
    read_text_and_form,
    rescue_files,
)
from reader.core.notes.merge import merge_notes
from reader.core.notes.note import UNVERIFIED, Evidence, Note, new_note_id, now
from reader.core.notes.rendering import error_at, in_form, render_file
from reader.core.notes.splice import FileState
from reader.core.notes.toml_format import (
    rescue_document,
)
from reader.core.sources.article import Article

__all__ = ["Anchor", "Evidence", "Note", "NotesFileError", "NotesStore"]

Change = Callable[[list[Note]], list[Note]]

_SURROGATE = re.compile("[\ud800-\udfff]")


class NotesStore:
    """The notes of every article, one TOML file each in ``config.notes_dir``."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.folder = config.notes_dir
        self._lock = threading.RLock()
        # Per article: the notes as last read from or written to disk (the merge base) ...
        self._base: dict[str, tuple[Note, ...]] = {}
        # ... and, while the file has an error, the notes this store wants it to hold.
        self._pending: dict[str, list[Note]] = {}
        self._rescue: dict[str, Path] = {}
        self._titles: dict[str, str] = {}
        # Per article: the file's text as last read or written, its notes, and its pieces
        # (cut on the first save), so that a save into a file nobody else changed parses and
        # renders only the notes that change.
        self._files: dict[str, FileState] = {}

    def path_for(self, article_id: str) -> Path:
        """The notes file of an article (which may not exist yet)."""
        return self.folder / file_name_for(article_id)

    # -- reading --------------------------------------------------------------------------

    def load(self, article_id: str) -> list[Note]:
        """The article's notes in file order (none when it has no file). Saves changes still
        waiting from an earlier error first. Raises NotesFileError."""
        with self._lock:
            if article_id in self._pending:
                self._save(article_id, lambda notes: notes)
                return list(self._base[article_id])
            path = self.path_for(article_id)
            text = read_text(path)
            notes = () if text is None else self._parsed(article_id, path, text).notes
            self._base[article_id] = notes
            return list(notes)

    def all_notes(self, on_error: Callable[[NotesFileError], None] | None = None) -> list[Note]:
        """Every note of every article, by file name then file order. A broken file raises
        NotesFileError, or, with ``on_error``, is reported to it and skipped. The decisions over
        events beside them (``events.toml``) are not notes and are never read here."""
        found: list[Note] = []
        if not self.folder.is_dir():
            return found
        for path in sorted(self.folder.glob(f"*{SUFFIX}")):
            if is_rescue_file(path) or path.name.startswith(".") or path.name == DECISIONS_FILE:
                continue
            try:
                found.extend(self._read_any(path))
            except NotesFileError as error:
                if on_error is None:
                    raise
                on_error(error)
        return found

    def _read_any(self, path: Path) -> tuple[Note, ...]:
        text = read_text(path)
        if text is None:
            return ()
        data = parse_notes(text, path)
        owner = data.notes[0].article_id if data.notes else data.article
        if owner is not None and self.path_for(owner) != path:
            message = f"holds the notes of {owner!r}, whose file is {file_name_for(owner)}"
            raise error_at(path, text, message, "article")
        return data.notes

    def anchor(self, note: Note, article: Article) -> Anchor:
        """Where the note's passage is in the article's current text."""
        return anchor(note.quote, note.position, article.body)

    def unsaved(self) -> dict[str, list[Note]]:
        """Per article, the notes waiting to be saved because its file has an error."""
        with self._lock:
            return {key: list(notes) for key, notes in self._pending.items()}

    def flush(self) -> None:
        """Try again to save every article with unsaved notes; raises the first error left."""
        with self._lock:
            errors: list[NotesFileError] = []
            for article_id in list(self._pending):
                try:
                    self._save(article_id, lambda notes: notes)
                except NotesFileError as error:
                    errors.append(error)
            if errors:
                raise errors[0]

    # -- changing -------------------------------------------------------------------------

    def add(
        self,
        article: Article,
        start: int,
        end: int,
        *,
        verdict: str = UNVERIFIED,
        claim: str | None = None,
        note: str = "",
        evidence: Iterable[Evidence] = (),
        tags: Iterable[str] = (),
        claimant: str = "",
        claimant_url: str = "",
    ) -> Note:
        """Save a new note on ``article.body[start:end]`` (code points) and return it. The claim
        defaults to the passage; ``claimant`` is who made the claim. Raises ValueError for an
        empty or out-of-range span or an unknown verdict, NotesFileError when the file has an
        error (the note is then kept, see the module docstring)."""
        quote, position = selectors_for(article.body, start, end)
        stamp = now()
        created = Note(
            id=new_note_id(),
            article_id=article.id,
            quote=quote,
            position=position,
            created=stamp,
            updated=stamp,
            claim=quote.exact if claim is None else claim,
            verdict=verdict,
            evidence=tuple(evidence),
            note=note,
            tags=tuple(tags),
            author=self.config.author,
            claimant=claimant,
            claimant_url=claimant_url,
        )
        self._check(created)
        with self._lock:
            self._titles[article.id] = article.title
            self._save(article.id, lambda notes: [*notes, created])
        return created

    def merge_in(self, article_id: str, notes: Sequence[Note], title: str = "") -> list[Note]:
        """Merge notes made elsewhere (an import) into the article's file by the rules of
        :mod:`reader.core.notes.merge`, as if the other side had never seen this file: a new
        note is added, one that is already there unchanged changes nothing, one that differs
        is kept beside it as a conflict copy (nothing of either is lost). Returns the
        article's notes as saved. Raises ValueError and NotesFileError as :meth:`add` does
        (an imported verdict outside the scale is allowed, as for a colleague's note)."""
        notes = [replace(note, article_id=article_id) for note in notes]
        for note in notes:
            self._check(note, kept_verdict=note.verdict)
        with self._lock:
            if title:
                self._titles[article_id] = title
            self.load(article_id)
            self._save(article_id, lambda current: merge_notes((), notes, current))
            return list(self._base[article_id])

    def update(self, article_id: str, note: Note) -> Note:
        """Save an edited note (matched by id; a note not in the file is added back) and return
        it as stored, with ``updated`` set to now when anything changed. Raises ValueError for
        an unknown verdict, unless it is the one the note already had (a colleague's scale, or
        a verdict since removed from the config), NotesFileError as :meth:`add` does."""
        note = replace(note, article_id=article_id)
        with self._lock:
            old = self._known(article_id, note.id)
            self._check(note, kept_verdict=old.verdict if old is not None else None)
            if old is not None and old.same_content(note):
                return old
            stored = replace(note, updated=now())

            def change(notes: list[Note]) -> list[Note]:
                if any(n.id == stored.id for n in notes):
                    return [stored if n.id == stored.id else n for n in notes]
                return [*notes, stored]

            self._save(article_id, change)
            return stored

    def delete(self, article_id: str, note_id: str) -> bool:
        """Delete a note; False when there is no such note. A note someone else changed since
        this store read it is kept (their change wins over the deletion). Raises
        NotesFileError as :meth:`add` does."""
        with self._lock:
            if self._known(article_id, note_id) is None:
                return False
            self._save(article_id, lambda notes: [n for n in notes if n.id != note_id])
            return True

    def resolve_conflict(self, article_id: str, keep_id: str) -> Note:
        """Settle a conflict: keep the version ``keep_id`` (the original note or its
        ``conflict_of`` copy) under the original id, without the flag, and delete the other;
        returns the kept note as saved. Raises KeyError when ``keep_id`` is not part of a
        conflict, NotesFileError as :meth:`add` does."""
        with self._lock:
            self.load(article_id)
            notes = {n.id: n for n in self._base.get(article_id, ())}
            keep = notes.get(keep_id)
            if keep is None:
                raise KeyError(keep_id)
            original = keep.conflict_of or keep_id
            copies = [n.id for n in notes.values() if n.conflict_of == original]
            if not copies or original not in notes:
                raise KeyError(keep_id)
            if keep.conflict_of:
                copies = [n for n in copies if n != keep_id]
            settled = replace(keep, id=original, conflict_of="", updated=now())
            gone = {original, keep_id, *copies}

            def change(current: list[Note]) -> list[Note]:
                # The settled note takes the original's place.
                kept: list[Note] = []
                for note in current:
                    if note.id == original:
                        kept.append(settled)
                    elif note.id not in gone:
                        kept.append(note)
                return kept

            self._save(article_id, change)
            # Keeping the original unchanged keeps its time too (the merge finds nothing new
            # in it): what was saved, not the note made above, is the one to hand back.
            saved = self._base.get(article_id, ())
            return next((n for n in saved if n.id == original), settled)

    def _check(self, note: Note, kept_verdict: str | None = None) -> None:
        if note.verdict not in self.config.verdicts and note.verdict != kept_verdict:
            known = ", ".join(self.config.verdicts)
            raise ValueError(f"unknown verdict {note.verdict!r} (known: {known})")
        if not note.id:
            raise ValueError("a note needs an id")
        if any(not e.url and not e.article for e in note.evidence):
            raise ValueError("evidence needs a url or an article id")
        texts = [note.id, note.claim, note.note, note.author, note.verdict, note.conflict_of]
        texts += [note.claimant, note.claimant_url, note.review_url]
        texts += [note.quote.exact, note.quote.prefix, note.quote.suffix, *note.tags]
        for entry in note.evidence:
            texts += [entry.url, entry.article, entry.quote, entry.comment]
        if any(_SURROGATE.search(text) for text in texts):
            raise ValueError("text with a lone surrogate cannot be saved")

    def _known(self, article_id: str, note_id: str) -> Note | None:
        """The version of a note this store last read or meant to write; a note it has not
        read yet (another window made it) is looked up on disk, so the change applies to
        that version."""
        if article_id in self._pending:
            notes: Sequence[Note] = self._pending[article_id]
        else:
            notes = self._base.get(article_id, ())
            if not any(n.id == note_id for n in notes):
                try:
                    notes = self.load(article_id)
                except NotesFileError:
                    notes = ()
        return next((n for n in notes if n.id == note_id), None)

    def _save(self, article_id: str, change: Change) -> None:
        """Apply ``change`` to our notes, merge with the file and rescue files, write. Whatever
        goes wrong, the change is kept (see :meth:`_keep_unsaved`) and a NotesFileError says
        why."""
        path = self.path_for(article_id)
        try:
            with locked(path):
                self._save_locked(article_id, path, change)
        except OSError as exc:  # the folder or the disk refused (permissions, disk full)
            error = NotesFileError(path, 0, 0, f"cannot save: {exc.strerror or exc}")
            self._keep_unsaved(article_id, change, error)
            raise error from exc

    def _parsed(self, article_id: str, path: Path, text: str) -> FileState:
        """The file's notes; parsed again only when its text changed. Raises NotesFileError."""
        state = self._files.get(article_id)
        if state is None or state.text != text:
            state = FileState(text, parse_notes(text, path, article_id).notes)
            self._files[article_id] = state
        return state

    def _save_locked(self, article_id: str, path: Path, change: Change) -> None:
        remove_stale_temp_files(path)
        try:
            text, form = read_text_and_form(path)
            state = self._parsed(article_id, path, text) if text is not None else None
        except NotesFileError as error:
            self._keep_unsaved(article_id, change, error)
            raise
        theirs = list(state.notes) if state is not None else []
        base = self._base.get(article_id)
        if base is None:
            # Never read by this store: the file as it is now is what we changed.
            base = tuple(theirs) if article_id not in self._pending else ()
        ours = change(self._pending.get(article_id, list(base)))
        merged = theirs
        rescued: list[Path] = []
        for rescue in rescue_files(path):
            try:
                merged = self._merge_rescue(rescue, article_id, merged)
            except NotesFileError:
                continue  # a rescue file someone broke: leave it for a person
            rescued.append(rescue)
        merged = merge_notes(base, ours, merged)
        try:
            output, pieces = render_file(
                article_id, self._titles.get(article_id, ""), path, state, merged
            )
        except NotesFileError as error:
            self._keep_unsaved(article_id, change, error)
            raise
        on_disk, pieces = in_form(form, output, pieces, path, article_id, merged)
        write_atomically(path, form.encoded(on_disk))
        written = tuple(merged)
        self._base[article_id] = written
        self._files[article_id] = FileState(on_disk, written, pieces)
        self._pending.pop(article_id, None)
        self._rescue.pop(article_id, None)
        for rescue in rescued:
            with suppress(OSError):
                rescue.unlink(missing_ok=True)

    def _merge_rescue(self, rescue: Path, article_id: str, theirs: list[Note]) -> list[Note]:
        text = read_text(rescue)
        if text is None:
            return theirs
        data = parse_notes(text, rescue, article_id, rescue=True)
        return merge_notes(data.base, data.notes, theirs)

    def _keep_unsaved(self, article_id: str, change: Change, error: NotesFileError) -> None:
        """The save failed: keep our notes in memory and, if the folder allows, in a rescue
        file (named in ``error.rescue``)."""
        base = self._base.get(article_id, ())
        ours = change(self._pending.get(article_id, list(base)))
        self._pending[article_id] = ours
        path = self.path_for(article_id)
        rescue = self._rescue.get(article_id)
        if rescue is None:
            taken = {p.name for p in rescue_files(path)}
            stem = path.name[: -len(SUFFIX)]
            number = 1
            while (name := f"{stem}.rescue{'' if number == 1 else f'-{number}'}{SUFFIX}") in taken:
                number += 1
            rescue = path.with_name(name)
        doc = rescue_document(article_id, path.name, ours, base)
        try:
            write_atomically(rescue, doc.as_string().encode("utf-8"))
        except OSError:
            return  # the folder takes nothing: the notes stay in memory only
        self._rescue[article_id] = rescue
        error.rescue = rescue


def notes_by_article(notes: Sequence[Note]) -> dict[str, list[Note]]:
    """Group notes by article id, keeping their order."""
    grouped: dict[str, list[Note]] = {}
    for note in notes:
        grouped.setdefault(note.article_id, []).append(note)
    return grouped
