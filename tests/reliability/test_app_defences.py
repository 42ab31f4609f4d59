"""Cases 14-18: the running app refuses oversized uploads, keeps hostile file names inside corpus/, serves none
of the machine's files, listens on 127.0.0.1 only, and answers 20 users while documents are added and the
index is rebuilt, one writer at a time."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from helpers import ARTICLES, QA_SAMSUNG, RAG, assert_all_answered, make_corpus, rag_env
from helpers import KNOWN_ANSWERS as KNOWN
from rag import store
from rag.errors import RagError
from rag.index import load_index
from rag.library import MAX_NAME_CHARS, Library
from rag.pipeline import Pipeline
from rag.settings import Settings

pytestmark = [
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

LIMIT = 1024 * 1024  # the app's upload limit in these tests


class App:
    def __init__(self, root: Path, pipeline: Pipeline, url: str, served) -> None:
        self.root, self.pipeline, self.url, self.served = root, pipeline, url, served

    @property
    def corpus(self) -> Path:
        return Path(self.pipeline.settings.corpus_dir)

    @property
    def index_dir(self) -> Path:
        return Path(self.pipeline.settings.index_dir)


@pytest.fixture(scope="module")
def app(tmp_path_factory, session_settings, pipeline, embedder):
    """The app over its own corpus (the bundled article) and index, on a free port, launched with the defaults
    but a 1 MB upload limit. Its index starts from a copy of the session's: no vector is computed again."""
    from ui.app import serve

    root = tmp_path_factory.mktemp("app")
    settings = Settings(corpus_dir=make_corpus(root / "corpus"), index_dir=root / "index")
    shutil.copytree(session_settings.index_dir, settings.index_dir, symlinks=True)
    served_pipeline = Pipeline(settings, embedder=embedder)
    assert served_pipeline.open().embedded == 0
    port = free_port()
    served = serve(served_pipeline, port=port, block=False, qa_path=QA_SAMSUNG, runs_dir=root / "eval-runs",
                   max_upload_bytes=LIMIT)
    try:
        yield App(root, served_pipeline, f"http://127.0.0.1:{port}/", served)
    finally:
        served.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listing(root: Path) -> set[str]:
    """Every file and folder under `root`, hidden ones included."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def gradio_upload(client: httpx.Client, name: str, data: bytes) -> httpx.Response:
    return client.post("gradio_api/upload", files={"files": (name, data, "text/plain")})


# -- case 14 -----------------------------------------------------------------------------------------------------


def test_case_14_an_upload_over_the_size_limit_is_refused_and_nothing_reaches_corpus(app, tmp_path):
    assert app.served.max_file_size == LIMIT
    before = listing(app.root)
    with httpx.Client(base_url=app.url, timeout=60) as client:
        response = gradio_upload(client, "big.txt", b"Samsung traf Qualcomm. " * (LIMIT // 23 + 1))
        assert response.status_code == 413, response.status_code
        assert "maximum allowed size" in response.text
        assert gradio_upload(client, "small.txt", b"Samsung traf Qualcomm in San Jose.").status_code == 200
    big = tmp_path / "big.txt"
    big.write_bytes(b"Samsung traf Qualcomm. " * (LIMIT // 23 + 1))
    (outcome,) = Library(app.pipeline, max_bytes=LIMIT).add([("big.txt", big)])  # what the page does with it
    assert outcome.status == "rejected" and "larger than the limit of 1.0 MB" in outcome.reason, outcome
    assert listing(app.root) == before


# -- case 15 -----------------------------------------------------------------------------------------------------


def test_case_15_hostile_upload_names_land_only_inside_corpus_under_sanitised_names(app, tmp_path):
    outside = tmp_path / f"outside-{uuid.uuid4().hex}.txt"
    hostile = [
        "../escaped.txt", "../../../../etc/cron.d/evil.txt", str(outside), "..", ".", "a\x00b.txt",
        "n" * 400 + ".txt", "Report.txt", "report.txt", "REPORT.TXT", "..\\..\\windows.txt", ".hidden.txt",
        "sub/dir/nested.txt", "con.txt\n.txt",
    ]
    uploads = []
    for n, name in enumerate(hostile):
        blob = tmp_path / "uploads" / f"{n}"
        blob.parent.mkdir(exist_ok=True)
        blob.write_text(f"Dokument {n}: Samsung und Qualcomm trafen sich am {n + 1}. Juni in San Jose.", encoding="utf-8")
        uploads.append((name, blob))
    library = Library(app.pipeline, max_bytes=LIMIT)
    before_root, before_parent = listing(app.root), set(p.name for p in app.root.parent.iterdir())
    cached = []
    with httpx.Client(base_url=app.url, timeout=60) as client:  # the browser's way: Gradio's upload first
        for name, blob in uploads:
            response = gradio_upload(client, name, blob.read_bytes())
            if response.status_code == 200:
                path = Path(response.json()[0])
                assert app.root not in path.parents and "\x00" not in str(path)
                cached.append((path.name, path))  # what the Documents page hands the library
            else:
                assert response.status_code == 400, (name, response.status_code)
    outcomes = library.add(uploads) + library.add(cached)
    try:
        added = listing(app.root) - before_root
        saved = {o.saved_as for o in outcomes if o.saved}
        assert added == {f"corpus/{name}" for name in saved}, added
        assert listing(app.root) >= before_root and set(p.name for p in app.root.parent.iterdir()) == before_parent
        assert not outside.exists() and not (app.root / "escaped.txt").exists()
        for name in saved:
            assert "/" not in name and "\\" not in name and "\x00" not in name and "\n" not in name, name
            assert not name.startswith(".") and len(name) <= MAX_NAME_CHARS and (app.corpus / name).is_file()
        names = [p.name for p in app.corpus.iterdir()]
        assert len({n.casefold() for n in names}) == len(names), "names that differ only in case"
        by_given = {o.name: o for o in outcomes[: len(hostile)]}
        assert by_given[".."].status == by_given["."].status == "rejected"
        assert by_given["Report.txt"].saved_as == "Report.txt"
        assert {by_given["report.txt"].saved_as, by_given["REPORT.TXT"].saved_as} == {"report-2.txt", "REPORT-3.txt"}
        print("\ncase 15: " + "; ".join(f"{o.name[:30]!r} -> {o.saved_as or o.status}" for o in outcomes))
    finally:
        for name in {o.saved_as for o in outcomes if o.saved}:
            (app.corpus / name).unlink(missing_ok=True)


# -- case 16 -----------------------------------------------------------------------------------------------------


def test_case_16_file_requests_for_the_index_manifest_corpus_and_etc_passwd_are_403(app):
    build = store.current_build(app.index_dir)
    targets = [
        app.index_dir, build, build / "manifest.json", app.index_dir / "current" / "manifest.json",
        build / "dense.faiss", build / "chunks.jsonl", app.corpus, app.corpus / "samsung_lee_us_trip_de.txt",
        Path("/etc/passwd"), Path("/proc/self/environ"),
    ]
    with httpx.Client(base_url=app.url, timeout=30) as client:
        for target in targets:
            response = client.get(f"gradio_api/file={target}")
            assert response.status_code == 403, (str(target), response.status_code)
            assert "root:" not in response.text and "Samsung" not in response.text and "sha256" not in response.text
        for route in ("gradio_api/file=../../../../etc/passwd", "file=/etc/passwd", "gradio_api/file=%2Fetc%2Fpasswd"):
            response = client.get(route)
            assert response.status_code in (403, 404), (route, response.status_code)
            assert "root:" not in response.text


# -- case 17 -----------------------------------------------------------------------------------------------------


def _listening(port: int) -> list[str]:
    """Local addresses of the sockets listening on `port` (IPv4 and IPv6), from /proc/net."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # TCP_LISTEN
                found.append(address)
    return found


def test_case_17_the_default_launch_listens_on_127_0_0_1_only(app):
    from ui.app import serve

    assert app.served.server_name == "127.0.0.1" and app.served.share_url is None
    assert serve.__kwdefaults__["host"] == "127.0.0.1" and serve.__kwdefaults__["share"] is False
    port = int(app.url.rsplit(":", 1)[1].strip("/"))
    addresses = _listening(port)
    assert addresses == ["0100007F"], addresses  # 127.0.0.1, little-endian hex; nothing on 0.0.0.0 or ::
    help_text = subprocess.run([str(RAG), "chat", "--help"], capture_output=True, text=True, env=rag_env(),
                               timeout=60).stdout
    assert "default 127.0.0.1" in help_text


# -- case 18 -----------------------------------------------------------------------------------------------------

USERS = 20


def test_case_18_twenty_questions_while_uploading_and_reindexing_one_writer_at_a_time(app, tmp_path):
    from gradio_client import Client

    library = Library(app.pipeline, max_bytes=LIMIT)
    questions = [list(KNOWN)[n % len(KNOWN)] for n in range(USERS)]
    results: list[dict | None] = [None] * USERS
    spans: list[tuple[float, float]] = [(0.0, 0.0)] * USERS
    errors: list[str] = []
    go = threading.Barrier(USERS + 1)

    def user(n: int) -> None:
        client = None
        try:
            client = Client(app.url, verbose=False)
            go.wait(timeout=120)
            started = time.monotonic()
            results[n] = client.predict(questions[n], api_name="/ask")
            spans[n] = (started, time.monotonic())
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(f"user {n}: {type(exc).__name__}: {exc}")
        finally:
            if client is not None:
                client.close()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
    for thread in threads:
        thread.start()
    new_documents = ARTICLES[:3]
    outcomes = library.add([(path.name, path) for path in new_documents])
    assert all(o.status == "added" for o in outcomes), outcomes
    ticket = library.rebuild()
    rebuild_started = time.monotonic()
    second = subprocess.Popen(  # a second writer at the same time: `rag index` from a terminal
        [str(RAG), "index", "-i", str(app.index_dir), "-c", str(app.corpus)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=rag_env(),
    )
    go.wait(timeout=120)
    refusal = None
    while not library.is_done(ticket):  # while the library's rebuild runs, nobody else may write
        try:
            with store.writer_lock(app.index_dir, wait=False):
                pass
        except RagError as exc:
            refusal = str(exc)
        time.sleep(0.01)
    status = library.wait(ticket, timeout=300)
    rebuild_ended = time.monotonic()
    for thread in threads:
        thread.join(timeout=300)
    out, err = second.communicate(timeout=300)

    assert_all_answered(questions, results, errors)
    assert status.state == "done", status.message
    assert second.returncode == 0, err
    assert refusal is not None and "another build" in refusal and "wait for it to finish" in refusal
    index = load_index(app.index_dir)
    assert {p.name for p in new_documents} <= set(index.documents_by_name)
    assert [p.name for p in app.index_dir.iterdir() if p.name.startswith(store.TEMP_PREFIX)] == []
    during = sum(1 for start, end in spans if start < rebuild_ended and end > rebuild_started)
    latencies = sorted(end - start for start, end in spans)
    print(f"\ncase 18: {USERS} answers, all valid; {during} asked while the rebuild ran "
          f"({rebuild_ended - rebuild_started:.1f}s); latency median {latencies[USERS // 2] * 1000:.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms; `rag index` started at the same time took its turn and said "
          f"{out.strip()[:60]!r}; a third writer was refused: {refusal!r}")
    for path in new_documents:  # leave the app's corpus as the other tests found it
        (app.corpus / path.name).unlink()
    library.wait(library.rebuild(), timeout=300)
