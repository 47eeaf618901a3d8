"""Screens of the reader app, one a module."""
