"""Score the bot on golden Q&A pairs: retrieval, citations, answers, refusal and latency."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

import yaml

from bot.answer.verification import Verifier
from bot.api import Bot
from bot.core.errors import BotError
from bot.core.language import detect_language
from bot.core.results import Answer, Citation
from bot.eval.golden_sets import LABELLED_SENTENCES, GoldenPair, LabelledSentence, folds
from bot.eval.scoring import (
    PairResult,
    best_threshold,
    citation_scores,
    crossing,
    fact_coverage,
    reader_scores,
    refusal_reasons,
    retrieval_scores,
    shown_backed,
    summarize,
    threshold_sweep,
)


def language_pair(pair: GoldenPair, documents: dict[str, str]) -> str:
    """`fr->en`: the question's language and that of the article holding the answer."""
    if pair.unanswerable or not pair.sources:
        return f"{pair.language}->none"
    return f"{pair.language}->{documents.get(pair.sources[0], '?')}"


def timed_answer(bot: Bot, question: str) -> tuple[Answer, float | None, float, str | None]:
    """The answer, the seconds to its first shown piece and to its end, and any error."""
    started, first = time.perf_counter(), None
    try:
        stream = bot.ask_stream(question)
        for _ in stream:
            first = first if first is not None else time.perf_counter() - started
        answer, error = stream.answer, None
    except BotError as exc:  # a failing pair is a data point, not the end of the run
        error = str(exc)
        answer = Answer(text=f"error: {exc}", citations=[], contexts=[], refused=False)
    return answer, first, time.perf_counter() - started, error


def evaluate_pair(
    bot: Bot,
    pair: GoldenPair,
    k: int,
    dense: Bot | None,
    documents: dict[str, str],
    fold: int = 0,
) -> PairResult:
    """Run one pair through retrieve() and ask_stream()."""
    hits = bot.retrieve(pair.question, k)
    ranked = [h.source for h in hits]
    answer, first, seconds, error = timed_answer(bot, pair.question)
    cited = list(dict.fromkeys(c.source for c in answer.citations))
    shown = not answer.refused and error is None
    spoken = detect_language(answer.text) if shown else pair.language
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
        left_out=answer.unsupported,
        shown_backed=None if error else shown_backed(answer),
        error=error,
        first_seconds=None if answer.refused else first,
        cut_short=answer.cut_short,
        answerable=answer.answerable,
        quote_confidence=answer.quote_confidence,
        reading=answer.reading,
        fold=fold,
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
            result.in_language = float(spoken == pair.language)
        if dense is not None:
            dense_ranked = [h.source for h in dense.retrieve(pair.question, k)]
            hit, rr, recall = retrieval_scores(dense_ranked, pair.sources)
            result.dense = {"hit": hit, "mrr": rr, "recall": recall}
    result.right, result.non_answer, result.off_language = reader_scores(
        answer.text, shown, result.fact_coverage, pair.unanswerable, spoken, pair.language
    )
    return result


def verifier_scores(bot: Bot, path: Path = LABELLED_SENTENCES) -> dict[str, float | int] | None:
    """The verifier's precision and recall on labelled sentences whose chunks are in the store."""
    labelled = [LabelledSentence.model_validate(row) for row in yaml.safe_load(path.read_text())]
    chunks = [r for r in bot.store.iter_chunks() if r.article.source]
    verdicts = []
    for item in labelled:
        record = next(
            (r for r in chunks if r.article.source == item.file and item.needle in r.text),
            None,
        )
        if record is None:
            continue
        chunk = Citation(
            source=item.file,
            title=record.article.title,
            snippet="",
            score=1.0,
            chunk_id=record.id,
            text=record.text,
            language=record.language,
        )
        backed = bool(Verifier(bot.grounder, item.question, [chunk]).check(item.sentence))
        verdicts.append((backed, item.supported))
    if not verdicts:
        return None
    passed = [truth for backed, truth in verdicts if backed]
    return {
        "sentences": len(verdicts),
        "precision": sum(passed) / len(passed) if passed else 0.0,
        "recall": sum(passed) / max(1, sum(truth for _, truth in verdicts)),
    }


def run_eval(
    bot: Bot,
    pairs: list[GoldenPair],
    k: int,
    dense: Bot | None = None,
    progress: Callable[[Iterable[GoldenPair]], Iterable[GoldenPair]] = iter,
) -> dict:
    """Evaluate every pair; the report holds per-language and total metrics. The bot is
    warmed up first, as the chat and the API are at launch, so the first pair's times are
    those of a ready bot; the warm-up's own time is reported apart, and so is the pace it
    measured (the answers re-time it as they go)."""
    started = time.perf_counter()
    bot.warm_up()
    warm_up_seconds = time.perf_counter() - started
    pace = bot.pace
    documents = bot.retriever.languages_of_documents()
    fold_of = folds(pairs, documents)
    results = [
        evaluate_pair(bot, pair, k, dense, documents, fold_of[pair.id]) for pair in progress(pairs)
    ]
    languages = sorted({r.language for r in results})
    sweep = threshold_sweep(results)
    return {
        "k": k,
        "retriever": bot.settings.retriever,
        "model": bot.settings.model_label,
        "min_relevance": bot.settings.min_relevance,
        "warm_up_seconds": round(warm_up_seconds, 2),
        "pace": asdict(pace) if pace else None,
        "by_language": {
            lang: summarize([r for r in results if r.language == lang]) for lang in languages
        },
        "by_pair": {
            name: summarize([r for r in results if r.pair == name])
            for name in sorted({r.pair for r in results})
        },
        "same_vs_cross": {
            name: summarize([r for r in results if crossing(r.pair) == name])
            for name in ("same", "cross")
        },
        "by_fold": {f"fold {n}": summarize([r for r in results if r.fold == n]) for n in (0, 1)},
        "total": summarize(results),
        "refusal_reasons": refusal_reasons(results),
        "verifier": verifier_scores(bot),
        "threshold_sweep": sweep,
        "suggested_threshold": best_threshold(sweep),
        "pairs": [asdict(r) for r in results],
    }
