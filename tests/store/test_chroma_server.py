"""Client/server mode: ingest, retrieve and ask through a real `chroma run` server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.api import Bot
from bot.core.errors import StoreError
from bot.ingest.pipeline import ingest
from bot.models.local_model import free_port

from ..conftest import make_settings

pytestmark = pytest.mark.slow
MUSK_FILE = "003_ec62060a0c8869d6.txt"


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
    # SmolLM2 (the mechanics model) rarely words the figure itself: its answer may be the
    # closest passage, shown as that.
    assert not answer.refused or answer.refusal_reason == "closest", answer.text
    assert answer.contexts[0].source == MUSK_FILE
    assert answer.citations and all(c in answer.contexts for c in answer.citations)


def test_a_server_that_is_down_gets_one_sentence(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match=r"Cannot reach the Chroma server at .*chroma run"):
        Bot(settings).retrieve("anything")
