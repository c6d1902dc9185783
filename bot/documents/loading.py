"""Files -> documents: read article files in any common encoding, then clean them (cleaning.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

from bot.core.article import ArticleMeta
from bot.core.errors import CorpusError
from bot.core.language import detect_language
from bot.documents.cleaning import clean_text, html_to_text, markdown_to_text
from bot.documents.metadata import FRONT_MATTER, extract, from_html, sidecar_fields
from bot.documents.pdf import pdf_to_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
CONVERTERS: dict[str, Callable[[bytes], str]] = {".pdf": pdf_to_text}
"""Formats that are not text (PDF, DOCX): a converter per suffix (".docx") turns a file's
bytes into its text; such files are then read as plain text. Register one to add a format."""


def article_suffixes() -> tuple[str, ...]:
    """The suffixes ingest reads: the text formats and every registered converter's."""
    return SUPPORTED_SUFFIXES + tuple(CONVERTERS)


def is_article_file(name: str) -> bool:
    """Whether ingest reads a file of this name (hidden files never)."""
    return name.lower().endswith(article_suffixes()) and not name.startswith(".")


@dataclass(frozen=True)
class SourceDocument:
    """One article after cleaning: its text, and what is known about it."""

    article: ArticleMeta
    text: str


@dataclass
class LoadReport:
    """Documents read, and files passed over with the reason, so nothing is skipped silently."""

    documents: list[SourceDocument] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def iter_corpus_files(root: Path) -> Iterator[Path]:
    """Walk the corpus without following directory links, so a symlink loop cannot hang us."""
    if not root.is_dir():
        raise CorpusError(
            f"Corpus folder {root} does not exist or is not a folder; "
            "pass an existing folder to `bot ingest DIR` or set BOT_CORPUS_DIR."
        )
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if is_article_file(name):
                yield Path(folder) / name


def load_corpus(
    root: Path, max_bytes: int, reading: Callable[[list[Path]], Iterable[Path]] = iter
) -> LoadReport:
    """Load every supported file under `root`; unreadable ones are reported, not fatal.
    `reading` walks the file list (behind a progress bar, for ingest)."""
    report = LoadReport()
    for path in reading(list(iter_corpus_files(root))):
        source = path.relative_to(root).as_posix()
        try:
            report.documents.append(load_document(path, source, max_bytes))
        except (OSError, ValueError) as exc:
            report.skipped.append((source, _reason(exc)))
    return report


def _reason(exc: Exception) -> str:
    """A short, traceback-free reason for the ingest summary."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)


def load_document(path: Path, source: str, max_bytes: int) -> SourceDocument:
    """Read, decode and clean one file; raises ValueError when it holds no usable text."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"larger than {max_bytes // 1_000_000} MB (BOT_MAX_FILE_MB)")
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    convert = CONVERTERS.get(suffix)
    page = convert(raw) if convert else decode(raw)
    html_title, tagged, text = "", None, page
    if suffix in (".html", ".htm"):
        soup = BeautifulSoup(page, "html.parser")  # parsed once: its tags, then its text
        tagged = from_html(soup)
        html_title, text = html_to_text(soup)
    elif suffix in (".md", ".markdown"):
        text = markdown_to_text(FRONT_MATTER.sub("", page))
    title, url, body = clean_text(text)
    if not body.strip():
        raise ValueError("no article text found")
    language = detect_language(body)
    found = extract(text if tagged is not None else page, language, tagged, url)
    found |= sidecar(path)
    article = ArticleMeta(source=source, title=html_title or title, language=language, **found)
    return SourceDocument(article, body)


def sidecar(path: Path) -> dict[str, str]:
    """`name.meta.json` or `name.meta.yaml` beside an article: metadata its owner already has,
    which wins over what the page states."""
    for candidate in (path.with_suffix(".meta.json"), path.with_suffix(".meta.yaml")):
        if candidate.is_file():
            try:
                data = yaml.safe_load(candidate.read_text("utf-8"))  # JSON is YAML
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                raise ValueError(f"its sidecar {candidate.name} is unreadable ({exc})") from None
            if isinstance(data, dict):
                return {k: v for k, v in sidecar_fields(data).items() if v}
    return {}


def decode(raw: bytes) -> str:
    """UTF-8 first; otherwise the most plausible legacy encoding (latin-1, cp1258, ...)."""
    if b"\x00" in raw[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    if not raw.strip():
        raise ValueError("empty file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None:
        raise ValueError("not text in any known encoding")
    return str(best)
