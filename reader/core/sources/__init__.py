"""Where articles come from: walking the corpus folders (``scan``), reading each file format
into articles (``corpus``, which dispatches to the format readers ``html``, ``markdown``,
``feeds`` and ``warc``; they hand back ``page.Page`` records), the article record
(``article``), site boilerplate (``boilerplate``) and the library folder ``reader add``
saves into (``library_folder``).

May import: ``reader.core.text``, ``reader.core.files``, ``reader.core.names``,
``reader.core.config``.
"""
