"""`bot ingest --watch`: a real watcher process on a real folder and Chroma store, checked after
each change against a clean ingest of the same folder, and read by a Bot in another process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import openai
import pytest

from bot.api import Bot
from bot.app.serving import serve
from bot.core.config import Settings
from bot.core.errors import StoreError
from bot.ingest.pipeline import ingest
from bot.ingest.watching import _quiet
from bot.models.local_model import free_port
from bot.retrieval.retriever import RECOUNT_SECONDS
from bot.store.chroma_store import ChromaStore, open_store
from bot.store.embeddings import HashingEmbeddings, make_embeddings

from ..conftest import make_settings, until
from ..documents.test_pdf import ARTICLE as ARTICLE_PDF

BAKERY = (
    "Moon bakery opens\n\nOrbital Bakery opened its first store on the Moon in 2031, selling "
    "croissants to astronauts for 40 euros each. Demand for the Moon croissants tripled in a "
    "month, the company said, and a second store is planned near the south pole crater.\n"
)
EDIT = (
    "\nOrbital Bakery also announced a partnership with a lunar dairy cooperative that will "
    "supply fresh butter from hydroponic farms, cutting its shipping costs by half.\n"
)


def test_quiet_waits_until_no_change_came_for_the_whole_spell() -> None:
    changed = threading.Event()
    changed.set()
    spells: list[float] = []

    class Stop:
        """A stop signal that never fires; a second write lands during the first spell."""

        def wait(self, seconds: float) -> bool:
            spells.append(seconds)
            if len(spells) == 1:
                changed.set()
            return False

    assert _quiet(changed, 0.3, Stop())  # type: ignore[arg-type]
    assert spells == [0.3, 0.3], "the second write restarts the spell"


@pytest.fixture
def watcher(tmp_path: Path, corpus: Path, chroma_url: str) -> Iterator[Settings]:
    """`bot ingest --watch` on a private copy of three seeds, as a child process writing to a
    real Chroma server (a local store is safe for one process only)."""
    settings = make_settings(
        tmp_path, corpus_dir=corpus, chroma_url=chroma_url, collection=f"watch-{tmp_path.name}"
    )
    env = {
        **os.environ,
        "BOT_CHROMA_URL": chroma_url,
        "BOT_COLLECTION": settings.collection,
        "BOT_WATCH_DEBOUNCE": "0.5",
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", str(corpus), "--watch"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield settings
    finally:
        child.terminate()
        out, _ = child.communicate(timeout=30)
        print(out)


def _write(path: Path, text: str) -> None:
    """Write an article, making its folder as a user would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _clean_ingest(folder: Path, work: Path) -> dict[str, set[str]]:
    """The chunk ids a clean ingest of `folder` into a fresh local store keeps, by file. The
    ids hash each chunk's text and source, whatever embeds it: the words' hashes are quick,
    and leave the cores to the watcher."""
    settings, hashing = make_settings(work, corpus_dir=folder), HashingEmbeddings()
    ingest(settings, progress=False, embeddings=hashing)
    return open_store(settings, hashing).ids_by_source()


def _store(settings: Settings) -> ChromaStore:
    """The watched store, once its first pass has created it."""
    opened: list[ChromaStore] = []

    def created() -> bool:
        try:
            opened.append(open_store(settings, make_embeddings(settings)))
        except StoreError:
            return False
        return opened[-1].count() > 0

    until(created, "the first pass never filled the store")
    return opened[-1]


@pytest.mark.slow
def test_watch_mirrors_add_edit_rename_and_delete_as_a_clean_ingest_would(
    watcher: Settings, corpus: Path, tmp_path: Path
) -> None:
    steps: list[tuple[str, Callable[[], object]]] = [
        ("add", lambda: _write(corpus / "bakery.txt", BAKERY)),
        ("edit", lambda: _write(corpus / "bakery.txt", BAKERY + EDIT)),
        ("rename", lambda: (corpus / "bakery.txt").rename(corpus / "moon.txt")),
        ("delete", lambda: next(corpus.glob("000_*")).unlink()),
        ("add a folder", lambda: _write(corpus / "world" / "moon.txt", BAKERY)),
        ("add a PDF", lambda: shutil.copy(ARTICLE_PDF, corpus / "world" / "openai.pdf")),
    ]
    store = _store(watcher)
    chat = Bot(watcher)  # a running chat in another process, opened before the changes
    chat.retrieve("anything")
    for n, (what, change) in enumerate(steps):
        change()
        expected = _clean_ingest(corpus, tmp_path / f"clean-{n}")
        until(lambda e=expected: store.ids_by_source() == e, f"the store after {what}")
    assert "world/openai.pdf" in store.ids_by_source(), "a PDF is an article too"
    time.sleep(RECOUNT_SECONDS)
    found = chat.retrieve("Orbital Bakery hydroponic butter lunar dairy")
    assert found[0].source == "moon.txt", "the running chat sees the watcher's writes"


def _healthy(url: str) -> bool:
    """The API reports a store with chunks in it."""
    health = httpx.get(f"{url}/health")
    return health.status_code == 200 and health.json()["chunks"] > 0


@pytest.mark.slow
def test_the_api_answers_from_an_article_added_while_it_runs(tmp_path: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus, watch_debounce=0.3)
    server = serve(settings, "127.0.0.1", free_port(), block=False, watch=True)
    assert server is not None
    try:
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="none", max_retries=0)
        question = "How much do Orbital Bakery's croissants cost on the Moon?"

        def cited() -> set[str]:
            reply = client.chat.completions.create(
                model="newsbot", messages=[{"role": "user", "content": question}]
            )
            return {c["source"] for c in (reply.model_extra or {})["citations"]}

        until(lambda: _healthy(server.url), "the first pass never filled the store")
        assert "bakery.txt" not in cited()
        _write(corpus / "bakery.txt", BAKERY)
        until(lambda: "bakery.txt" in cited(), "the API never cited the new article")
    finally:
        server.close()
