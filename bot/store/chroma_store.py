"""Chroma as the store: a local folder or a server, stamped with the embedder that filled it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence

import chromadb
import chromadb.errors
import numpy as np
from langchain_core.embeddings import Embeddings

from bot.core.article import ArticleMeta
from bot.core.config import Settings
from bot.core.errors import StoreError
from bot.core.text import passage_sentences
from bot.documents.chunking import Chunk
from bot.store.chroma_client import WRITE_ERRORS, connect, missing_store
from bot.store.embeddings import unit
from bot.store.protocol import Hit, Passage, Record, scored

SCHEMA_VERSION = 1
_BUILDING_SUFFIX = "__building"
_SENTENCES_SUFFIX = "__sentences"
"""The collection beside the chunks' that holds their sentences' vectors."""
_COMPLETE = "complete"
"""Its metadata's mark that every stored chunk has its sentences."""
_PAGE = 1000
"""Rows per write, and chunk ids per `$in` filter: well under SQLite's bound on a query's
variables."""


class ChromaStore:
    """The `VectorStore` protocol over one Chroma collection of chunks, and one beside it of
    their sentences (`__sentences`; a store an older ingest wrote has none)."""

    def __init__(
        self,
        client: chromadb.ClientAPI,
        collection: chromadb.Collection,
        embeddings: Embeddings,
        label: str,
    ) -> None:
        self.client = client
        self.collection = collection
        self.embeddings = embeddings
        self.label = label
        self._sentences: tuple[uuid.UUID, chromadb.Collection | None] | None = None

    def version(self) -> str:
        """The collection's write stamp, read afresh: another process's ingest changes it, and
        a rebuilt collection swapped in under the same name is picked up here."""
        try:
            live = self.client.get_collection(self.collection.name)
        except WRITE_ERRORS as exc:
            raise self._unread(exc) from None
        if live.id != self.collection.id:
            self.collection = live
        return f"{live.id}:{(live.metadata or {}).get('written', '')}"

    def _stamp(self) -> None:
        """Mark the chunks as changed, for every reader's `version()`."""
        live = self.client.get_collection(self.collection.name)
        self.collection.modify(metadata={**(live.metadata or {}), "written": uuid.uuid4().hex})

    def ids_by_source(self) -> dict[str, set[str]]:
        """Every stored chunk id, grouped by the file it came from."""
        out: dict[str, set[str]] = {}
        for got in self._pages(include=["metadatas"]):
            for chunk_id, meta in zip(got["ids"], got["metadatas"], strict=True):
                out.setdefault(str((meta or {}).get("source", "")), set()).add(chunk_id)
        return out

    def iter_chunks(self, with_vectors: bool = False) -> Iterator[Record]:
        """Every stored chunk, paged so 100k chunks stay cheap."""
        include = ["metadatas", "documents", *(["embeddings"] if with_vectors else [])]
        for got in self._pages(include=include):
            vectors = unit(got["embeddings"]) if with_vectors else [None] * len(got["ids"])
            rows = zip(got["ids"], got["documents"], got["metadatas"], vectors, strict=True)
            for chunk_id, text, meta, vector in rows:
                yield _record(chunk_id, text, meta, vector)

    def _pages(
        self, include: list[str], page: int = 5000, collection: chromadb.Collection | None = None
    ) -> Iterator[dict]:
        """Read the chunks' collection, or the one given, in pages of `page` rows."""
        offset = 0
        while True:
            got = (collection or self.collection).get(include=include, limit=page, offset=offset)
            if not got["ids"]:
                return
            got["metadatas"] = got.get("metadatas") or [{}] * len(got["ids"])
            yield got
            offset += len(got["ids"])

    def embed(self, chunks: list[Chunk]) -> list[list[float]]:
        """Chunk vectors from the store's embedder (title + text, passage side)."""
        return self.embeddings.embed_documents([c.embedding_text for c in chunks])

    def write(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        """Upsert embedded chunks in one call; ids derive from content, so a retry never
        duplicates."""
        try:
            self.collection.upsert(
                ids=[c.id for c in chunks],
                embeddings=vectors,
                documents=[c.text for c in chunks],
                metadatas=[_row(c) for c in chunks],
            )
            self._stamp()
        except WRITE_ERRORS as exc:
            raise self._unwritten(exc) from None

    def write_sentences(self, chunks: Sequence[Passage]) -> None:
        """Embed each sentence once (chunks overlap by whole sentences), keep it per chunk."""
        rows = [
            (f"{chunk.id}:{n}", chunk.id, text)
            for chunk in chunks
            for n, text in enumerate(passage_sentences(chunk.text))
        ]
        texts = list(dict.fromkeys(text for *_, text in rows))
        vectors = dict(zip(texts, self.embeddings.embed_documents(texts), strict=True))
        try:
            sentences = self._sentence_rows(create=True)
            for start in range(0, len(rows), _PAGE):
                page = rows[start : start + _PAGE]
                sentences.upsert(
                    ids=[row_id for row_id, *_ in page],
                    embeddings=[vectors[text] for *_, text in page],
                    documents=[text for *_, text in page],
                    metadatas=[{"chunk": chunk_id} for _, chunk_id, _ in page],
                )
        except WRITE_ERRORS as exc:
            raise self._unwritten(exc) from None

    def unsentenced(self) -> set[str]:
        """Empty at once when the sentences' collection is marked complete, as it is from its
        start beside an empty store; otherwise found by reading every row, and marked when
        none lack theirs."""
        sentences = self._sentence_rows()
        if sentences is not None and (sentences.metadata or {}).get(_COMPLETE):
            return set()
        try:
            missing = {i for got in self._pages(include=[]) for i in got["ids"]}
            if sentences is not None:
                for got in self._pages(include=["metadatas"], collection=sentences):
                    missing -= {str(meta.get("chunk")) for meta in got["metadatas"]}
                if not missing:
                    sentences.modify(metadata={**(sentences.metadata or {}), _COMPLETE: True})
        except WRITE_ERRORS as exc:
            raise self._unread(exc) from None
        return missing

    def sentence_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The named chunks' stored sentence vectors, in one read."""
        sentences = self._sentence_rows()
        if sentences is None or not ids:
            return {}
        try:
            got = sentences.get(
                where={"chunk": {"$in": list(ids)}},
                include=["documents", "embeddings"],
            )
        except WRITE_ERRORS as exc:
            raise self._unread(exc) from None
        if not got["ids"]:
            return {}
        return dict(zip(got["documents"], unit(got["embeddings"]), strict=True))

    def _sentence_rows(self, create: bool = False) -> chromadb.Collection | None:
        """The sentences' collection for the chunks' collection now live (a rebuild swaps
        both); None while no ingest of this release has written any, unless `create`."""
        name = self.collection.name + _SENTENCES_SUFFIX
        known = self._sentences
        if known is None or known[0] != self.collection.id or known[1] is None:
            found = _find(self.client, name)
            if found is None and create:
                # Beside an empty store every chunk comes with its sentences: complete already.
                found = _create(self.client, name, {_COMPLETE: True} if not self.count() else None)
            self._sentences = known = (self.collection.id, found)
        return known[1]

    def _unread(self, exc: Exception) -> StoreError:
        """The one sentence for a failed read."""
        return StoreError(f"Could not read the store in {self.label} ({exc}).")

    def _unwritten(self, exc: Exception) -> StoreError:
        """The one sentence for a failed write: what to check, and that nothing is lost."""
        return StoreError(
            f"Could not write to the store in {self.label} ({exc}); check free disk space "
            "and write permission, then run `bot ingest` again: chunks already stored are kept."
        )

    def delete(self, ids: list[str]) -> None:
        """Remove chunks whose file changed or disappeared, and their sentences."""
        try:
            sentences = self._sentence_rows()
            for start in range(0, len(ids), _PAGE):
                page = ids[start : start + _PAGE]
                if sentences is not None:
                    sentences.delete(where={"chunk": {"$in": page}})
                self.collection.delete(ids=page)
            if ids:
                self._stamp()
        except WRITE_ERRORS as exc:
            raise StoreError(f"Could not delete from the store in {self.label} ({exc}).") from None

    def count(self) -> int:
        """Number of chunks stored."""
        return self.collection.count()

    def embed_query(self, question: str) -> list[float]:
        """The question's vector, from the same embedder that filled the store."""
        return self.embeddings.embed_query(question)

    def nearest(self, query: np.ndarray, n: int) -> list[Hit]:
        """The `n` chunks closest to the query vector, closest first."""
        if n <= 0:
            return []
        try:
            got = self.collection.query(
                query_embeddings=[query.tolist()],
                n_results=n,
                include=["documents", "metadatas", "embeddings"],
            )
        except WRITE_ERRORS as exc:
            raise StoreError(f"Could not search the store in {self.label} ({exc}).") from None
        return _hits(
            got["ids"][0], got["documents"][0], got["metadatas"][0], got["embeddings"][0], query
        )

    def fetch(self, ids: list[str], query: np.ndarray) -> list[Hit]:
        """Named chunks, scored against the query vector."""
        if not ids:
            return []
        got = self.collection.get(ids=ids, include=["documents", "metadatas", "embeddings"])
        return _hits(got["ids"], got["documents"], got["metadatas"], got["embeddings"], query)


def _hits(ids: list, texts: list, metas: list, vectors: list, query: np.ndarray) -> list[Hit]:
    """Rows from Chroma as Hits, scored by cosine similarity."""
    rows = zip(ids, texts, metas, vectors, strict=True)
    return scored((_record(i, t, m, v) for i, t, m, v in rows), query)


def _row(chunk: Chunk) -> dict[str, str]:
    """A chunk's Chroma metadata: its article's fields, `language` being the chunk's own (the
    article's goes as `article_language`); the one place the document model meets Chroma."""
    fields = chunk.article.fields()
    return {**fields, "article_language": fields["language"], "language": chunk.language}


def _record(chunk_id: str, text: str | None, row: dict | None, vector: np.ndarray | None) -> Record:
    """A Chroma row back as a Record; fields a store written before them lacks stay unknown."""
    row = dict(row or {})
    language = str(row.get("language", ""))
    article = ArticleMeta.from_fields({**row, "language": row.get("article_language", "")})
    return Record(chunk_id, text or "", article, language, vector)


def open_store(
    settings: Settings, embeddings: Embeddings, *, create: bool = False, rebuild: bool = False
) -> ChromaStore:
    """Open the collection; refuse one built with another embedder, or a missing one."""
    client, label = connect(settings, create=create)
    name = settings.collection + (_BUILDING_SUFFIX if rebuild else "")
    if rebuild:
        _drop(client, name)
        _drop(client, name + _SENTENCES_SUFFIX)
    existing = _find(client, name)
    if existing is None and not create:
        raise missing_store(label)
    # Probing a remote embedder costs a request, so only writers pay for the dimension check.
    dimension = getattr(embeddings, "dimension", None) or (
        len(embeddings.embed_query("dimension")) if create else None
    )
    # An embedder passed in (a test's, a benchmark's) stamps its own name, not the setting's.
    model = getattr(embeddings, "name", None) or settings.embeddings_model
    if existing is not None:
        _check_embedder(existing.metadata or {}, model, dimension, label)
    metadata = {
        "embedding_model": model,
        "embedding_dim": dimension or 0,
        "schema_version": SCHEMA_VERSION,
    }
    try:
        collection = existing or _create(client, name, metadata)
    except WRITE_ERRORS as exc:
        raise StoreError(f"Could not open the store in {label} ({exc}).") from None
    return ChromaStore(client, collection, embeddings, label)


def promote_rebuilt(settings: Settings) -> None:
    """Swap a fully built `__building` collection, and its sentences', in place of the live."""
    client, _ = connect(settings, create=True)
    for suffix in (_SENTENCES_SUFFIX, ""):
        live = settings.collection + suffix
        built = _find(client, settings.collection + _BUILDING_SUFFIX + suffix)
        _drop(client, live)
        if built is not None:
            built.modify(name=live)


def _create(
    client: chromadb.ClientAPI, name: str, metadata: dict | None = None
) -> chromadb.Collection:
    """A collection of our own vectors, compared by cosine; the existing one if any."""
    return client.get_or_create_collection(
        name,
        metadata=metadata,
        configuration={"hnsw": {"space": "cosine"}},
        embedding_function=None,
    )


def _find(client: chromadb.ClientAPI, name: str) -> chromadb.Collection | None:
    """The collection if it exists, without creating it."""
    try:
        return client.get_collection(name)
    except chromadb.errors.NotFoundError:
        return None
    except ValueError:
        return None


def _drop(client: chromadb.ClientAPI, name: str) -> None:
    """Delete a collection if present."""
    if _find(client, name) is not None:
        client.delete_collection(name)


def _check_embedder(metadata: dict, model: str, dimension: int | None, label: str) -> None:
    """Vectors from two embedders are not comparable: stop before returning nonsense."""
    built_with = metadata.get("embedding_model")
    built_dim = metadata.get("embedding_dim") or None
    if built_with and built_with != model:
        raise StoreError(
            f"The store in {label} was built with embeddings model {built_with!r}, but "
            f"BOT_EMBEDDINGS_MODEL is {model!r}; run `bot ingest --rebuild` "
            f"to rebuild it, or set BOT_EMBEDDINGS_MODEL={built_with}."
        )
    if built_dim and dimension and built_dim != dimension:
        raise StoreError(
            f"The store in {label} holds {built_dim}-dimensional vectors but {model!r} now "
            f"returns {dimension}; run `bot ingest --rebuild` to rebuild it."
        )
