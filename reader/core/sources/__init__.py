"""Where articles come from: walking the corpus folders (``scan``), reading each file format
into articles (``corpus``), the article record (``article``) and site boilerplate
(``boilerplate``).

May import: ``reader.core.text``, ``reader.core.files``, ``reader.core.names``,
``reader.core.config``.
"""
