"""The core of reader: articles, the index, layout, notes and comparison. Imports no UI."""
