"""Verification notes: the note record (claim, verdict, evidence), anchoring to a passage, the
TOML file people edit by hand (reading, splicing, merging), the store, and exports.

May import: ``text``, ``files``, ``names``, ``config``, ``sources``, ``search``.
"""
