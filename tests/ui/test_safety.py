"""What the running app refuses: other addresses, other paths of the machine, oversized uploads, a flood."""

from __future__ import annotations

import httpx
import pytest

from helpers import REPO
from rag.cli import build_parser
from ui.app import QUEUE_SIZE

pytestmark = [
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


def test_listens_on_loopback_without_a_share_link(running_app):
    assert running_app.url.startswith("http://127.0.0.1:")
    assert running_app.app.server_name == "127.0.0.1"
    assert running_app.app.share_url is None
    args = build_parser().parse_args(["chat"])
    assert (args.host, args.share, args.max_upload_mb) == ("127.0.0.1", False, 20)


def test_the_request_queue_is_bounded(running_app):
    assert running_app.app._queue.max_size == QUEUE_SIZE


def test_no_other_path_of_the_machine_is_served(running_app):
    manifest = running_app.pipeline.index.path / "manifest.json"
    document = running_app.corpus / "samsung_lee_us_trip_de.txt"
    targets = ["/etc/passwd", str(document), str(manifest), str(REPO / "README.md"), "../../../../etc/passwd"]
    with httpx.Client(base_url=running_app.url, timeout=30) as client:
        for target in targets:
            for route in ("gradio_api/file=", "file="):
                response = client.get(route + target)
                assert response.status_code in (403, 404), (route + target, response.status_code)
                assert "root:" not in response.text and "Samsung" not in response.text


def test_an_oversized_upload_is_refused_by_the_server(running_app, tmp_path):
    limit = running_app.app.max_file_size
    assert limit == 20 * 1024 * 1024
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(limit + 1)
    with httpx.Client(base_url=running_app.url, timeout=60) as client, open(big, "rb") as handle:
        response = client.post("gradio_api/upload", files={"files": ("big.txt", handle, "text/plain")})
    assert response.status_code == 413, response.status_code
    assert "maximum allowed size" in response.text
