"""Files the user owns, read and written safely: atomic writes and locks (``safe_write``) and
the depth guard that keeps a hostile TOML or JSON file from exhausting the parser (``nesting``).

May import: ``reader.core.text``.
"""
