"""`bot serve`: the OpenAI-compatible API, driven by clients nobody here wrote (the official
`openai` package, curl) against a real server on loopback, the real Chroma store and the
embedded llama.cpp model; faults come from real dead, stalled and missing parts."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import openai
import pytest
from pydantic import SecretStr

from bot.api import Bot
from bot.app.openai_api import Message, conversation
from bot.app.serving import serve
from bot.core.config import Settings
from bot.core.model_catalog import DEFAULT_LOCAL_MODEL
from bot.core.text import markers
from bot.models.local_model import EmbeddedServer, free_port

from ..conftest import LOAD, bot_command, endpoint_settings, make_settings, serves, until
from ..fakes import ScriptedModel
from .test_ui import FOLLOW_UP, MUSK, MUSK_FILE, SCRIPTED_REPLY

KEY = "test-key-123"


def _serve(settings: Settings, bot: Bot | None = None) -> Iterator[str]:
    """`bot serve` in a thread on a free loopback port; yields its /v1 base URL."""
    server = serve(settings, "127.0.0.1", free_port(), block=False, bot=bot)
    assert server is not None
    try:
        yield f"{server.url}/v1"
    finally:
        server.close()


def _client(url: str, key: str = KEY) -> openai.OpenAI:
    """The official client, without its own retries so each fault is seen once."""
    return openai.OpenAI(base_url=url, api_key=key, max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def api_url(seeded_settings: Settings) -> Iterator[str]:
    """The API over the seeded store and the default embedded model, with a key: what the
    client gets is a verified answer, which the 135M model cannot be relied on to write."""
    changes = {"api_key": SecretStr(KEY), "local_model": DEFAULT_LOCAL_MODEL}
    yield from _serve(seeded_settings.model_copy(update=changes))


# Unit tests of the request's own logic (no server).


def test_conversation_is_the_last_user_message_and_the_turns_before_it() -> None:
    messages = [
        Message(role="system", content="be nice"),
        Message(role="user", content=[{"type": "text", "text": "q1"}]),
        Message(role="assistant", content="a1"),
        Message(role="user", content="q2"),
    ]
    assert conversation(messages) == ("q2", [("q1", "a1")])


# The official openai client against the real server.


@pytest.mark.slow
def test_openai_client_gets_a_verified_answer_with_its_citations(api_url: str) -> None:
    reply = _client(api_url).chat.completions.create(
        model="newsbot", messages=[{"role": "user", "content": MUSK}]
    )
    text = reply.choices[0].message.content or ""
    extra = reply.model_extra or {}
    assert text.strip() and reply.choices[0].finish_reason in ("stop", "length")
    assert extra["newsbot"]["question"] == MUSK and not extra["newsbot"]["refused"]
    cited = {c["n"]: c for c in extra["citations"]}
    assert MUSK_FILE in {c["source"] for c in cited.values()}
    assert set(markers(text)) == set(cited), "every [n] in the text has its citation, no more"
    assert all(c["snippet"] and 0 < c["relevance"] <= 1 for c in cited.values())


@pytest.mark.slow
def test_openai_client_streams_and_reads_the_citations_from_the_last_chunk(api_url: str) -> None:
    stream = _client(api_url).chat.completions.create(
        model="newsbot", messages=[{"role": "user", "content": MUSK}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    last = chunks[-1].model_extra or {}
    assert len(chunks) >= 3 and text.strip()
    assert chunks[-1].choices[0].finish_reason in ("stop", "length")
    assert MUSK_FILE in {c["source"] for c in last["citations"]}
    assert set(markers(text)) == {c["n"] for c in last["citations"]}


@pytest.mark.slow
def test_openai_client_follow_up_is_condensed_from_the_history(api_url: str) -> None:
    client = _client(api_url)
    first = client.chat.completions.create(
        model="newsbot", messages=[{"role": "user", "content": MUSK}]
    )
    history = [
        {"role": "user", "content": MUSK},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": FOLLOW_UP},
    ]
    reply = client.chat.completions.create(model="newsbot", messages=history)
    assert (reply.choices[0].message.content or "").strip()
    assert (reply.model_extra or {})["newsbot"]["question"] != FOLLOW_UP


@pytest.mark.slow
def test_models_and_health(api_url: str) -> None:
    assert [m.id for m in _client(api_url).models.list()] == ["newsbot"]
    health = httpx.get(api_url.removesuffix("/v1") + "/health").json()
    assert health["status"] == "ok" and health["documents"] == 4 and health["chunks"] > 0


@pytest.mark.slow
def test_curl_streams_server_sent_events(api_url: str) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    body = json.dumps(
        {"model": "newsbot", "stream": True, "messages": [{"role": "user", "content": MUSK}]}
    )
    run = subprocess.run(
        [
            curl,
            "-sN",
            "-H",
            f"Authorization: Bearer {KEY}",
            "-d",
            body,
            f"{api_url}/chat/completions",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    events = [line for line in run.stdout.splitlines() if line]
    assert all(line.startswith("data: ") for line in events)
    assert events[-1] == "data: [DONE]"
    last = json.loads(events[-2].removeprefix("data: "))
    assert last["choices"][0]["finish_reason"] and last["citations"]


# Bad input and faults: each gets its status and one readable sentence.


@pytest.mark.slow
def test_bad_requests_get_400_with_one_sentence(api_url: str, seeded_settings: Settings) -> None:
    client = _client(api_url)
    too_long = "x" * (seeded_settings.max_question_chars + 1)
    for messages in (
        [{"role": "user", "content": too_long}],
        [{"role": "user", "content": " "}],
        [{"role": "system", "content": "hi"}],
    ):
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(model="newsbot", messages=messages)
        error = caught.value.body
        assert error["type"] == "invalid_request_error" and error["message"].endswith(".")
    headers = {"Authorization": f"Bearer {KEY}"}
    broken = httpx.post(f"{api_url}/chat/completions", content=b"{not json", headers=headers)
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["error"]["message"]
    huge = b'{"messages": [' + b" " * (seeded_settings.api_max_body_kb * 1024) + b"]}"
    assert (
        httpx.post(f"{api_url}/chat/completions", content=huge, headers=headers).status_code == 413
    )


@pytest.mark.slow
def test_a_wrong_or_missing_key_gets_401(api_url: str) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        _client(api_url, key="wrong").models.list()
    assert "BOT_API_KEY" in caught.value.body["message"]
    assert httpx.get(f"{api_url}/models").status_code == 401


@pytest.mark.slow
def test_a_dead_model_endpoint_is_a_502_that_names_it_without_the_key(
    seeded_settings: Settings, outside_server: EmbeddedServer, tmp_path: Path
) -> None:
    endpoint = outside_server.endpoint
    settings = endpoint_settings(
        tmp_path, seeded_settings, endpoint.base_url, outside_server.api_key
    )
    outside_server.stop()
    for url in _serve(settings):
        with pytest.raises(openai.InternalServerError) as caught:
            _client(url).chat.completions.create(
                model="newsbot", messages=[{"role": "user", "content": MUSK}]
            )
        assert caught.value.status_code == 502
        message = caught.value.body["message"]
        assert "cannot be reached" in message and outside_server.api_key not in message


@pytest.fixture
def stalled_endpoint() -> Iterator[str]:
    """An endpoint that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.mark.slow
def test_the_deadline_passing_is_a_504(
    seeded_settings: Settings, stalled_endpoint: str, tmp_path: Path
) -> None:
    settings = endpoint_settings(
        tmp_path, seeded_settings, stalled_endpoint, "k", max_retries=0, timeout=2
    )
    for url in _serve(settings):
        with pytest.raises(openai.APIStatusError) as caught:
            _client(url).chat.completions.create(
                model="newsbot", messages=[{"role": "user", "content": MUSK}]
            )
        assert caught.value.status_code == 504 and "timed out" in caught.value.body["message"]


@pytest.mark.slow
def test_a_missing_store_is_a_503_and_health_says_why(tmp_path: Path) -> None:
    for url in _serve(make_settings(tmp_path)):
        with pytest.raises(openai.APIStatusError) as caught:
            _client(url).chat.completions.create(
                model="newsbot", messages=[{"role": "user", "content": MUSK}]
            )
        assert caught.value.status_code == 503 and "bot ingest" in caught.value.body["message"]
        health = httpx.get(url.removesuffix("/v1") + "/health")
        assert health.status_code == 503 and "bot ingest" in health.json()["error"]


@pytest.mark.slow
def test_a_full_queue_gets_429_with_retry_after(seeded_settings: Settings) -> None:
    settings = seeded_settings.model_copy(update={"parallel_answers": 2, "api_queue": 0})
    slow = Bot(settings, chat_model=ScriptedModel(responses=[SCRIPTED_REPLY] * 3, sleep=0.05))
    for url in _serve(settings, slow):
        body = {"messages": [{"role": "user", "content": MUSK}]}
        with ThreadPoolExecutor(3) as pool:
            asked = [
                pool.submit(httpx.post, f"{url}/chat/completions", json=body, timeout=60)
                for _ in range(3)
            ]
            replies = [reply.result() for reply in asked]
        statuses = sorted(r.status_code for r in replies)
        assert statuses == [200, 200, 429]
        refused = next(r for r in replies if r.status_code == 429)
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"]["code"] == "queue_full"


@pytest.mark.slow
def test_eight_concurrent_openai_clients_each_get_their_own_answer(
    seeded_settings: Settings,
) -> None:
    from bot.bench.loadtest import api_load
    from bot.eval.golden_sets import DEFAULT_GOLDEN, load_golden

    questions = [p.question for p in load_golden(DEFAULT_GOLDEN) if not p.unanswerable]
    for url in _serve(seeded_settings.model_copy(update={**LOAD, "timeout": 120})):
        report = api_load(url, questions, sessions=8)
        print(report.summary())
        assert report.failures == [] and len(report.seconds) == 8


# `bot serve` itself, as a user starts it.


@pytest.mark.slow
def test_bot_serve_refuses_a_public_address_without_a_key() -> None:
    child = bot_command(
        ["serve", "--host", "0.0.0.0", "--port", str(free_port())], {"BOT_API_KEY": ""}
    )
    _, err = child.communicate(timeout=60)
    assert child.returncode == 1 and "Traceback" not in err
    assert re.fullmatch(
        r"Error: Refusing to serve the API on 0\.0\.0\.0 without BOT_API_KEY[^\n]*\n", err
    )


@pytest.mark.slow
def test_bot_serve_answers_the_openai_client_and_ctrl_c_ends_the_answer_being_written(
    seeded_settings: Settings,
) -> None:
    """Ctrl+C ended the server only once the answers being written had ended, and the
    embedded model's stop waited up to half a minute for their replies."""
    port = free_port()
    env = {
        "BOT_VECTORSTORE_DIR": str(seeded_settings.vectorstore_dir),
        "BOT_LOCAL_MODEL": "smollm2-135m",
        "BOT_API_KEY": KEY,
        "BOT_TIMEOUT": "120",  # no deadline ends the answer: the stop must
    }
    child = bot_command(["serve", "--port", str(port)], env)
    try:
        url = f"http://127.0.0.1:{port}"
        until(lambda: serves(f"{url}/health"), "bot serve answers /health", timeout=60)
        client = _client(f"{url}/v1")
        asked = [{"role": "user", "content": MUSK}]
        reply = client.chat.completions.create(model="newsbot", messages=asked)
        assert (reply.choices[0].message.content or "").strip()
        stream = iter(client.chat.completions.create(model="newsbot", messages=asked, stream=True))
        next(stream)  # the reply has begun: the answer is being written
        child.send_signal(signal.SIGINT)
        with pytest.raises(openai.APIError, match="newsbot is stopping, so this answer was ended"):
            list(stream)
        _, err = child.communicate(timeout=60)
        assert child.returncode == 130 and "Traceback" not in err
    finally:
        child.terminate()
        child.wait(timeout=30)


@pytest.mark.slow
def test_the_openai_client_limits_the_articles_by_date_and_outlet(api_url: str) -> None:
    client = _client(api_url)
    asked = [{"role": "user", "content": "Why is Meta negotiating with Google and OpenAI?"}]
    reply = client.chat.completions.create(
        model="newsbot", messages=asked, extra_body={"newsbot": {"since": "2025-05-01"}}
    )
    extra = reply.model_extra or {}
    read = {c["source"] for c in extra["newsbot"]["read"]}
    cited = {c["source"] for c in extra["citations"]}
    assert read == {"000_ca31535c36e48615.txt"} and cited <= read, extra
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="newsbot", messages=asked, extra_body={"newsbot": {"until": "yesterday"}}
        )
    assert "until must be a date" in caught.value.body["message"]
