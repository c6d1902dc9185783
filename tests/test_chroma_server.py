"""Client/server mode: ingest, retrieve and ask through a real `chroma run` server on loopback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.api import Bot
from bot.errors import StoreError
from bot.ingest import ingest
from bot.local_model import free_port

from .conftest import make_settings

pytestmark = pytest.mark.slow
MUSK_FILE = "003_ec62060a0c8869d6.txt"


@pytest.fixture(scope="module")
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


def test_ingest_retrieve_and_ask_through_a_chroma_server(
    chroma_url: str, corpus: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, chroma_url=chroma_url, corpus_dir=corpus)
    report = ingest(settings, progress=False)
    assert report.added > 0 and not (tmp_path / "vectorstore").exists()
    again = ingest(settings, progress=False)
    assert again.added == 0 and again.removed == 0
    replica_a, replica_b = Bot(settings), Bot(settings)  # two app replicas, one server
    assert replica_a.retrieve("How much did Elon Musk offer to buy OpenAI?")[0].source == MUSK_FILE
    assert replica_b.status().chunks == report.added
    answer = replica_b.ask("Combien Elon Musk a-t-il proposé pour racheter OpenAI ?")
    assert not answer.refused and answer.contexts[0].source == MUSK_FILE
    assert answer.citations and all(c in answer.contexts for c in answer.citations)


def test_a_server_that_is_down_gets_one_sentence(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match=r"Cannot reach the Chroma server at .*chroma run"):
        Bot(settings).retrieve("anything")
