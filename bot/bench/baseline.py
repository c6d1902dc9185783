"""The LangChain tutorial setup, as taught: RecursiveCharacterTextSplitter(1000, 200), one
Chroma.from_documents, plain top-4 similarity and every chunk pasted into one prompt. The
benchmark and the README compare this project with it."""

from __future__ import annotations

from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnablePassthrough
from langchain_openai import ChatOpenAI
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.answer.prompts import load_prompt
from bot.core.config import Settings
from bot.core.tokens import count_tokens
from bot.models.llm import chat_client
from bot.models.local_model import Endpoint

TUTORIAL_TIMEOUT = 600.0
"""The tutorial's client waits as long as openai's does by default, ten minutes."""


def tutorial_model(settings: Settings, endpoint: Endpoint) -> ChatOpenAI:
    """The same endpoint, model and reply cap as ours, without BOT_TIMEOUT: the tutorial has
    no deadline, and an answer cut at ours would be left out of its medians, which would
    then be those of its fastest answers, or none at all on a slow host."""
    return chat_client(settings.model_copy(update={"timeout": TUTORIAL_TIMEOUT}), endpoint)


def baseline_chain(llm: Runnable, store: Chroma) -> Runnable:
    """The tutorial's chain: plain top-4 similarity, every chunk pasted into one prompt."""
    retriever = store.as_retriever(search_kwargs={"k": 4})
    prompt = ChatPromptTemplate.from_template(load_prompt("baseline"))
    return (
        {"context": retriever | _join_docs, "question": RunnablePassthrough()}
        | prompt
        | llm
        | StrOutputParser()
    )


def _join_docs(docs: list[Document]) -> str:
    return "\n\n".join(d.page_content for d in docs)


def baseline_ingest(corpus: Path, embeddings: Embeddings, directory: Path) -> tuple[Chroma, int]:
    """RecursiveCharacterTextSplitter(1000, 200) and one Chroma.from_documents, as taught."""
    docs = [
        Document(page_content=p.read_text("utf-8", errors="replace"), metadata={"source": p.name})
        for p in sorted(corpus.iterdir())
    ]
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(
        docs
    )
    store = Chroma.from_documents(
        splits, embedding=embeddings, persist_directory=str(directory), collection_name="baseline"
    )
    return store, sum(count_tokens(d.page_content) for d in splits)
