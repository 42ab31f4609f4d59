"""Cold start: a fresh `rag` process, from exec to the answer, with the index already built.

- `rag ask`: exec -> the answer printed and the process exited;
- `rag chat`: exec -> the first answer served over HTTP (gradio_client calling the app's `/ask` endpoint).

The page cache is warm (the files were read before); "cold" means a new process: imports, model and index load.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import REPO, min_median

RAG = str(Path(sys.executable).with_name("rag"))
QUESTION = "Who attended the Amazon meeting?"
EXPECTED = "Andy Jassy"


def _env(corpus: Path, index: Path, encoder: str) -> dict[str, str]:
    return {**os.environ, "RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(index), "RAG_ENCODER": encoder,
            "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}


def prepare(corpus: Path, index: Path, encoder: str) -> None:
    result = subprocess.run([RAG, "index"], capture_output=True, text=True, env=_env(corpus, index, encoder), cwd=REPO)
    if result.returncode != 0:
        raise RuntimeError(f"rag index failed: {result.stderr[-2000:]}")


def ask(corpus: Path, index: Path, encoder: str, runs: int) -> dict:
    prepare(corpus, index, encoder)
    times = []
    for _ in range(runs + 1):  # the first run only makes sure every file is in the page cache
        started = time.perf_counter()
        result = subprocess.run([RAG, "ask", QUESTION], capture_output=True, text=True, env=_env(corpus, index, encoder),
                                cwd=REPO)
        elapsed = time.perf_counter() - started
        if result.returncode != 0 or EXPECTED not in result.stdout:
            raise RuntimeError(f"rag ask failed ({result.returncode}): {result.stdout[-500:]} {result.stderr[-1500:]}")
        times.append(elapsed)
    return {"command": f'rag ask "{QUESTION}"', "encoder": encoder, "seconds": min_median(times[1:])}


def chat(corpus: Path, index: Path, encoder: str, runs: int) -> dict:
    from gradio_client import Client  # imported before the clock starts: the client is not the server's cost

    prepare(corpus, index, encoder)
    first_answer, listening = [], []
    for _ in range(runs):
        port = _free_port()
        started = time.perf_counter()
        server = subprocess.Popen([RAG, "chat", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=_env(corpus, index, encoder), cwd=REPO)
        try:
            up = None
            deadline = started + 120
            while time.perf_counter() < deadline:
                if server.poll() is not None:
                    raise RuntimeError(f"rag chat exited: {server.stderr.read()[-2000:]}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        up = up or time.perf_counter()
                    client = Client(f"http://127.0.0.1:{port}/", verbose=False)
                    answer = client.predict(QUESTION, api_name="/ask")
                    break
                except Exception:  # not listening yet, or the app not ready: try again
                    time.sleep(0.05)
            else:
                raise RuntimeError("rag chat did not answer within 120 s")
            done = time.perf_counter()
            if EXPECTED not in str(answer):
                raise RuntimeError(f"rag chat answered {str(answer)[:300]}")
            first_answer.append(done - started)
            listening.append((up or done) - started)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return {
        "command": "rag chat, then the app's /ask endpoint",
        "encoder": encoder,
        "port_open_seconds": min_median(listening),
        "first_answer_seconds": min_median(first_answer),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
