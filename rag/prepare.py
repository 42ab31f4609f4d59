"""Split, chunk and extract the facts of many new documents in worker processes, one per core.

These steps are pure Python, one document at a time: on one core they took 34 s of a 91 s build at 10k chunks,
against 56 s for encoding on all cores. Workers are forked from the building process, so they start with its
modules, models and documents, and are given only the positions of the documents they are to do. They hand
back plain data (JSON of the records, made by orjson) that the build turns into the same records a serial
build makes.

Forking is only safe while the process runs a single thread: before the encoder has started its sessions and
with no other Python thread about (a server rebuilding in the background does the work in-process instead).
It only pays with enough documents, so a small incremental build stays serial too.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import orjson

from .chunk import chunk_document
from .records import Chunk, Document, Fact, Sentence, from_rows
from .split import split_with_tokens

MIN_DOCUMENTS = 32  # fewer new documents are split in the building process: starting workers would not pay
MAX_WORKERS = 8
BATCH = 4  # documents per task: large enough to amortise a task's cost, small enough to share out evenly


@dataclass(frozen=True)
class Prepared:
    """One document's sentences and chunks, and its facts when they were asked for."""

    sentences: list[Sentence]
    chunks: list[Chunk]
    facts: list[Fact] | None


@dataclass(frozen=True)
class _Job:
    """What the workers are to do, left in this module before the fork for them to find."""

    documents: list[Document]
    with_facts: frozenset[str]  # ids of the documents whose facts are wanted
    size: int
    overlap: int
    max_tokens: int
    count_tokens: Callable[[str], int]
    specials: int | None  # see rag.chunk.chunk_document


_job: _Job | None = None


def worker_count(documents: int, encoder_started: bool) -> int:
    """How many worker processes to split `documents` new documents with; 0: split them in this process."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if documents < MIN_DOCUMENTS or cores < 2 or encoder_started or not _can_fork():
        return 0
    return min(cores, MAX_WORKERS)


def _can_fork() -> bool:
    """Fork only from a single-threaded process on Linux (elsewhere forking is unsafe or not the default)."""
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def prepare_documents(
    documents: list[Document],
    with_facts: set[str],
    *,
    size: int,
    overlap: int,
    max_tokens: int,
    count_tokens: Callable[[str], int],
    specials: int | None,
    workers: int,
) -> Iterator[tuple[str, Prepared]]:
    """(document id, Prepared) for every document, in order, from `workers` forked processes."""
    global _job
    _job = _Job(documents, frozenset(with_facts), size, overlap, max_tokens, count_tokens, specials)
    batches = [list(range(start, min(start + BATCH, len(documents)))) for start in range(0, len(documents), BATCH)]
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.freeze) as pool:
            for batch, rows in zip(batches, pool.imap(_prepare_batch, batches)):
                for k, row in zip(batch, rows):
                    yield documents[k].id, _from_row(orjson.loads(row))
    finally:
        _job = None


def _prepare_batch(positions: list[int]) -> list[bytes]:
    """In a worker: the records of the documents at `positions` of the job, as JSON."""
    job = _job
    assert job is not None, "workers are forked after the job is set"
    rows = []
    for k in positions:
        document = job.documents[k]
        sentences, token_spans = split_with_tokens(document)
        chunks = chunk_document(document, sentences, size=job.size, overlap=job.overlap, max_tokens=job.max_tokens,
                                count_tokens=job.count_tokens, specials=job.specials)
        facts = None
        if document.id in job.with_facts:
            from .facts import extract_facts

            facts = extract_facts(document, sentences, token_spans)
        rows.append(orjson.dumps({"sentences": sentences, "chunks": chunks, "facts": facts}))
    return rows


def _from_row(row: dict) -> Prepared:
    facts = row["facts"]
    return Prepared(from_rows(Sentence, row["sentences"]), from_rows(Chunk, row["chunks"]),
                    None if facts is None else from_rows(Fact, facts))
