"""The README's "Where to extend", done: a new file format and a new model provider, each
touching only the place the README names. The provider is a toy written here, a fake by
design; the store and the verification around it are real."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from bot.api import Bot
from bot.documents import loading
from bot.ingest.pipeline import ingest

from .conftest import make_settings
from .fakes import HashingEmbeddings, MemoryStore

MUSK = "How much did Elon Musk offer to buy OpenAI?"


def _toy_docx(raw: bytes) -> str:
    """A stand-in for a DOCX library: the text after the marker of a made-up format."""
    if not raw.startswith(b"%TOY\x00"):
        raise ValueError("not a toy DOCX")
    return raw.removeprefix(b"%TOY\x00").decode("utf-8")


def test_a_new_format_is_one_converter_in_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(loading.CONVERTERS, ".docx", _toy_docx)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = "Chipmakers rallied on Tuesday after a cloud provider raised its spending plans. " * 3
    (corpus / "brief.docx").write_bytes(b"%TOY\x00Chip stocks rally\n\n" + story.encode())
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04\x00\x01")
    store = MemoryStore(HashingEmbeddings())
    report = ingest(make_settings(tmp_path), corpus, store=store, progress=False)
    assert report.files == 1 and [s for s, _ in report.skipped] == ["broken.docx"]
    assert {r.article.source for r in store.iter_chunks()} == {"brief.docx"}
    assert any("cloud provider" in r.text for r in store.iter_chunks())


class ToyProvider(BaseChatModel):
    """A provider that is not OpenAI-compatible: any LangChain chat model will do."""

    reply: str

    @property
    def _llm_type(self) -> str:
        return "toy"

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs):
        return ChatResult(generations=[ChatGeneration(message=AIMessage(self.reply))])

    def _stream(
        self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs
    ) -> Iterator[ChatGenerationChunk]:
        for word in self.reply.split(" "):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word + " "))


def test_a_new_model_provider_is_one_chat_model_passed_to_bot(seeded_settings) -> None:
    provider = ToyProvider(reply="Musk offered 97.4 billion dollars to buy OpenAI [1].")
    answer = Bot(seeded_settings, chat_model=provider).ask(MUSK)
    assert not answer.refused and answer.text == provider.reply
    assert answer.citations[0].source == "003_ec62060a0c8869d6.txt"
