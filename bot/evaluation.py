"""Score the bot on golden Q&A pairs: retrieval, citations, answers, refusal and latency."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, Field

from bot.api import Bot
from bot.errors import BotError, ConfigError
from bot.language import detect_language
from bot.results import Answer, Citation, RefusalReason
from bot.text import fold, markers, split_sentences

DEFAULT_GOLDEN = Path(__file__).resolve().parent / "golden" / "seeds.yaml"
LABELLED_SENTENCES = DEFAULT_GOLDEN.with_name("verification.yaml")
THRESHOLDS = np.round(np.arange(0.70, 0.901, 0.01), 2)


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


@dataclass
class PairResult:
    """How the bot did on one pair."""

    id: str
    language: str
    unanswerable: bool
    ranks: list[str]
    top_score: float
    refused: bool
    refusal_reason: RefusalReason
    cited: list[str]
    seconds: float
    answer: str
    # Scored only where they apply (answerable pairs; a reply that was not refused).
    hit: float | None = None
    reciprocal_rank: float | None = None
    recall: float | None = None
    citation_precision: float | None = None
    citation_recall: float | None = None
    fact_coverage: float | None = None
    in_language: float | None = None
    """1.0 when the model's own reply (not a quote of the sources) is in the question's language."""
    saw_source: float | None = None
    """1.0 when an expected file is among the chunks the model was shown."""
    facts_seen: float | None = None
    """Key facts stated by the chunks the model was shown: the most its answer can hold."""
    unsupported: float | None = None
    """Sentences verification left out of the answer."""
    withheld_facts: float | None = None
    """Key facts stated by the sentences verification left out (answerable pairs that had
    any): high means the verifier threw right answers away, low that the model was wrong."""
    shown_backed: float | None = None
    """Share of shown sentences that carry a verified marker (1.0 by construction)."""
    error: str | None = None
    """The one-sentence error when answering failed (a timeout, an endpoint down)."""
    quoted: bool = False
    """The answer quotes the sources because nothing the model wrote was backed."""
    pair: str = ""
    """Question language -> language of the expected article, e.g. `vi->en`."""
    dense: dict[str, float | None] = field(default_factory=dict)


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


def retrieval_scores(ranked: list[str], expected: list[str]) -> tuple[float, float, float]:
    """hit@k, reciprocal rank and recall of the expected files in a ranked list of files."""
    if not expected:
        raise ValueError("an answerable pair needs expected sources")
    positions = [i for i, source in enumerate(ranked) if source in expected]
    hit = 1.0 if positions else 0.0
    rr = 1.0 / (positions[0] + 1) if positions else 0.0
    recall = len(set(ranked) & set(expected)) / len(set(expected))
    return hit, rr, recall


def citation_scores(cited: list[str], expected: list[str]) -> tuple[float | None, float]:
    """Precision (None when nothing is cited) and recall of cited files against expected ones."""
    cited_set, expected_set = set(cited), set(expected)
    precision = len(cited_set & expected_set) / len(cited_set) if cited_set else None
    return precision, len(cited_set & expected_set) / len(expected_set)


def fact_coverage(text: str, facts: list[str]) -> float:
    """Share of key-fact patterns found in the answer, raw or accent-folded."""
    if not facts:
        return 1.0
    folded = fold(text)
    found = sum(
        bool(re.search(p, text, re.IGNORECASE) or re.search(fold(p), folded, re.IGNORECASE))
        for p in facts
    )
    return found / len(facts)


def shown_backed(answer: Answer) -> float | None:
    """Share of the answer's sentences that carry a `[n]` (a lead-in line does not count)."""
    if answer.refused:
        return None
    sentences = [s for s in split_sentences(answer.text) if not s.endswith(":")]
    return sum(bool(markers(s)) for s in sentences) / len(sentences) if sentences else None


def language_pair(pair: GoldenPair, documents: dict[str, str]) -> str:
    """`fr->en`: the question's language and that of the article holding the answer."""
    if pair.unanswerable or not pair.sources:
        return f"{pair.language}->none"
    return f"{pair.language}->{documents.get(pair.sources[0], '?')}"


def evaluate_pair(
    bot: Bot, pair: GoldenPair, k: int, dense: Bot | None, documents: dict[str, str]
) -> PairResult:
    """Run one pair through retrieve() and ask()."""
    hits = bot.retrieve(pair.question, k)
    ranked = [h.source for h in hits]
    started = time.perf_counter()
    error = None
    try:
        answer = bot.ask(pair.question)
    except BotError as exc:  # a failing pair is a data point, not the end of the run
        error = str(exc)
        answer = Answer(text=f"error: {exc}", citations=[], contexts=[], refused=False)
    seconds = time.perf_counter() - started
    cited = list(dict.fromkeys(c.source for c in answer.citations))
    result = PairResult(
        id=pair.id,
        language=pair.language,
        unanswerable=pair.unanswerable,
        ranks=ranked,
        top_score=max((h.score for h in hits), default=0.0),
        refused=answer.refused,
        refusal_reason=answer.refusal_reason,
        cited=cited,
        seconds=seconds,
        answer=answer.text,
        pair=language_pair(pair, documents),
        quoted=answer.quoted,
        unsupported=None if answer.refused else float(len(answer.unsupported)),
        shown_backed=None if error else shown_backed(answer),
        error=error,
    )
    if not pair.unanswerable:
        result.saw_source = float(any(c.source in pair.sources for c in answer.contexts))
        result.facts_seen = fact_coverage(" ".join(c.passage for c in answer.contexts), pair.facts)
        result.hit, result.reciprocal_rank, result.recall = retrieval_scores(ranked, pair.sources)
        if cited:
            result.citation_precision, result.citation_recall = citation_scores(cited, pair.sources)
        result.fact_coverage = 0.0 if answer.refused else fact_coverage(answer.text, pair.facts)
        if answer.unsupported:
            result.withheld_facts = fact_coverage(" ".join(answer.unsupported), pair.facts)
        if not answer.refused and not answer.quoted:
            result.in_language = float(detect_language(answer.text) == pair.language)
        if dense is not None:
            dense_ranked = [h.source for h in dense.retrieve(pair.question, k)]
            hit, rr, recall = retrieval_scores(dense_ranked, pair.sources)
            result.dense = {"hit": hit, "mrr": rr, "recall": recall}
    return result


def _mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values; None when there are none."""
    defined = [v for v in values if v is not None]
    return float(np.mean(defined)) if defined else None


def _crossing(pair: str) -> str:
    """`same` when question and article share a language, `cross` otherwise, else ``."""
    asked, _, held = pair.partition("->")
    if held in ("none", "?", ""):
        return ""
    return "same" if asked == held else "cross"


def summarize(results: list[PairResult]) -> dict[str, float | int | None]:
    """All metrics for one group of results."""
    answerable = [r for r in results if not r.unanswerable]
    unanswerable = [r for r in results if r.unanswerable]
    seconds = [r.seconds for r in results]
    return {
        "pairs": len(results),
        "hit": _mean(r.hit for r in answerable),
        "mrr": _mean(r.reciprocal_rank for r in answerable),
        "recall": _mean(r.recall for r in answerable),
        "dense_hit": _mean(r.dense.get("hit") for r in answerable),
        "dense_mrr": _mean(r.dense.get("mrr") for r in answerable),
        "citation_precision": _mean(r.citation_precision for r in answerable),
        "citation_recall": _mean(r.citation_recall for r in answerable),
        "cited": _mean(float(bool(r.cited)) for r in answerable),
        "facts": _mean(r.fact_coverage for r in answerable),
        "in_language": _mean(r.in_language for r in answerable),
        "saw_source": _mean(r.saw_source for r in answerable),
        "facts_seen": _mean(r.facts_seen for r in answerable),
        "quoted": _mean(float(r.quoted) for r in results if not r.refused),
        "unsupported": _mean(r.unsupported for r in results),
        "withheld_facts": _mean(r.withheld_facts for r in answerable),
        "shown_backed": _mean(r.shown_backed for r in results),
        "refusal": _mean(float(r.refused) for r in unanswerable),
        "false_refusal": _mean(float(r.refused) for r in answerable),
        "errors": sum(r.error is not None for r in results),
        "p50_s": float(np.percentile(seconds, 50)) if seconds else None,
        "p95_s": float(np.percentile(seconds, 95)) if seconds else None,
    }


def refusal_reasons(results: list[PairResult]) -> dict[str, dict[str, int]]:
    """Why questions were refused, answerable ones (false refusals) apart from the rest."""
    return {
        kind: dict(Counter(r.refusal_reason for r in results if r.refused and r.unanswerable == un))
        for kind, un in (("answerable", False), ("unanswerable", True))
    }


def threshold_sweep(results: list[PairResult]) -> list[dict[str, float]]:
    """Refusal rate and false refusals if the relevance gate sat at each threshold."""
    answerable = [r.top_score for r in results if not r.unanswerable]
    unanswerable = [r.top_score for r in results if r.unanswerable]
    rows = []
    for t in THRESHOLDS:
        rows.append(
            {
                "threshold": float(t),
                "refusal": float(np.mean([s < t for s in unanswerable])) if unanswerable else 0.0,
                "false_refusal": float(np.mean([s < t for s in answerable])) if answerable else 0.0,
            }
        )
    return rows


def best_threshold(sweep: list[dict[str, float]]) -> float:
    """The threshold with the best balance; ties go to the lowest (fewest false refusals)."""
    return max(sweep, key=lambda r: (r["refusal"] - r["false_refusal"], -r["threshold"]))[
        "threshold"
    ]


class LabelledSentence(BaseModel):
    """A reply sentence labelled by hand as backed, or not, by the chunk holding `needle`."""

    question: str
    sentence: str
    file: str
    needle: str
    supported: bool


def verifier_scores(bot: Bot, path: Path = LABELLED_SENTENCES) -> dict[str, float | int] | None:
    """The verifier's precision and recall on labelled sentences whose chunks are in the store."""
    labelled = [LabelledSentence.model_validate(row) for row in yaml.safe_load(path.read_text())]
    chunks = [r for r in bot.store.iter_chunks() if r.metadata.get("source")]
    verdicts = []
    for item in labelled:
        record = next(
            (r for r in chunks if r.metadata["source"] == item.file and item.needle in r.text),
            None,
        )
        if record is None:
            continue
        chunk = Citation(
            source=item.file,
            title=str(record.metadata.get("title", "")),
            snippet="",
            score=1.0,
            chunk_id=record.id,
            text=record.text,
            language=str(record.metadata.get("language", "")),
        )
        backed = bool(bot.grounder.verifier(item.question, [chunk]).check(item.sentence))
        verdicts.append((backed, item.supported))
    if not verdicts:
        return None
    passed = [truth for backed, truth in verdicts if backed]
    return {
        "sentences": len(verdicts),
        "precision": sum(passed) / len(passed) if passed else 0.0,
        "recall": sum(passed) / max(1, sum(truth for _, truth in verdicts)),
    }


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


def run_eval(
    bot: Bot,
    pairs: list[GoldenPair],
    k: int,
    dense: Bot | None = None,
    progress: Callable[[Iterable[GoldenPair]], Iterable[GoldenPair]] = iter,
) -> dict:
    """Evaluate every pair; the report holds per-language and total metrics."""
    documents = bot.retriever.languages_of_documents()
    results = [evaluate_pair(bot, pair, k, dense, documents) for pair in progress(pairs)]
    languages = sorted({r.language for r in results})
    sweep = threshold_sweep(results)
    return {
        "k": k,
        "retriever": bot.settings.retriever,
        "model": bot.settings.model_label,
        "min_relevance": bot.settings.min_relevance,
        "by_language": {
            lang: summarize([r for r in results if r.language == lang]) for lang in languages
        },
        "by_pair": {
            name: summarize([r for r in results if r.pair == name])
            for name in sorted({r.pair for r in results})
        },
        "same_vs_cross": {
            name: summarize([r for r in results if _crossing(r.pair) == name])
            for name in ("same", "cross")
        },
        "total": summarize(results),
        "refusal_reasons": refusal_reasons(results),
        "verifier": verifier_scores(bot),
        "threshold_sweep": sweep,
        "suggested_threshold": best_threshold(sweep),
        "pairs": [asdict(r) for r in results],
    }
