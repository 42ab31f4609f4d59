"""BM25 over chunk words (bm25s), built from token ids that are kept with the index for the next build.

Tokenising every chunk (regex words, stop words, Snowball stems) is most of a BM25 build. A build therefore stores
each chunk's tokens as ids into a vocabulary next to the bm25s files, and the next build takes the ids of every
chunk it already had (same chunk id: same document content, same place) instead of tokenising it again. The
stored tokens are only used when they were made by the same tokenizer (`tokenizer_version`); bm25s then indexes
the ids with the same vocabulary, so its scores are those of indexing the token strings.

Files, in the index's `bm25/` folder besides bm25s's own: `chunk_vocab.json` (the tokens, a JSON list: id ->
token), `chunk_token_ids.npy` (int32, every chunk's ids one after another) and `chunk_token_offsets.npy` (int64,
chunk i's ids are ids[offsets[i]:offsets[i + 1]]). All plain numpy and JSON, read without pickle.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .lexical import tokenize
from .records import Chunk

VOCAB_FILE = "chunk_vocab.json"
IDS_FILE = "chunk_token_ids.npy"
OFFSETS_FILE = "chunk_token_offsets.npy"


@dataclass(frozen=True)
class ChunkTokens:
    """Every chunk's BM25 tokens as ids into one vocabulary, in chunk order."""

    vocab: list[str]  # id -> token
    ids: np.ndarray  # int32
    offsets: np.ndarray  # int64, len(chunks) + 1

    def of(self, row: int) -> np.ndarray:
        return self.ids[self.offsets[row] : self.offsets[row + 1]]


@lru_cache(maxsize=1)
def tokenizer_version() -> str:
    """A fingerprint of what makes a chunk's tokens: rag/lexical.py and the stemmer's and stop words' versions."""
    from importlib.metadata import version

    from . import lexical

    digest = hashlib.sha256(Path(lexical.__file__).read_bytes())
    for package in ("PyStemmer", "bm25s"):
        digest.update(f"{package}={version(package)}".encode())
    return digest.hexdigest()[:16]


def chunk_tokens(
    chunks: list[Chunk], languages: dict[str, str], previous: dict[str, np.ndarray], previous_vocab: list[str]
) -> ChunkTokens:
    """Token ids of every chunk: those in `previous` (chunk id -> ids into `previous_vocab`) are taken as they
    are, the others tokenised. Tokens no chunk uses any more are dropped from the vocabulary."""
    index = {token: i for i, token in enumerate(previous_vocab)}
    vocab = list(previous_vocab)
    pieces: list[np.ndarray] = []
    for chunk in chunks:
        ids = previous.get(chunk.id)
        if ids is None:
            tokens = tokenize(chunk.text, languages[chunk.doc_id])
            for token in tokens:
                if token not in index:
                    index[token] = len(vocab)
                    vocab.append(token)
            ids = np.fromiter((index[t] for t in tokens), dtype=np.int32, count=len(tokens))
        pieces.append(ids)
    lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
    offsets = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    ids = np.concatenate(pieces).astype(np.int32, copy=False) if pieces else np.zeros(0, dtype=np.int32)
    used = np.unique(ids)
    if len(used) < len(vocab):  # compact: ids 0..n-1 for the n tokens still in use, in their old order
        remap = np.zeros(len(vocab), dtype=np.int32)
        remap[used] = np.arange(len(used), dtype=np.int32)
        ids = remap[ids]
        vocab = [vocab[i] for i in used.tolist()]
    return ChunkTokens(vocab=vocab, ids=ids, offsets=offsets)


def build(tokens: ChunkTokens) -> Any:
    """A bm25s index of the chunks, from their token ids."""
    import bm25s

    flat = tokens.ids.tolist()
    bounds = tokens.offsets.tolist()
    corpus = [flat[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
    bm25 = bm25s.BM25()
    bm25.index((corpus, {token: i for i, token in enumerate(tokens.vocab)}), show_progress=False)
    return bm25


def write_tokens(folder: Path, tokens: ChunkTokens) -> None:
    (folder / VOCAB_FILE).write_text(json.dumps(tokens.vocab, ensure_ascii=False), encoding="utf-8")
    np.save(folder / IDS_FILE, tokens.ids, allow_pickle=False)
    np.save(folder / OFFSETS_FILE, tokens.offsets, allow_pickle=False)


def read_tokens(folder: Path, chunks: int) -> ChunkTokens | None:
    """The stored token ids of a build of `chunks` chunks; None when they are missing or do not fit (a build
    made before they were kept): the caller tokenises instead."""
    try:
        vocab = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
        ids = np.load(folder / IDS_FILE, allow_pickle=False)
        offsets = np.load(folder / OFFSETS_FILE, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if not (
        isinstance(vocab, list)
        and all(isinstance(token, str) for token in vocab)
        and ids.dtype == np.int32
        and ids.ndim == 1
        and offsets.dtype == np.int64
        and offsets.shape == (chunks + 1,)
        and offsets[0] == 0
        and offsets[-1] == len(ids)
        and bool(np.all(np.diff(offsets) >= 0))
        and (len(ids) == 0 or (int(ids.min()) >= 0 and int(ids.max()) < len(vocab)))
    ):
        return None
    return ChunkTokens(vocab=vocab, ids=ids, offsets=offsets)
