"""Offline, cited question answering over a folder of documents.

Stages, one module each: ingest -> split -> chunk -> embed -> index -> retrieve -> answer.
The records passed between them live in `rag.records`.
"""

__version__ = "0.1.0"
