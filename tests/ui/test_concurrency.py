"""Twenty users asking at once, each with their own gradio_client: every question answered, and correctly."""

from __future__ import annotations

import threading

import pytest

from helpers import KNOWN_ANSWERS as KNOWN
from helpers import assert_all_answered

pytestmark = [
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

USERS = 20


def test_twenty_simultaneous_questions_are_all_answered_correctly(running_app):
    from gradio_client import Client

    questions = [list(KNOWN)[n % len(KNOWN)] for n in range(USERS)]
    results: list[dict | None] = [None] * USERS
    errors: list[str] = []
    start = threading.Barrier(USERS)

    def user(n: int) -> None:
        client = None
        try:
            client = Client(running_app.url, verbose=False)
            start.wait(timeout=120)  # everyone connected: now all ask at the same moment
            results[n] = client.predict(questions[n], api_name="/ask")
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(f"user {n}: {type(exc).__name__}: {exc}")
        finally:
            if client is not None:
                client.close()  # takes a moment: each user closes its own, in parallel

    threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert_all_answered(questions, results, errors)
