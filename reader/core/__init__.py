"""The core of reader: everything a fact-checker's tools need, with no user interface.

Packages, from the bottom up (each may import only those before it): ``text``, ``files``,
``names``, ``config`` (a module), ``sources``, ``search``, ``notes``, ``events``; at the top,
``library``, the one service the CLI and the app hold, with ``records``, the schema of the
data it hands out (``--json``, the app, exports). Imports neither Textual nor Rich's UI.
"""
