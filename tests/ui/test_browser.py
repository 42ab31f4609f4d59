"""The app in a real browser: Debian's chromium driven by Playwright, one page walking through every page.

The tests run in file order and share the page (one app, one browser: the suite stays fast). Each page's
screenshot is saved under tests/output/.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from helpers import ARTICLES, REPO, make_pdf

pytestmark = [
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
CUP_FINAL = next(p for p in ARTICLES if p.name == "en_sports_cup_final.txt")
HOSTILE = (
    "<script>window.__pwned = 1; alert('script ran')</script>\n"
    "Die Firma Zeltwerk eröffnete am 4. Mai 2021 ein neues Werk in Bremen. "
    '<img src=x onerror="window.__pwned = 2; alert(\'img ran\')"> Geschäftsführerin Anna Berger leitete die Feier.\n'
)
SLOW = 120_000  # ms: indexing and evaluation on a busy 2-core machine
OUTPUT = REPO / "tests" / "output"  # screenshots (git-ignored)
PROBLEMS: list[str] = []  # JavaScript errors and unexpected dialogs seen by the page: none may happen


@pytest.fixture(scope="module")
def page(running_app):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium with `make browser`")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("pageerror", lambda error: PROBLEMS.append(f"page error: {error}"))
        page.on("dialog", _dialog)
        page.goto(running_app.url)
        yield page
        context.close()
        browser.close()


def _dialog(dialog) -> None:
    if dialog.type == "confirm" and dialog.message.startswith("Delete "):
        dialog.accept()  # the delete button asks first
    else:
        PROBLEMS.append(f"unexpected {dialog.type}: {dialog.message}")
        dialog.dismiss()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def ask(page, question: str):
    """Ask in the chat; returns the locator of the new reply once it has arrived."""
    replies = page.locator("#transcript .turn")
    before = replies.count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    reply = replies.nth(before).locator(".a")
    expect(reply).not_to_have_class(re.compile("pending"), timeout=SLOW)
    expect(page.locator("#question textarea")).to_have_value("")
    return reply


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_chat_answers_in_english_and_a_citation_opens_the_highlighted_sentence(page):
    reply = ask(page, "Who attended the Amazon meeting?")
    expect(reply).to_have_class(re.compile("answered"))
    expect(reply.locator(".short")).to_contain_text("Andy Jassy")
    expect(reply.locator("ol.sources li").first).to_contain_text("samsung_lee_us_trip_de.txt")
    expect(reply.locator("button.open[data-kind=citation]").first).to_have_text("[1]")

    cited = reply.locator("ol.sources li").nth(1)
    sentence = cited.locator(".quote").inner_text().strip("“”\"")
    cited.locator("button.open").click()
    focus = page.locator("#source-view mark.focus")
    expect(focus).to_have_text(re.compile(re.escape(sentence[:60])))
    expect(focus).to_be_in_viewport()
    expect(page.locator("#source-view .head")).to_contain_text("samsung_lee_us_trip_de.txt")
    page.screenshot(path=OUTPUT / "chat.png")  # the README's picture (docs/chat.png)

    passages = reply.locator("details.passages")
    passages.locator("summary").click()
    expect(passages.locator("tbody tr")).to_have_count(8)
    expect(passages.locator("tbody tr").first.locator("td.num").first).to_have_text(re.compile(r"0\.\d{4}"))


def test_chat_answers_in_german(page):
    reply = ask(page, "Wann traf Lee den Qualcomm-Chef?")
    expect(reply.locator(".short")).to_contain_text("10. Juni")
    expect(reply.locator("ol.sources li").first).to_contain_text("San Jose")
    reply.locator("button.open[data-kind=citation]").first.click()
    expect(page.locator("#source-view mark.focus")).to_contain_text("Am 10. Juni lud Lee")
    expect(page.locator("#source-view mark.focus")).to_be_in_viewport()


def test_an_abstention_looks_different(page):
    reply = ask(page, "What did Lee discuss with Tim Cook?")
    expect(reply).to_have_class(re.compile("abstained"))
    expect(reply.locator(".short")).to_have_text("The documents don't say.")
    expect(reply.locator(".label")).to_have_text("Closest passages")
    expect(reply.locator("ol.sources li")).to_have_count(3)


def test_upload_indexes_good_files_reports_the_bad_one_and_swaps_the_index(page, running_app, tmp_path):
    hostile = tmp_path / "hostile notes.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(make_pdf(["A page"])[:120])
    tab(page, "Documents")
    expect(page.locator("#documents-table")).to_contain_text("samsung_lee_us_trip_de.txt")
    page.locator("#upload input[type=file]").set_input_files([CUP_FINAL, hostile, broken])
    messages = page.locator("#library-messages")
    expect(messages).to_contain_text("indexed 3 documents", timeout=SLOW)
    expect(messages.locator("li.error")).to_contain_text("broken.pdf not added: damaged PDF")
    expect(messages).to_contain_text("added en_sports_cup_final.txt")
    table = page.locator("#documents-table")
    expect(table.locator("tr", has_text="en_sports_cup_final.txt")).to_contain_text("indexed")
    expect(table.locator("tr", has_text="hostile notes.txt")).to_contain_text("indexed")
    expect(page.locator("#index-status")).to_contain_text("3 documents")
    assert sorted(p.name for p in running_app.corpus.iterdir()) == [
        "en_sports_cup_final.txt", "hostile notes.txt", "samsung_lee_us_trip_de.txt"]

    tab(page, "Chat")
    reply = ask(page, "In which stadium was the Northern Cup final played?")
    expect(reply.locator(".short")).to_contain_text("Ashgrove Stadium")
    expect(reply.locator("ol.sources li").first).to_contain_text("en_sports_cup_final.txt")


def test_a_document_with_markup_is_shown_as_text(page):
    tab(page, "Documents")
    page.locator("#documents-table tr", has_text="hostile notes.txt").click()
    view = page.locator("#document-view")
    expect(view).to_contain_text("<script>window.__pwned = 1; alert('script ran')</script>")
    expect(view).to_contain_text('<img src=x onerror="window.__pwned = 2;')
    assert view.locator("script, img").count() == 0
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=OUTPUT / "documents.png")

    tab(page, "Chat")
    reply = ask(page, "Wann eröffnete Zeltwerk das Werk in Bremen?")
    expect(reply).to_contain_text("4. Mai 2021")
    assert page.evaluate("window.__pwned") is None
    assert not PROBLEMS, PROBLEMS


def test_delete_removes_the_documents_again(page, running_app):
    tab(page, "Documents")
    for name in ("en_sports_cup_final.txt", "hostile notes.txt"):
        choice = page.locator("#delete-choice input")
        choice.click()
        page.get_by_role("option", name=name).click()
        page.locator("#delete").click()
        expect(page.locator("#library-messages")).to_contain_text(f"deleted {name}")
        expect(page.locator("#library-messages")).to_contain_text("indexed", timeout=SLOW)
        expect(page.locator("#documents-table")).not_to_contain_text(name)
    expect(page.locator("#index-status")).to_contain_text("1 document,")
    assert [p.name for p in running_app.corpus.iterdir()] == ["samsung_lee_us_trip_de.txt"]
    tab(page, "Chat")
    reply = ask(page, "In which stadium was the Northern Cup final played?")
    expect(reply).not_to_contain_text("Ashgrove")


def test_facts_page_searches_links_and_exports(page, tmp_path):
    tab(page, "Facts")
    people = page.locator("#facts-people")
    expect(people.locator("tr", has_text="Andy Jassy")).to_contain_text("Amazon")
    expect(page.locator("#facts-events")).to_contain_text("meeting")
    page.locator("#facts-search input, #facts-search textarea").first.fill("Jassy")
    expect(page.locator("#facts-count")).to_contain_text("matching")
    expect(people.locator("tbody tr")).to_have_count(1)
    people.locator("tbody tr").first.click()
    expect(page.locator("#fact-view mark")).to_contain_text("Jassy")
    page.screenshot(path=OUTPUT / "facts.png")
    with page.expect_download() as download:
        page.locator("#facts-json").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported and all("Jassy" in json.dumps(row, ensure_ascii=False) for row in exported)
    with page.expect_download() as download:
        page.locator("#facts-csv").click()
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("section,kind,text,")


def test_evaluation_page_runs_the_bundled_set(page):
    tab(page, "Evaluate")
    page.locator("#run-eval").click()
    metrics = page.locator("#eval-metrics")
    expect(metrics).to_contain_text("accuracy", timeout=SLOW)
    expect(metrics).to_contain_text("evidence_recall@5")
    expect(page.locator("#eval-message")).to_contain_text("samsung_lee.jsonl")
    expect(page.locator("#eval-table tbody tr")).to_have_count(73)
    page.screenshot(path=OUTPUT / "evaluate.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#eval-download").click()
    rows = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(rows) == 73 and {"id", "answer", "citations"} <= set(json.loads(rows[0]))

    page.locator("#run-eval").click()  # the second run on the same set compares with the first
    expect(page.locator("#eval-message")).to_contain_text("Since the previous run", timeout=SLOW)
    assert not PROBLEMS, PROBLEMS
