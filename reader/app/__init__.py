"""Textual face of reader."""
