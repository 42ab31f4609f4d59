"""Errors a user can fix. The CLI prints their message as one line and exits with code 2."""


class RagError(Exception):
    """A problem the user can fix; the message says what is wrong and how to fix it."""


class CorpusError(RagError):
    """No usable document, or a corpus path that does not exist."""


class IndexMissing(RagError):
    """No index has been built yet."""


class IndexCorrupt(RagError):
    """An index file is damaged, foreign or does not match its manifest."""


class IndexWriteError(RagError):
    """A new index could not be written (a full disk, an I/O error); the previous index is unchanged."""


class ModelError(RagError):
    """The embedding model cannot be found or does not match its checksum."""


class QASetError(RagError):
    """A Q&A test set file is missing or has a bad line."""
