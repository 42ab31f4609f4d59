"""Benchmark corpora made from real sentences, and large vector sets synthesised from real vectors.

Real text: the sentences of the project's articles (tests/data/articles, corpus/), split by the project's own
splitter. A generated document is a run of sentences of one language drawn from that pool, so every chunk is
made of real sentences in a new order. Large vector sets (100k, 1M) are real chunk vectors plus Gaussian noise,
renormalised: the neighbourhood structure of real text, at any size. Everything is cached under bench/cache/.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "bench" / "cache"
ARTICLES = sorted((REPO / "tests" / "data" / "articles").glob("*.txt")) + sorted((REPO / "corpus").glob("*.txt"))
QA_DIR = REPO / "tests" / "data" / "qa"
BUNDLED = REPO / "corpus" / "samsung_lee_us_trip_de.txt"
SENTENCES_PER_DOC = 31  # with chunks of 4 sentences overlapping by 1: 10 chunks per document
NOISE = 0.6  # relative size of the noise added to a real vector (per-dimension sigma = NOISE / sqrt(dim))


def real_sentences() -> dict[str, list[str]]:
    """{language: sentences} of the project's articles, as the project splits them (cached)."""
    path = CACHE / "sentences.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    from rag.ingest import read_document
    from rag.split import split_sentences

    pool: dict[str, list[str]] = {"de": [], "en": []}
    for article in ARTICLES:
        document = read_document(article, article.name)
        pool.setdefault(document.language, []).extend(
            " ".join(s.text.split()) for s in split_sentences(document) if len(s.text.split()) >= 4
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(pool, ensure_ascii=False), encoding="utf-8")
    return pool


def write_documents(folder: Path, count: int, *, seed: int = 0, sentences: int = SENTENCES_PER_DOC) -> Path:
    """`count` documents of real sentences in a new order, half German, half English."""
    pool = real_sentences()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        language = "de" if n % 2 == 0 else "en"
        picked = rng.sample(pool[language], min(sentences, len(pool[language])))
        paragraphs = [" ".join(picked[i : i + 3]) for i in range(0, len(picked), 3)]
        (folder / f"doc{n:06d}_{language}.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


def chunk_texts(count: int, *, seed: int = 0, words: int = 40) -> list[str]:
    """`count` distinct passages of about `words` words, each real sentences of one language in a new order."""
    pool = real_sentences()
    rng = random.Random(seed)
    languages = sorted(pool)
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < count:
        sentences = pool[languages[len(texts) % len(languages)]]
        picked: list[str] = []
        while sum(len(s.split()) for s in picked) < words:
            picked.append(sentences[rng.randrange(len(sentences))])
        text = " ".join(picked)
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def synthetic_vectors(real: np.ndarray, count: int, *, seed: int = 0) -> Path:
    """A float32 .npy file of `count` unit vectors: real rows (in turn) plus noise, renormalised (cached)."""
    path = CACHE / f"vectors-{count}-from-{len(real)}-seed{seed}.npy"
    if path.is_file():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    dim = real.shape[1]
    temp = path.with_suffix(".tmp")
    out = np.lib.format.open_memmap(temp, mode="w+", dtype=np.float32, shape=(count, dim))
    step = 50_000
    for start in range(0, count, step):
        rows = np.arange(start, min(count, start + step))
        block = real[rows % len(real)] + rng.standard_normal((len(rows), dim), dtype=np.float32) * (NOISE / dim**0.5)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[rows] = block
    out.flush()
    del out
    temp.rename(path)
    return path


def _header(handle) -> tuple[int, ...]:
    version = np.lib.format.read_magic(handle)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran, dtype = read(handle)
    if fortran or dtype != np.float32 or len(shape) != 2:
        raise ValueError(f"{handle.name}: expected a C-ordered 2-d float32 array")
    return shape


def read_rows(path: Path, start: int, stop: int) -> np.ndarray:
    """Rows [start, stop) of a 2-d float32 .npy file, read (not mapped), so they leave no pages behind."""
    with open(path, "rb") as handle:
        dim = _header(handle)[1]
        handle.seek(handle.tell() + start * dim * 4)
        return np.fromfile(handle, dtype=np.float32, count=(stop - start) * dim).reshape(-1, dim)


def npy_shape(path: Path) -> tuple[int, ...]:
    with open(path, "rb") as handle:
        return _header(handle)


def queries_from(vectors: np.ndarray, count: int, *, seed: int = 1) -> np.ndarray:
    """Queries near the data: random rows with fresh noise, renormalised (never the stored row itself)."""
    rng = np.random.default_rng(seed)
    rows = vectors[rng.choice(len(vectors), size=count, replace=False)]
    noisy = rows + rng.standard_normal(rows.shape, dtype=np.float32) * (NOISE / rows.shape[1] ** 0.5)
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)
