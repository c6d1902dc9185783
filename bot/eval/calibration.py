"""`bot calibrate`: fit the judge's two gates on one fold of articles, score the other.

An eval run with the gates open (`bot eval --open-gates`) records, per pair, the model's
P(yes) that the sources answer and that the quote answers, and what the reader was shown.
A gate only turns shown answers into refusals, so any setting's outcome follows from that
one run. Each fold's thresholds are fitted on the other fold's articles; the figures
reported are those held-out ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRID = np.round(np.arange(0.0, 1.001, 0.05), 2)
NON_ANSWER_COST = 2.0
"""A shown non-answer costs this many right answers: trust over coverage."""


@dataclass(frozen=True)
class Gates:
    """The judge's thresholds: BOT_MIN_ANSWERABLE and BOT_MIN_QUOTE_CONFIDENCE."""

    answerable: float
    quote: float


def shown(pair: dict, gates: Gates) -> bool:
    """Whether the reader is shown an answer to this pair under these gates."""
    if pair["refused"] or pair.get("error"):
        return False
    if pair.get("answerable") is not None and pair["answerable"] < gates.answerable:
        return False
    confidence = pair.get("quote_confidence")
    return not (pair["quoted"] and confidence is not None and confidence < gates.quote)


def tally(scored: list[tuple[dict, Gates]]) -> tuple[int, int]:
    """How many right answers and how many non-answers the reader is shown."""
    seen = [p for p, g in scored if shown(p, g)]
    wrong = sum(p["unanswerable"] or p["fact_coverage"] != 1.0 for p in seen)
    return len(seen) - wrong, wrong


def outcome(scored: list[tuple[dict, Gates]]) -> dict[str, float | int | None]:
    """What the reader gets on these pairs, each judged under its own gates."""
    answerable = [(p, g) for p, g in scored if not p["unanswerable"]]
    unanswerable = [(p, g) for p, g in scored if p["unanswerable"]]
    right, wrong = tally(scored)
    return {
        "pairs": len(scored),
        "right": right / len(answerable) if answerable else None,
        "non_answers": wrong / (right + wrong) if right + wrong else None,
        "refusal": (
            sum(not shown(p, g) for p, g in unanswerable) / len(unanswerable)
            if unanswerable
            else None
        ),
        "false_refusal": (
            sum(not shown(p, g) for p, g in answerable) / len(answerable) if answerable else None
        ),
    }


def fit(pairs: list[dict]) -> Gates:
    """The gates that show the most right answers less NON_ANSWER_COST per non-answer
    shown; ties go to the loosest gates."""

    def gain(gates: Gates) -> float:
        right, wrong = tally([(p, gates) for p in pairs])
        return right - NON_ANSWER_COST * wrong

    candidates = [Gates(float(a), float(q)) for a in GRID for q in GRID]
    best = max(map(gain, candidates))
    return next(g for g in candidates if gain(g) == best)


def calibrate(pairs: list[dict]) -> dict:
    """Fold-out figures (each fold scored with gates fitted on the other) and the gates
    fitted on every pair, which are the ones to ship."""
    folds = {n: [p for p in pairs if p.get("fold", 0) == n] for n in (0, 1)}
    fitted = {n: fit(folds[1 - n]) for n in (0, 1)}
    held_out = {n: [(p, fitted[n]) for p in folds[n]] for n in (0, 1)}
    languages = sorted({p["language"] for p in pairs})
    rows = {
        lang: outcome([(p, g) for n in (0, 1) for p, g in held_out[n] if p["language"] == lang])
        for lang in languages
    }
    rows["total"] = outcome([pg for n in (0, 1) for pg in held_out[n]])
    return {
        "fold_gates": {f"fold {n}": fitted[n].__dict__ for n in (0, 1)},
        "fold_out": rows,
        "open": outcome([(p, Gates(0.0, 0.0)) for p in pairs]),
        "gates": fit(pairs).__dict__,
    }
