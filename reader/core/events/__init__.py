"""Same-event coverage: grouping articles into events, the user's decisions over groups,
aligning passages across articles, and the facts (figures, dates) they agree or differ on.

May import: every other core package except ``reader.core.library``.
"""
