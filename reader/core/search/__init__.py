"""Finding articles: text analysis for both languages (``analysis``, ``arabic``), the Whoosh
index and its files (``index*``), the prefix vocabulary, queries with their limits and
cross-script expansion, the query path (``query``: parsed once, expanded once), the searcher,
and highlighting matches.

May import: ``text``, ``files``, ``names``, ``config``, ``sources``.
"""
