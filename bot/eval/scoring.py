"""Scores: each answer against its golden pair (retrieval, citations, key facts, backed
sentences), then their means per language pair and the refusal gate's sweep."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from bot.core.language import detect_language
from bot.core.patterns import NUMBER_WORDS, SPELLED_NUMBERS
from bot.core.results import Answer, RefusalReason
from bot.core.stats import nearest_rank
from bot.core.text import fold, markers, split_sentences

_WORD = re.compile(r"(?<![\\\w])[^\W\d_]+")
"""A word of a key fact's pattern (not an escape's letter, as in "\\d")."""
THRESHOLDS = np.round(np.arange(0.70, 0.901, 0.01), 2)


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
    """Share of key-fact patterns found in the answer, raw or accent-folded; a Vietnamese
    answer is not folded, as its tone marks tell words apart (sáu, six; sau, after)."""
    if not facts:
        return 1.0
    folded = "" if detect_language(text) == "vi" else fold(text)
    patterns = [_in_digits_too(p) for p in facts]
    found = sum(
        bool(re.search(p, text, re.IGNORECASE))
        or bool(folded and re.search(fold(p), folded, re.IGNORECASE))
        for p in patterns
    )
    return found / len(facts)


def _in_digits_too(pattern: str) -> str:
    """A key fact written with a number in words ("two") also found in digits ("2"), as an
    answer composed around copied words may write it."""
    return _WORD.sub(
        lambda m: (
            f"(?:{m[0]}|{SPELLED_NUMBERS[w]})"
            if (w := m[0].lower()) in NUMBER_WORDS and w in SPELLED_NUMBERS
            else m[0]
        ),
        pattern,
    )


def shown_backed(answer: Answer) -> float | None:
    """Share of the answer's sentences that carry a `[n]` (a lead-in line does not count)."""
    if answer.refused:
        return None
    sentences = [s for s in split_sentences(answer.text) if not s.endswith(":")]
    return sum(bool(markers(s)) for s in sentences) / len(sentences) if sentences else None


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
    left_out: list[str] = field(default_factory=list)
    """The model's sentences verification left out, as it wrote them."""
    error: str | None = None
    """The one-sentence error when answering failed (a timeout, an endpoint down)."""
    quoted: bool = False
    """The answer quotes the sources because nothing the model wrote was backed."""
    first_seconds: float | None = None
    """Time to the first shown piece of text (None when nothing was shown)."""
    right: float | None = None
    """1.0 when an answerable question got a shown answer holding every key fact."""
    non_answer: float | None = None
    """1.0 when shown text lacks a key fact, or answers a question the corpus does not cover
    (defined only where text was shown as an answer)."""
    off_language: float | None = None
    """1.0 when the shown answer, a quote included, is not in the question's language."""
    cut_short: bool = False
    """The answer ran out of time: what was verified by then is shown, marked as cut short."""
    answerable: float | None = None
    """The model's P(yes) that the sources answer (the judge's first gate reads it)."""
    quote_confidence: float | None = None
    """The model's P(yes) that the quote answers (the judge's second gate reads it)."""
    reading: str | None = None
    """The words the model copied out of the sources before answering (the second reading)."""
    fold: int = 0
    """The article fold (0 or 1) the pair belongs to: thresholds are fitted on one, scored
    on the other."""
    pair: str = ""
    """Question language -> language of the expected article, e.g. `vi->en`."""
    dense: dict[str, float | None] = field(default_factory=dict)


def _mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values; None when there are none."""
    defined = [v for v in values if v is not None]
    return float(np.mean(defined)) if defined else None


def crossing(pair: str) -> str:
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
        "right": _mean(r.right for r in answerable),
        "non_answers": _mean(r.non_answer for r in results),
        "off_language": _mean(r.off_language for r in results),
        "cut_short": _mean(float(r.cut_short) for r in results if not r.refused),
        **spread("first_s", [r.first_seconds for r in results if r.first_seconds is not None]),
        **spread("total_s", seconds),
    }


def spread(name: str, seconds: list[float]) -> dict[str, float | None]:
    """p50, p95 and max of a list of timings, keyed `<name>_p50` and so on."""
    if not seconds:
        return {f"{name}_p50": None, f"{name}_p95": None, f"{name}_max": None}
    return {
        f"{name}_p50": nearest_rank(seconds, 50),
        f"{name}_p95": nearest_rank(seconds, 95),
        f"{name}_max": float(max(seconds)),
    }


def reader_scores(
    answer_text: str, shown: bool, facts: float | None, unanswerable: bool, spoken: str, asked: str
) -> tuple[float | None, float | None, float | None]:
    """What the reader got: right (answerable pairs), non-answer and off-language (shown text)."""
    right = None if unanswerable else float(shown and facts == 1.0)
    if not shown or not answer_text:
        return right, None, None
    return right, float(unanswerable or facts != 1.0), float(spoken != asked)


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
