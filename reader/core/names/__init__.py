"""Names of people, places and bodies across scripts and spellings: the gazetteer (built-in
``gazetteer.toml`` plus the user's file), transliteration between Arabic and Latin script, and
finding entities in a text; and reading the lexicon of words facts are read by
(``lexicon_file``: roles, qualifiers, counted nouns).

May import: ``reader.core.text``, ``reader.core.files``.
"""
