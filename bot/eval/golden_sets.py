"""The golden sets: hand-written Q&A pairs (YAML or JSONL) and hand-labelled reply sentences,
and an even sample of pairs for a quick run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from bot.core.errors import ConfigError

DEFAULT_GOLDEN = Path(__file__).resolve().parent / "golden" / "seeds.yaml"
LABELLED_SENTENCES = DEFAULT_GOLDEN.with_name("verification.yaml")


class GoldenPair(BaseModel):
    """One hand-written question with what a correct answer must show."""

    id: str
    question: str
    language: str
    sources: list[str] = Field(default_factory=list)
    answer: str = ""
    facts: list[str] = Field(default_factory=list)
    unanswerable: bool = False
    tags: list[str] = Field(default_factory=list)


class LabelledSentence(BaseModel):
    """A reply sentence labelled by hand as backed, or not, by the chunk holding `needle`."""

    question: str
    sentence: str
    file: str
    needle: str
    supported: bool


def load_golden(path: Path) -> list[GoldenPair]:
    """Read the YAML or JSONL golden file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Cannot read the golden file {path} ({exc.strerror}).") from None
    try:
        if path.suffix == ".jsonl":
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            rows = yaml.safe_load(text) or []
        return [GoldenPair.model_validate(row) for row in rows]
    except (ValueError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise ConfigError(f"The golden file {path} is malformed ({first}).") from None


def sample(pairs: list[GoldenPair], n: int | None) -> list[GoldenPair]:
    """`n` pairs that keep the file's mix: each group (language, answerable or not, same or
    cross language) gets its share, spread evenly over the group, in file order."""
    if not n or n >= len(pairs):
        return pairs
    groups: dict[tuple, list[int]] = {}
    for i, pair in enumerate(pairs):
        groups.setdefault((pair.language, pair.unanswerable, "cross" in pair.tags), []).append(i)
    shares = {key: n * len(rows) / len(pairs) for key, rows in groups.items()}
    counts = {key: int(share) for key, share in shares.items()}
    by_remainder = sorted(shares, key=lambda key: counts[key] - shares[key])
    for key in by_remainder[: n - sum(counts.values())]:
        counts[key] += 1
    chosen = [
        rows[int(j * len(rows) / counts[key])]
        for key, rows in groups.items()
        for j in range(counts[key])
    ]
    return [pairs[i] for i in sorted(chosen)]


def article_of(pair: GoldenPair) -> str:
    """The article a pair is about: its first source, or for a question the corpus does not
    cover, its id without the question number and language (`huguenot-0-en` -> `huguenot`)."""
    if pair.sources:
        return pair.sources[0]
    return re.sub(r"(-\d+)?-[a-z]{2}$", "", pair.id)


def folds(pairs: list[GoldenPair], languages: dict[str, str] | None = None) -> dict[str, int]:
    """Each pair's fold, 0 or 1, by whole articles: the articles, answerable and not apart,
    alternate between the folds within each article language (`languages`: file -> code),
    so both folds hold each kind and each language. Sorted by name alone, a corpus written
    alternately in two languages put every article of one language in one fold: a number
    fitted on it never met the other."""
    written = languages or {}
    fold_of: dict[str, int] = {}
    for unanswerable in (False, True):
        articles = {article_of(p) for p in pairs if p.unanswerable == unanswerable}
        ordered = sorted(articles, key=lambda a: (written.get(a, ""), a))
        fold_of |= {a: i % 2 for i, a in enumerate(ordered)}
    return {p.id: fold_of[article_of(p)] for p in pairs}
