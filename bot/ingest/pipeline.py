"""files -> chunks -> store: bring the store in line with a folder of articles."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from bot.core.config import Settings
from bot.core.errors import CorpusError
from bot.documents.chunking import Chunk, split_document
from bot.documents.loading import article_suffixes, load_corpus
from bot.store.chroma_client import write_lock
from bot.store.chroma_store import open_store, promote_rebuilt
from bot.store.embeddings import BATCH_SIZE, make_embeddings
from bot.store.protocol import Passage, VectorStore

WRITE_BATCH = 1024  # chunks per store write: a killed ingest loses at most this much work


@dataclass
class IngestReport:
    """What one ingest did, for the summary line and for tests."""

    files: int
    chunks: int
    added: int
    removed: int
    seconds: float
    tokens: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    sentenced: int = 0
    """Stored chunks without their sentences (an older release's, or a stopped backfill's)
    whose sentences this ingest embedded."""

    def summary(self) -> str:
        """The one line `bot ingest` ends with."""
        line = (
            f"Ingested {_count(self.files, 'file')} into {_count(self.chunks, 'chunk')} "
            f"({self.added} added, {self.removed} removed) in {self.seconds:.1f} s."
        )
        if self.sentenced:
            line += f" Embedded the sentences of {self.sentenced} chunks stored before."
        if self.skipped:
            line += f" Skipped {_count(len(self.skipped), 'file')}: {_listed(self.skipped)}."
        return line


def _count(n: int, noun: str) -> str:
    """A count with its noun, singular for one ("1 file", "3 files"): the summary is prose."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def ingest(
    settings: Settings,
    corpus_dir: Path | None = None,
    *,
    rebuild: bool = False,
    progress: bool | None = None,
    embeddings: Embeddings | None = None,
    store: VectorStore | None = None,
) -> IngestReport:
    """Mirror `corpus_dir` into the store: add new chunks, drop those of changed or gone files.

    The store is the configured Chroma one (under its write lock; a rebuild replaces the live
    store only once complete) unless another `VectorStore` is passed in, which embeds with its
    own embedder and is mirrored in place.
    """
    started = time.perf_counter()
    root = corpus_dir or settings.corpus_dir
    if store is not None:
        if rebuild or embeddings is not None:
            raise ValueError(
                "rebuild and embeddings apply to the configured Chroma store only; a store "
                "passed in embeds with its own embedder and is mirrored in place."
            )
        return _mirror(settings, root, lambda: store, progress, started)
    with write_lock(settings):
        report = _mirror(
            settings,
            root,
            lambda: open_store(
                settings, embeddings or make_embeddings(settings), create=True, rebuild=rebuild
            ),
            progress,
            started,
        )
        if rebuild:
            promote_rebuilt(settings)
    return report


def _mirror(
    settings: Settings,
    root: Path,
    open_target: Callable[[], VectorStore],
    progress: bool | None,
    started: float,
) -> IngestReport:
    """Load and chunk the folder, then open the store and bring it in line with the files."""
    loaded = load_corpus(root, int(settings.max_file_mb * 1_000_000), _reading(progress))
    if not loaded.documents:
        raise CorpusError(_nothing_read(root, loaded.skipped))
    chunks = [
        chunk
        for doc in loaded.documents
        for chunk in split_document(doc, settings.chunk_tokens, settings.chunk_overlap)
    ]
    target = open_target()
    stored = target.ids_by_source()
    unread = {source for source, _ in loaded.skipped}
    new, stale = _plan(chunks, stored, keep=unread)
    # A store an older release built, or whose backfill was stopped: the chunks it keeps
    # that have no sentences yet get them, those of a file that no longer reads from the
    # text the store holds.
    unsentenced = target.unsentenced()
    kept: list[Passage] = [c for c in chunks if c.id in unsentenced]
    kept += _stored_passages(target, _ids_of(stored, unread) & unsentenced)
    _add(target, new, progress)
    _add_sentences(target, kept, progress)
    target.delete(stale)
    return IngestReport(
        files=len(loaded.documents),
        chunks=len(chunks),
        added=len(new),
        removed=len(stale),
        seconds=time.perf_counter() - started,
        tokens=sum(c.tokens for c in new),
        skipped=loaded.skipped,
        sentenced=len(kept),
    )


def _listed(skipped: list[tuple[str, str]]) -> str:
    """Files passed over, each with its reason, as the summary and the refusal name them."""
    return "; ".join(f"{source} ({reason})" for source, reason in skipped)


def _nothing_read(root: Path, skipped: list[tuple[str, str]]) -> str:
    """Why a folder gave no article. The store is left as it is: mirroring a folder none of
    whose files reads would drop every other article's chunks (a mistyped folder)."""
    if not skipped:
        return (
            f"No {', '.join(article_suffixes())} files found in {root}; "
            "add articles there or point `bot ingest DIR` at another folder."
        )
    return (
        f"No file in {root} could be read, so the store is unchanged: {_listed(skipped)}. "
        "Fix or replace them, or point `bot ingest DIR` at another folder."
    )


def _plan(
    chunks: list[Chunk], stored: dict[str, set[str]], keep: set[str]
) -> tuple[list[Chunk], list[str]]:
    """Chunks to embed, and stored ids no file produces any more (unreadable files keep theirs)."""
    stored_ids = {cid for source, ids in stored.items() for cid in ids}
    wanted = {c.id for c in chunks}
    new = [c for c in chunks if c.id not in stored_ids]
    stale = sorted(
        cid
        for source, ids in stored.items()
        if source not in keep
        for cid in ids
        if cid not in wanted
    )
    return new, stale


def _ids_of(stored: dict[str, set[str]], sources: set[str]) -> set[str]:
    """The stored chunk ids of the named files."""
    return {cid for source in sources for cid in stored.get(source, ())}


def _stored_passages(store: VectorStore, ids: set[str]) -> list[Passage]:
    """The named chunks as the store holds them; no read when none is named."""
    return [record for record in store.iter_chunks() if record.id in ids] if ids else []


def _add(store: VectorStore, chunks: list[Chunk], progress: bool | None) -> None:
    """Embed in small batches (progress bar), write in large ones (few store round trips);
    each chunk's sentences too, which answering would otherwise embed question after question."""
    with _bar(len(chunks), "Embedding", progress) as bar:
        for start in range(0, len(chunks), WRITE_BATCH):
            batch = chunks[start : start + WRITE_BATCH]
            vectors: list[list[float]] = []
            for offset in range(0, len(batch), BATCH_SIZE):
                part = batch[offset : offset + BATCH_SIZE]
                vectors += store.embed(part)
                store.write_sentences(part)  # before the chunks: a stored chunk has them
                bar.update(len(part))
            store.write(batch, vectors)


def _add_sentences(store: VectorStore, chunks: list[Passage], progress: bool | None) -> None:
    """Embed and store the sentences of chunks already stored without them (progress bar)."""
    with _bar(len(chunks), "Sentences", progress) as bar:
        for start in range(0, len(chunks), BATCH_SIZE):
            part = chunks[start : start + BATCH_SIZE]
            store.write_sentences(part)
            bar.update(len(part))


def _bar(total: int, desc: str, progress: bool | None, unit: str = "chunk") -> tqdm:
    """A progress bar over chunks or files: shown when asked, or on a terminal when not said."""
    return tqdm(
        total=total, desc=desc, unit=unit, disable=None if progress is None else not progress
    )


def _reading(progress: bool | None) -> Callable[[list[Path]], Iterator[Path]]:
    """The files as they are read, behind a progress bar: a PDF takes tens of ms a page."""

    def tracked(files: list[Path]) -> Iterator[Path]:
        with _bar(len(files), "Reading", progress, unit="file") as bar:
            for path in files:
                yield path
                bar.update()

    return tracked
