"""Where the store lives: a Chroma client on a folder or a server, and one writer at a time."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import chromadb.errors
from chromadb.config import Settings as ChromaSettings
from filelock import FileLock, Timeout

from bot.core.config import Settings
from bot.core.errors import StoreError

WRITE_ERRORS = (chromadb.errors.ChromaError, sqlite3.Error, OSError, ValueError)


def connect(settings: Settings, *, create: bool) -> tuple[chromadb.ClientAPI, str]:
    """A persistent client on the folder, or an HTTP client when BOT_CHROMA_URL is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        label = f"the Chroma server at {settings.chroma_url}"
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception:
            raise StoreError(
                f"Cannot reach {label}; start it with `chroma run --path DIR --port N` "
                "or fix BOT_CHROMA_URL."
            ) from None
        return client, label
    directory = settings.vectorstore_dir
    label = str(directory)
    if not create and not (directory / "chroma.sqlite3").exists():
        raise missing_store(label)
    try:
        return chromadb.PersistentClient(path=str(directory), settings=chroma_settings), label
    except WRITE_ERRORS as exc:
        raise StoreError(f"Cannot open the store in {label} ({exc}).") from None


def missing_store(label: str) -> StoreError:
    """The one sentence for a store that was never built."""
    return StoreError(
        f"No vector store in {label} yet; run `bot ingest` to build it from your articles."
    )


def write_lock(settings: Settings) -> contextlib.AbstractContextManager:
    """One writer at a time on a local store; a second ingest is told to wait."""
    if settings.chroma_url:
        return contextlib.nullcontext()
    directory = settings.vectorstore_dir
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Cannot create the store folder {directory} ({exc.strerror}).") from None
    return _held(FileLock(str(directory / ".ingest.lock"), timeout=0), directory)


@contextlib.contextmanager
def _held(lock: FileLock, directory: Path) -> Iterator[None]:
    """Acquire without waiting, so the user hears at once that another ingest is running."""
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(
            f"Another `bot ingest` is writing to {directory}; wait for it to finish, then retry."
        ) from None
    except OSError as exc:
        raise StoreError(f"Cannot lock the store in {directory} ({exc.strerror}).") from None
    try:
        yield
    finally:
        lock.release()
