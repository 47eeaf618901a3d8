"""reader: read and fact-check the news in English and Arabic from the terminal.

The package has a core (``reader.core``) that imports no UI, and two thin faces over it:
the command line (``reader.cli``) and the Textual app (``reader.app``).
"""

__version__ = "0.1.0"
