"""Text, the bottom of the core: decoding bytes, the one sanitiser, right-to-left layout.

Owns: what an Arabic letter is and the one table that folds its variants (``arabic``), the
stopwords of both languages (``stopwords``), decoding files to logical Unicode (``decode``),
removing what must never reach a terminal (``sanitize``), the Unicode bidi algorithm
(``bidi``), character classes (``charkinds``), terminal cell widths (``cells``), Arabic shaping
(``shaping``), laying text out in rows at a width (``layout``, ``layout_blocks``; the rows,
``rows``, are plain text with string styles, which the faces draw), sentence boundaries
(``passages``) and the Latin and Arabic words of a text, split once for its readers
(``tokens``).

May import: the standard library and third-party text libraries (python-bidi, arabic-reshaper)
only; no UI library (neither Rich nor Textual) and nothing else of reader.
"""
