"""The web chat: real Gradio app on loopback, driven by headless Chromium and by gradio_client."""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client
from pydantic import SecretStr

from bot.api import Bot
from bot.app.chat import (
    ERROR_MARK,
    READING_TITLE,
    answer_messages,
    conversation,
    sources_markdown,
)
from bot.core.config import Settings
from bot.core.results import CUT_SHORT_NOTE, Answer
from bot.core.text import markers, split_sentences
from bot.models.local_model import EmbeddedServer

from ..conftest import (
    LOAD,
    ROOT,
    SEEDS,
    bot_command,
    endpoint_settings,
    make_settings,
    serves,
    until,
)
from ..fakes import ScriptedModel, streamed_model

MUSK = "How much did Elon Musk offer to buy OpenAI?"
MUSK_FILE = "003_ec62060a0c8869d6.txt"
FOLLOW_UP = "And when did he co-found it?"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _serve(settings: Settings, bot: Bot | None = None) -> Iterator[str]:
    """Run the real app on a free loopback port for the duration of a fixture (Gradio is
    imported here, not by the fast lane)."""
    from bot.app.ui import launch
    from bot.models.local_model import free_port

    port = free_port()
    app = launch(settings, "127.0.0.1", port, block=False, bot=bot)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def chat_url(seeded_settings: Settings) -> Iterator[str]:
    """The chat over the seeded store and the embedded model."""
    yield from _serve(seeded_settings)


@pytest.fixture
def outside_chat_url(
    seeded_settings: Settings, outside_server: EmbeddedServer, tmp_path: Path
) -> Iterator[str]:
    """The chat configured for `outside_server` through OPENAI_BASE_URL, as a user would."""
    endpoint = outside_server.endpoint
    settings = endpoint_settings(
        tmp_path, seeded_settings, endpoint.base_url, outside_server.api_key, context_tokens=400
    )
    yield from _serve(settings)


# Unit tests of the UI's own logic (no server).


def test_conversation_pairs_skip_sources_and_errors() -> None:
    history = [
        {"role": "user", "content": [{"type": "text", "text": "q1"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "a1 &lt;b&gt;"}]},
        {"role": "assistant", "content": "[1] file", "metadata": {"title": "Sources"}},
        {"role": "user", "content": "q2"},
        {"role": "assistant", "content": f"{ERROR_MARK} The endpoint cannot be reached."},
        {"role": "user", "content": "q3"},
    ]
    assert conversation(history) == [("q1", "a1 <b>")]


def test_cut_short_answer_is_marked_so_and_the_mark_is_no_part_of_the_conversation() -> None:
    text = "Musk offered 97.4 billion dollars [1]."
    whole = Answer(text=text, citations=[], contexts=[], refused=False)
    cut = whole.model_copy(update={"cut_short": True})
    assert [m["content"] for m in answer_messages(whole)] == [text]
    shown = answer_messages(cut)
    assert shown[0]["content"] == text and CUT_SHORT_NOTE in shown[1]["content"]
    assert shown[1]["metadata"]["title"] == "Cut short"
    assert conversation([{"role": "user", "content": "q"}, *shown]) == [("q", text)]


def test_sources_markdown_escapes_document_html(seeded_bot) -> None:
    hit = seeded_bot.retrieve(MUSK, 1)[0]
    evil = hit.model_copy(
        update={"title": "<img src=x onerror=alert(1)>", "text": "<script>x</script>"}
    )
    rendered = sources_markdown([(3, evil)])
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "<img" not in rendered and "[3]" in rendered and MUSK_FILE in rendered


# The same flows through gradio_client: a new client per test, as clients share history.


def _assistant_texts(history: list[dict]) -> list[str]:
    return [_text(m) for m in history if m["role"] == "assistant"]


def _text(message: dict) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return str(content)


@pytest.mark.slow
def test_client_answers_with_sources_and_follow_up(chat_url: str) -> None:
    client = Client(chat_url, verbose=False)
    box, history = client.predict(MUSK, [], api_name="/ask")
    assert box == ""
    sources = [m for m in history if (m.get("metadata") or {}).get("title") == "Sources"]
    assert sources and MUSK_FILE in _text(sources[-1])
    box, history = client.predict(FOLLOW_UP, history, api_name="/ask")
    replies = _assistant_texts(history)
    assert len([m for m in history if m["role"] == "user"]) == 2
    assert replies[-1].strip() and not any(r.startswith(ERROR_MARK) for r in replies)


@pytest.mark.slow
def test_client_empty_question_gets_a_sentence_not_a_traceback(chat_url: str) -> None:
    client = Client(chat_url, verbose=False)
    _, history = client.predict("   ", [], api_name="/ask")
    assert _assistant_texts(history)[-1].startswith(f"{ERROR_MARK} The question is empty")


@pytest.mark.slow
def test_client_reports_a_stopped_endpoint(
    outside_chat_url: str, outside_server: EmbeddedServer
) -> None:
    client = Client(outside_chat_url, verbose=False)
    _, history = client.predict(MUSK, [], api_name="/ask")
    assert not _assistant_texts(history)[0].startswith(ERROR_MARK)
    outside_server.stop()
    _, history = Client(outside_chat_url, verbose=False).predict(MUSK, [], api_name="/ask")
    error = _assistant_texts(history)[-1]
    assert error.startswith(ERROR_MARK) and "cannot be reached" in error
    assert outside_server.api_key not in error


@pytest.mark.slow
@pytest.mark.parametrize("watching", [[], ["--watch"]], ids=["plain", "watching"])
def test_bot_ui_ends_on_ctrl_c_mid_answer_with_one_line_and_no_traceback(
    seeded_settings: Settings, tmp_path: Path, watching: list[str]
) -> None:
    """Ctrl+C with an answer being written printed uvicorn's tracebacks for the cancelled
    event streams, and exited 0 as if nothing had been stopped; Gradio's own lines told
    the user to set share=True, which `bot ui` has no way to. With --watch, the quiet close
    reached the watch's stop, which took no argument. The watch writes to its own copy of
    the store."""
    from bot.models.local_model import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    store = tmp_path / "vectorstore"
    shutil.copytree(seeded_settings.vectorstore_dir, store)
    env = {
        "BOT_VECTORSTORE_DIR": str(store),
        "BOT_CORPUS_DIR": str(SEEDS),
        "BOT_LOCAL_MODEL": "smollm2-135m",
        "BOT_TIMEOUT": "120",  # no deadline ends the answer: the stop must
    }
    child = bot_command(["ui", "--port", str(port), *watching], env)
    try:
        until(lambda: serves(url), "the chat serves its page")
        job = Client(url, verbose=False).submit(MUSK, [], api_name="/ask")
        until(lambda: bool(job.outputs()), "the sources of the answer being written")
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        assert child.returncode == 130 and err.strip().endswith("Interrupted.")
        assert out == f"newsbot chat on http://127.0.0.1:{port}; Ctrl+C stops it.\n"
        assert "Traceback" not in err
    finally:
        child.kill()
        child.wait(timeout=30)


# A real headless Chromium against the running app.


@pytest.fixture
def page(request: pytest.FixtureRequest) -> Iterator:
    """A fresh browser page that records every request leaving this machine."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium (`make test` does).")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.outside = []
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                else page.outside.append(r.url)
            ),
        )
        yield page
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
        browser.close()


def _ask(page, question: str) -> None:
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")


def _bot_messages(page):
    return page.locator("#chat .message.bot")


def _wait_for_answer(page, count: int, timeout: float = 90) -> str:
    """Wait until the turn is over and the `count`-th answer has not changed for two seconds.

    The turn is over once the "reading them" list has given way to the answer's sources: until
    then the model may not have written a word, and the page ignores a new question.
    """
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        if READING_TITLE in page.inner_text("#chat"):
            seen.clear()
            time.sleep(0.25)
            continue
        replies = _bot_messages(page).filter(has_not=page.locator("details"))
        answers = [t for t in replies.all_inner_texts() if t.strip()]
        if len(answers) >= count:
            seen.append(answers[count - 1])
            if len(seen) >= 8 and len(set(seen[-8:])) == 1:
                return seen[-1]
        time.sleep(0.25)
    raise AssertionError(f"no answer {count} after {timeout} s; saw {seen[-1:]}")


@pytest.mark.slow
@pytest.mark.browser
def test_browser_streams_a_cited_answer_and_a_follow_up(page, chat_url: str, seeded_bot) -> None:
    page.goto(chat_url)
    header = page.locator("#header")
    header.get_by_text("4 documents").wait_for()
    chunks = seeded_bot.status().chunks
    assert f"{chunks} chunks" in header.inner_text() and "SmolLM2" in header.inner_text()
    _ask(page, MUSK)
    _wait_for_answer(page, 1)
    source = page.locator("#chat details").first
    source.wait_for()
    assert MUSK_FILE in source.inner_text()
    source.locator("summary").click()
    assert "Musk" in source.inner_text()
    _ask(page, FOLLOW_UP)
    follow_up = _wait_for_answer(page, 2)
    assert follow_up.strip() and not follow_up.startswith(ERROR_MARK)
    assert page.locator("#chat .message.user").count() == 2
    assert page.outside == [], f"the page fetched from the internet: {page.outside}"


INVENTED = "Musk also bought Twitter for 320 billion dollars in 1999"
SCRIPTED_REPLY = (
    "Elon Musk offered 97.4 billion dollars to buy OpenAI [1]. "
    f"{INVENTED} [1]. Sam Altman rejected the 97.4 billion dollar offer from Musk [1]."
)


@pytest.fixture
def scripted_chat_url(seeded_settings: Settings) -> Iterator[str]:
    """The chat whose model (a scripted fake, word by word) invents one sentence of three."""
    bot = Bot(seeded_settings, chat_model=streamed_model(SCRIPTED_REPLY))
    yield from _serve(seeded_settings, bot)


@pytest.mark.slow
@pytest.mark.browser
def test_browser_never_shows_an_unverified_sentence_even_while_streaming(
    page, scripted_chat_url: str
) -> None:
    page.goto(scripted_chat_url)
    _ask(page, MUSK)
    snapshots: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not page.locator("#chat details").count():
        bubbles = _bot_messages(page).all_inner_texts()  # the sources list comes first, alone
        snapshots += [b for b in bubbles[:1] if b.strip() and not b.startswith(READING_TITLE)]
        time.sleep(0.02)
    answer = _wait_for_answer(page, 1)
    snapshots.append(answer)
    assert "97.4" in answer
    for shown in snapshots:
        assert "320" not in shown and "Twitter" not in shown.split("left out")[0]
        for sentence in split_sentences(shown.split("\n")[0]):
            assert markers(sentence), f"an unmarked sentence was on screen: {sentence!r}"
    left_out = page.get_by_text(re.compile(r"left out: the sources do not support (it|them)")).first
    left_out.wait_for()
    left_out.click()
    assert INVENTED in page.inner_text("#chat")


@pytest.fixture
def slow_chat_url(seeded_settings: Settings) -> Iterator[str]:
    """The chat whose model (a scripted fake) takes about eight seconds to write its reply."""
    bot = Bot(seeded_settings, chat_model=ScriptedModel(responses=[SCRIPTED_REPLY], sleep=0.05))
    bot.retrieve(MUSK)  # the keyword index is built once, before the first question
    yield from _serve(seeded_settings, bot)


@pytest.mark.slow
@pytest.mark.browser
def test_browser_shows_the_sources_before_the_answer_within_a_second(
    page, slow_chat_url: str
) -> None:
    page.goto(slow_chat_url)
    page.locator("#question textarea").wait_for()
    _ask(page, MUSK)
    asked = time.monotonic()
    page.get_by_text(READING_TITLE).first.wait_for(timeout=10_000)
    waited = time.monotonic() - asked
    bubbles = [t for t in _bot_messages(page).all_inner_texts() if "97.4" in t]
    assert bubbles == [], "the answer came before its sources"
    assert waited < 1.0, f"the sources took {waited:.2f} s to show"
    assert MUSK_FILE in page.inner_text("#chat")
    assert "97.4" in _wait_for_answer(page, 1)


def _reading_list(page) -> str:
    """The chat's text once the sources being read are listed (they come before the model)."""
    page.get_by_text(READING_TITLE).first.wait_for(timeout=10_000)
    return page.inner_text("#chat")


@pytest.mark.slow
@pytest.mark.browser
def test_browser_sources_panel_shows_each_sources_outlet_and_date(page, slow_chat_url: str) -> None:
    page.goto(slow_chat_url)
    _ask(page, "WeChat có bao nhiêu người dùng?")
    assert "Business Insider · 2025-04-11 · 001_53c71910e38b7502.txt" in _reading_list(page)
    _wait_for_answer(page, 1)


@pytest.mark.slow
@pytest.mark.browser
def test_browser_date_and_outlet_filters_limit_the_sources(page, slow_chat_url: str) -> None:
    page.goto(slow_chat_url)
    page.get_by_text("Filter by date and outlet").click()
    page.fill("#since textarea, #since input", "2025-05-01")
    _ask(page, "What are the big tech companies doing with AI?")
    shown = _reading_list(page)
    assert "Tuổi Trẻ · 2025-09-02" in shown
    assert "001_53c71910e38b7502.txt" not in shown and "003_ec62060a0c8869d6.txt" not in shown
    _wait_for_answer(page, 1)
    page.fill("#since textarea, #since input", "")
    page.locator("#outlets input").click()
    page.get_by_role("option", name="Business Insider").click()
    page.keyboard.press("Escape")
    # A new chat: as a follow-up, the question would first be rewritten by the scripted model.
    page.get_by_role("button", name="New chat").click()
    _ask(page, "What are the big tech companies doing with AI?")
    latest = _reading_list(page).split(READING_TITLE)[-1]
    assert "Business Insider" in latest and "Tuổi Trẻ" not in latest
    _wait_for_answer(page, 1)


@pytest.mark.slow
@pytest.mark.browser
def test_browser_empty_question_shows_a_message_and_the_app_stays_usable(
    page, chat_url: str
) -> None:
    page.goto(chat_url)
    _ask(page, "   ")
    assert _wait_for_answer(page, 1).startswith(f"{ERROR_MARK} The question is empty")
    _ask(page, MUSK)
    assert not _wait_for_answer(page, 2).startswith(ERROR_MARK)


@pytest.mark.slow
@pytest.mark.browser
def test_browser_shows_a_stopped_endpoint_as_a_message(
    page, outside_chat_url: str, outside_server: EmbeddedServer
) -> None:
    page.goto(outside_chat_url)
    outside_server.stop()
    _ask(page, MUSK)
    error = _wait_for_answer(page, 1)
    assert error.startswith(ERROR_MARK) and "cannot be reached" in error
    assert "Traceback" not in page.inner_text("body")
    assert page.locator("#question textarea").is_editable()


# Safety of the web chat: binding, login, escaping, and many sessions at once.


@pytest.mark.slow
def test_binding_beyond_loopback_without_login_warns(
    seeded_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.app.ui import launch
    from bot.models.local_model import free_port

    app = launch(seeded_settings, "0.0.0.0", free_port(), block=False)
    app.close()
    assert "without a login" in caplog.text and "BOT_UI_AUTH" in caplog.text


@pytest.mark.slow
def test_login_is_required_when_configured(seeded_settings: Settings, tmp_path: Path) -> None:
    settings = seeded_settings.model_copy(update={"ui_auth": SecretStr("alice:wonderland")})
    for url in _serve(settings):
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises several kinds here
            Client(url, verbose=False).predict("   ", [], api_name="/ask")
        client = Client(url, auth=("alice", "wonderland"), verbose=False)
        _, history = client.predict("   ", [], api_name="/ask")
        assert _assistant_texts(history)[-1].startswith(f"{ERROR_MARK} The question is empty")


HOSTILE = (
    "Orbital Bakery opened its first store on the Moon in 2031, selling croissants to "
    "astronauts for 40 euros each. <script>window.__pwned = 1</script> "
    '<img src=x onerror="window.__pwned = 2"> Demand for the Moon croissants tripled in a month.'
)


@pytest.fixture(scope="module")
def hostile_chat_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The chat over a corpus whose article carries live HTML."""
    from bot.ingest.pipeline import ingest

    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "articles").mkdir()
    (tmp / "articles" / "bakery.txt").write_text(f"Moon bakery\n\n{HOSTILE}\n", "utf-8")
    settings = make_settings(tmp, corpus_dir=tmp / "articles", max_tokens=48)
    ingest(settings, progress=False)
    yield from _serve(settings)


@pytest.mark.slow
@pytest.mark.browser
def test_html_in_a_document_shows_as_text_and_never_runs(page, hostile_chat_url: str) -> None:
    page.goto(hostile_chat_url)
    _ask(page, "What does Orbital Bakery sell on the Moon, and for how much?")
    _wait_for_answer(page, 1)
    source = page.locator("#chat details").first
    source.wait_for()
    source.locator("summary").click()
    assert "<script>window.__pwned = 1</script>" in source.inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#chat script, #chat img[src='x']").count() == 0


@pytest.fixture(scope="module")
def quick_chat_url(seeded_settings: Settings) -> Iterator[str]:
    """The seeded chat with short answers, for load."""
    yield from _serve(seeded_settings.model_copy(update=LOAD))


@pytest.mark.slow
def test_four_sessions_at_once_each_get_their_own_conversation(quick_chat_url: str) -> None:
    from bot.bench.loadtest import chat_load
    from bot.eval.golden_sets import DEFAULT_GOLDEN, load_golden

    questions = [p.question for p in load_golden(DEFAULT_GOLDEN) if not p.unanswerable]
    report = chat_load(quick_chat_url, questions, sessions=4, turns=2)
    print(report.summary())
    assert report.failures == [] and len(report.seconds) == 8
